import { sendWithBisection, type SendOutcome } from '../../../nodes/core/capi/bisect';
import {
	classifyHubSpotError,
	classifyNetworkError,
	isRecord,
	retryAfterMs,
	type Classified,
} from '../../../nodes/core/errors';
import { email as normalizeEmail } from '../../../nodes/core/normalize/fields';
import { SHOPIFY_HUBSPOT_GROUP, SHOPIFY_HUBSPOT_PROPERTIES } from '../../../nodes/core/shopify/hubspot';
import { DestinationRefused, safeReason } from '../usecases/jobs/destinationErrors';
import { RetryBudget, type RetryPolicy } from '../usecases/jobs/destinationRetry';
import { postText } from '../httpPost';
import { pacerFor } from './pacer';

export interface HubSpotSettings {
	/** https://api.hubapi.com, or a proxy / local double. */
	apiUrl: string;
	/** A private app's token (Authorization: Bearer). */
	accessToken: string;
	/** One request, answer included. */
	timeoutMs: number;
	/**
	 * The app's burst limit: 100 (Free, Starter) or 190 (Professional, Enterprise) requests per 10 s,
	 * 250 with the API limit increase. Every request of this process with this token shares it.
	 */
	requestsPerTenSeconds: number;
	/** Length of the rolling window: HubSpot's is 10 s (the default); tests shorten it. */
	windowMs?: number;
	/** How long one call may wait out 5xx, network failures and TEN_SECONDLY 429s. */
	retry?: RetryPolicy;
}

/**
 * The one place that names HubSpot's API generation for the service. The v3 paths are supported
 * until September 2027; the dated ones (/crm/objects/2026-03/…) replace them.
 */
export const CRM_OBJECTS = '/crm/v3/objects';
export const CRM_PROPERTIES = '/crm/v3/properties';

/** HubSpot's limit of inputs per batch request. */
export const MAX_CONTACTS_PER_REQUEST = 100;
/**
 * One contact's properties, serialized. HubSpot takes up to 65,536 characters in one text
 * property; a shop's contact is a few hundred bytes. 100 contacts stay under 6.4 MB a request.
 */
export const MAX_CONTACT_BYTES = 64_000;
const DEFAULT_WINDOW_MS = 10_000;

export interface InvalidContact {
	/** Position in the contacts given. */
	index: number;
	/** Why (HubSpot's words when it refused the contact), never the contact's data. */
	reason: string;
}

export interface UpsertResult {
	/** Contacts HubSpot created or updated. */
	upserted: number;
	invalid: InvalidContact[];
	/** HTTP requests made, retries and halves included. */
	requests: number;
}

interface Answer {
	ok: boolean;
	status: number;
	body: Record<string, unknown>;
	/** Why it failed: only 'invalid' comes back (a 400, a 409); the rest is retried or thrown. */
	failure?: Classified;
}

function hubSpotWords(body: Record<string, unknown>, failure: Classified): string {
	const parts = [failure.message];
	if (typeof body.category === 'string') parts.push(body.category);
	if (typeof body.policyName === 'string') parts.push(`policy ${body.policyName}`);
	if (failure.traceId) parts.push(`correlationId ${failure.traceId}`);
	return parts.join(', ');
}

/**
 * Every HubSpot request of the service: paced under the app's rolling 10-second limit (so a job
 * normally never meets a 429), 5xx and network failures retried with backoff, a TEN_SECONDLY 429
 * waited out (Retry-After, else a whole window, during which no caller sharing the window sends)
 * within settings.retry's budget (then DestinationUnavailable). A DAILY 429 and 401/403 throw
 * DestinationRefused with HubSpot's message, redacted; other refusals (400, 409) are returned.
 */
async function hubspotRequest(
	settings: HubSpotSettings,
	path: string,
	body: string,
	signal: AbortSignal | undefined,
	counter: { requests: number },
): Promise<Answer> {
	const windowMs = settings.windowMs ?? DEFAULT_WINDOW_MS;
	const base = settings.apiUrl.replace(/\/+$/, '');
	const pacer = pacerFor(base, settings.accessToken, settings.requestsPerTenSeconds, windowMs);
	const budget = new RetryBudget('hubspot', settings.retry);
	for (;;) {
		const release = await pacer.acquire(signal);
		counter.requests += 1;
		let status: number;
		let text: string;
		let headers: Record<string, string>;
		try {
			({ status, text, headers } = await postText(`${base}${path}`, body, {
				headers: { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json' },
				timeoutMs: settings.timeoutMs,
				signal,
			}));
		} catch (error) {
			release();
			if (signal?.aborted) throw signal.reason;
			await budget.wait(`HubSpot could not be reached: ${classifyNetworkError(error).message}`, undefined, signal);
			continue;
		}
		release();
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text ? { message: text } : {};
		}
		const answer = isRecord(parsed) ? parsed : {};
		if (status >= 200 && status < 300) return { ok: true, status, body: answer };
		const failure = classifyHubSpotError(status, answer, headers);
		const words = hubSpotWords(answer, { ...failure, message: safeReason(failure.message) });
		if (status === 429 && failure.retryable) {
			const wait = retryAfterMs(headers) ?? windowMs;
			pacer.holdFor(wait);
			await budget.wait(words, wait, signal);
			continue;
		}
		if (status === 429)
			throw new DestinationRefused(
				'hubspot',
				`${words}; the daily limit resets at midnight in the account's time zone`,
				failure.code,
			);
		if (failure.class === 'auth')
			throw new DestinationRefused('hubspot', `${words}; check the private app token and its scopes`, status);
		if (failure.retryable) {
			await budget.wait(words, failure.retryAfterMs, signal);
			continue;
		}
		return { ok: false, status, body: answer, failure };
	}
}

/** Contacts naming the same e-mail, sent as one input (HubSpot refuses duplicate ids in a batch). */
interface Group {
	email: string;
	trace: string;
	indexes: number[];
	properties: Record<string, string>;
}

type Outcome = { ok: true } | { ok: false; reason: string };

/**
 * A contact's normalized e-mail, or why it cannot be sent (naming the property). Its size is
 * measured exactly only when a cheap upper bound (3 UTF-8 bytes per UTF-16 unit, quotes and
 * separators) exceeds the limit: a shop's contacts are a few hundred bytes.
 */
function checkContact(contact: unknown): { email: string } | { problem: string } {
	if (!isRecord(contact)) return { problem: 'not an object of properties' };
	let bound = 2;
	for (const name in contact) {
		const value = contact[name];
		if (typeof value !== 'string') return { problem: `property ${name.slice(0, 100)}: not text` };
		bound += 3 * (name.length + value.length) + 6;
	}
	const raw = contact.email as string | undefined;
	if (raw === undefined || raw.trim() === '') return { problem: 'email: missing' };
	const email = normalizeEmail(raw);
	if (!email) return { problem: 'email: not a valid e-mail address' };
	if (bound > MAX_CONTACT_BYTES) {
		const bytes = Buffer.byteLength(JSON.stringify(contact), 'utf8');
		if (bytes > MAX_CONTACT_BYTES)
			return {
				problem: `properties: ${bytes.toLocaleString('en-US')} bytes, above the ${MAX_CONTACT_BYTES.toLocaleString('en-US')} one contact may carry`,
			};
	}
	return { email };
}

/** HubSpot's reason for a record, with the record's own e-mail taken out even where it is not an address. */
function recordReason(entry: Record<string, unknown>, groups: Iterable<Group>): string {
	let text = typeof entry.message === 'string' && entry.message ? entry.message : 'HubSpot refused this contact';
	if (typeof entry.category === 'string') text = `${entry.category}: ${text}`;
	text = text.slice(0, 2_000);
	for (const g of groups) text = replaceAllCaseless(text, g.email, '[redacted]');
	return safeReason(text);
}

function replaceAllCaseless(text: string, value: string, by: string): string {
	if (!value) return text;
	const lower = text.toLowerCase();
	let out = '';
	let from = 0;
	for (let at = lower.indexOf(value, from); at >= 0; at = lower.indexOf(value, from)) {
		out += text.slice(from, at) + by;
		from = at + value.length;
	}
	return out + text.slice(from);
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

/**
 * A 200 or 207 as each group's outcome: results and errors matched by objectWriteTraceId, else by
 * e-mail; an error wins over a result; a group HubSpot says nothing about is counted invalid.
 */
function readAnswer(batch: readonly Group[], body: Record<string, unknown>): Map<Group, Outcome> {
	const outcomes = new Map<Group, Outcome>();
	const byTrace = new Map(batch.map((g) => [g.trace, g]));
	const byEmail = new Map(batch.map((g) => [g.email, g]));
	const byId = (id: string) => byEmail.get(id.trim().toLowerCase());
	for (const result of Array.isArray(body.results) ? body.results : []) {
		if (!isRecord(result)) continue;
		const properties = isRecord(result.properties) ? result.properties : {};
		const g = byTrace.get(String(result.objectWriteTraceId)) ?? byId(String(properties.email ?? ''));
		if (g) outcomes.set(g, { ok: true });
	}
	let unmatched: string | undefined;
	for (const entry of Array.isArray(body.errors) ? body.errors : []) {
		if (!isRecord(entry)) continue;
		const context = isRecord(entry.context) ? entry.context : {};
		const named = new Set(
			[
				...strings(context.objectWriteTraceId).map((t) => byTrace.get(t)),
				...[...strings(context.ids), ...strings(context.id), ...strings(entry.id)].map(byId),
			].filter((g): g is Group => g !== undefined),
		);
		// Redacting with every e-mail of the batch: an error naming no record may still quote one.
		const reason = recordReason(entry, named.size ? named : batch);
		if (named.size === 0) unmatched ??= reason;
		for (const g of named) outcomes.set(g, { ok: false, reason });
	}
	for (const g of batch) {
		if (!outcomes.has(g))
			outcomes.set(g, { ok: false, reason: unmatched ?? 'HubSpot answered without a result or an error for it' });
	}
	return outcomes;
}

/**
 * Upserts up to 100 contacts by e-mail (idProperty email) in one request. Contacts without a valid
 * e-mail (or with a property that is not text, or too large) are counted invalid before sending;
 * two contacts with one e-mail become one input, the later one's properties winning. A 207's
 * per-record errors count their own contacts invalid with HubSpot's reason. A batch HubSpot refuses
 * as a whole (400) is split in halves down to the contacts at fault, unless two levels of halves
 * fail alike: then the request is at fault (a property that does not exist), every batch would
 * fail, and DestinationRefused stops the job. Pacing, retries and the DAILY limit: hubspotRequest.
 */
export async function upsertContacts(
	settings: HubSpotSettings,
	contacts: Array<Record<string, string>>,
	signal?: AbortSignal,
): Promise<UpsertResult> {
	if (contacts.length > MAX_CONTACTS_PER_REQUEST)
		throw new RangeError(`contacts: at most ${MAX_CONTACTS_PER_REQUEST} a request, got ${contacts.length}`);
	const invalid: InvalidContact[] = [];
	const groups = new Map<string, Group>();
	contacts.forEach((contact, index) => {
		const checked = checkContact(contact);
		if ('problem' in checked) {
			invalid.push({ index, reason: checked.problem });
			return;
		}
		const email = checked.email;
		const found = groups.get(email);
		if (found) {
			found.indexes.push(index);
			Object.assign(found.properties, contact, { email });
		} else
			groups.set(email, { email, trace: String(groups.size), indexes: [index], properties: { ...contact, email } });
	});
	const counter = { requests: 0 };
	const sentAlone = new Set<Group>();
	const send = async (batch: readonly Group[]): Promise<SendOutcome<Map<Group, Outcome>, string>> => {
		if (batch.length === 1) sentAlone.add(batch[0]);
		const body = JSON.stringify({
			inputs: batch.map((g) => ({
				idProperty: 'email',
				id: g.email,
				properties: g.properties,
				objectWriteTraceId: g.trace,
			})),
		});
		const answer = await hubspotRequest(settings, `${CRM_OBJECTS}/contacts/batch/upsert`, body, signal, counter);
		if (answer.ok) return { ok: true, result: readAnswer(batch, answer.body) };
		return {
			ok: false,
			invalid: true,
			error: recordReason({ ...answer.body, message: answer.failure?.message }, batch),
		};
	};
	const sent = await sendWithBisection([...groups.values()], send, {
		stopWhenHalvesFailAlike: { levels: 2, same: (error, first) => error === first },
	});
	let upserted = 0;
	for (const { item, ok, result, error } of sent) {
		if (!ok && !sentAlone.has(item))
			throw new DestinationRefused('hubspot', `every part of the batch was refused alike: ${error}`);
		const outcome: Outcome = ok
			? (result!.get(item) ?? { ok: false, reason: 'no answer' })
			: { ok: false, reason: error! };
		if (outcome.ok) upserted += item.indexes.length;
		else for (const index of item.indexes) invalid.push({ index, reason: outcome.reason });
	}
	invalid.sort((a, b) => a.index - b.index);
	return { upserted, invalid, requests: counter.requests };
}

export interface EnsureResult {
	created: string[];
	existed: string[];
	requests: number;
}

/**
 * Creates the "shopify" contact property group and the contact properties the Shopify mapping
 * writes (nodes/core/shopify/hubspot.ts), group first; 409 means it exists already. Meant once per
 * job, before its first upsert. A refusal throws DestinationRefused naming the property.
 */
export async function ensureContactProperties(settings: HubSpotSettings, signal?: AbortSignal): Promise<EnsureResult> {
	const steps = [
		{
			label: `contacts/groups/${SHOPIFY_HUBSPOT_GROUP.name}`,
			path: `${CRM_PROPERTIES}/contacts/groups`,
			body: { name: SHOPIFY_HUBSPOT_GROUP.name, label: SHOPIFY_HUBSPOT_GROUP.label },
		},
		...SHOPIFY_HUBSPOT_PROPERTIES.map((definition) => ({
			label: `contacts/${definition.name}`,
			path: `${CRM_PROPERTIES}/contacts`,
			body: { ...definition },
		})),
	];
	const result: EnsureResult = { created: [], existed: [], requests: 0 };
	for (const step of steps) {
		const answer = await hubspotRequest(settings, step.path, JSON.stringify(step.body), signal, result);
		if (answer.ok) result.created.push(step.label);
		else if (answer.status === 409) result.existed.push(step.label);
		else
			throw new DestinationRefused(
				'hubspot',
				`creating ${step.label}: ${hubSpotWords(answer.body, { ...answer.failure!, message: safeReason(answer.failure!.message) })}`,
				answer.status,
			);
	}
	return result;
}
