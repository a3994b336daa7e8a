import { MAX_EVENT_ID_LENGTH, MAX_EVENT_NAME_LENGTH } from '../../../nodes/core/capi/limits';
import type { EventInputBody } from './eventSchema';
import { ingestEvents, type IngestContext } from './ingestEvents';
import { RefusedInput } from './refusedInput';

interface Person {
	id?: number | string;
	name?: string | null;
	email?: string | null;
	phone_number?: string | null;
	identifier?: string | null;
}

interface ChatwootPayload extends Person {
	event?: string;
	status?: string;
	labels?: string[];
	account?: { id?: number | string };
	meta?: { sender?: Person };
	changed_attributes?: Array<Record<string, { previous_value?: unknown; current_value?: unknown }>>;
}

/** Which configured triggers this delivery fires. */
export function triggersOf(p: ChatwootPayload): string[] {
	const out: string[] = [];
	if (p.event === 'conversation_created')
		out.push('conversation_created', ...(p.labels ?? []).map((l) => `label:${l}`));
	if (p.event === 'contact_created') out.push('contact_created');
	if (p.event === 'conversation_status_changed' && p.status) out.push(`status:${p.status}`);
	if (p.event === 'conversation_updated') {
		for (const change of p.changed_attributes ?? []) {
			const labels = change.label_list;
			if (!labels) continue;
			const before = new Set(Array.isArray(labels.previous_value) ? (labels.previous_value as string[]) : []);
			const now = Array.isArray(labels.current_value) ? (labels.current_value as string[]) : [];
			out.push(...now.filter((l) => !before.has(l)).map((l) => `label:${l}`));
		}
	}
	return out;
}

// The event id holds the account id and the conversation's (or contact's) id: each at most this
// long, so that "chatwoot:<account>:conversation:<id>:<event name>" stays a storable key.
const MAX_CHATWOOT_ID_LENGTH = Math.floor(
	(MAX_EVENT_ID_LENGTH - 'chatwoot::conversation::'.length - MAX_EVENT_NAME_LENGTH) / 2,
);

function checkId(value: unknown, field: string): void {
	if (value === undefined || value === null) return;
	if (typeof value !== 'number' && typeof value !== 'string') throw new RefusedInput(field, 'must be a number or text');
	if (String(value).length > MAX_CHATWOOT_ID_LENGTH)
		throw new RefusedInput(field, `at most ${MAX_CHATWOOT_ID_LENGTH} characters`);
}

function toEvent(p: ChatwootPayload, eventName: string): EventInputBody {
	const person: Person = p.event === 'contact_created' ? p : (p.meta?.sender ?? {});
	const [first, ...rest] = (person.name ?? '').trim().split(/\s+/);
	const subject = p.event === 'contact_created' ? `contact:${p.id}` : `conversation:${p.id}`;
	return {
		event_name: eventName,
		event_id: `chatwoot:${p.account?.id ?? 'account'}:${subject}:${eventName}`,
		action_source: 'chat',
		email: person.email ?? undefined,
		phone: person.phone_number ?? undefined,
		first_name: first || undefined,
		last_name: rest.join(' ') || undefined,
		external_id: person.identifier ?? (person.id !== undefined ? `chatwoot:${person.id}` : undefined),
	};
}

export async function handleChatwootDelivery(ctx: IngestContext, payload: ChatwootPayload, deliveryId: string | null) {
	const { config } = ctx;
	const fired = new Set(triggersOf(payload));
	const events = config.CHATWOOT_RULES.filter((r) => fired.has(r.trigger)).map((r) => toEvent(payload, r.event));
	if (events.length === 0) return { matched: 0, data: [], errors: [] };
	checkId(payload.account?.id, 'account.id');
	checkId(payload.id, 'id');
	const key = deliveryId ?? null;
	const result = await ingestEvents(ctx, 'chatwoot', events, key);
	return {
		matched: events.length,
		duplicate_delivery: result.duplicateDelivery,
		data: result.accepted,
		errors: result.errors,
	};
}
