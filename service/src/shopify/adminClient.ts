import {
	classifyNetworkError,
	classifyShopifyError,
	isRecord,
	redactText,
	type Classified,
	type ErrorClass,
} from '../../../nodes/core/errors';
import { systemClock, type Clock } from '../clock';

export interface ShopifyAdminSettings {
	/** x.myshopify.com */
	shop: string;
	/** Origin of the Admin API; https://{shop} unless a proxy or a test double stands in. */
	adminUrl?: string;
	apiVersion: string;
	/** A fixed admin token; else the client-credentials grant with clientId and clientSecret. */
	accessToken?: string;
	clientId?: string;
	clientSecret?: string;
	/** Per request, connection to the last byte of the answer. */
	timeoutMs: number;
}

export interface ShopifyAdminOptions {
	/** Tries per request for throttles, 5xx and network failures; default 5. */
	maxAttempts?: number;
	/** A throttle asking for longer than this is reported instead of waited out; default 60 s. */
	maxWaitMs?: number;
	/** First backoff when Shopify names no wait; doubles per try (with jitter); default 500 ms. */
	backoffMs?: number;
	clock?: Clock;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface GraphqlRequestOptions {
	signal?: AbortSignal;
	/**
	 * False for a mutation that must not run twice (bulkOperationRunQuery): then only throttles are
	 * retried, as Shopify refused those before running anything; a 5xx or a lost answer is thrown.
	 */
	idempotent?: boolean;
}

/**
 * A failed Admin API call, classified (retry / throttle / invalid / auth). The message is Shopify's
 * own words, redacted and capped: never a customer's e-mail or phone, never a token.
 */
export class ShopifyAdminError extends Error {
	override readonly name = 'ShopifyAdminError';
	constructor(
		readonly reason: ErrorClass,
		message: string,
		readonly status: number | null,
		readonly code?: number | string,
	) {
		super(redactText(message));
	}
}

// Admin GraphQL answers are small (a status, a page): a body beyond this is not one.
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
// Renew a client-credentials token this long before Shopify's expiry (at most half its life).
const RENEW_EARLY_MS = 5 * 60_000;
// When Shopify gives no expires_in: an hour, well inside the 24 h tokens live today.
const DEFAULT_LIFETIME_S = 3600;

interface Answer {
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
	new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const timer = setTimeout(done, ms);
		function done() {
			signal?.removeEventListener('abort', aborted);
			resolve();
		}
		function aborted() {
			clearTimeout(timer);
			reject(signal?.reason);
		}
		signal?.addEventListener('abort', aborted, { once: true });
	});

/** A body read to its end, refused past `max` bytes instead of filling memory. */
async function readCapped(response: Response, max: number): Promise<string> {
	if (!response.body) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let bytes = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		bytes += value.byteLength;
		if (bytes > max) {
			await reader.cancel().catch(() => undefined);
			throw new ShopifyAdminError('invalid', `Shopify's answer is larger than ${max} bytes`, response.status);
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/**
 * The service's one transport to Shopify's Admin API (GraphQL over fetch). A fixed admin token, or
 * the client-credentials grant: its token is cached until shortly before expires_in and renewed
 * once when Shopify answers 401. Throttles (HTTP 429, THROTTLED) and 5xx are retried after the wait
 * Shopify's cost data or Retry-After gives, else with exponential backoff; anything else throws a
 * ShopifyAdminError.
 */
export class ShopifyAdminClient {
	readonly shop: string;
	private readonly origin: string;
	private readonly maxAttempts: number;
	private readonly maxWaitMs: number;
	private readonly backoffMs: number;
	private readonly clock: Clock;
	private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	private token?: { value: string; renewAt: number };
	private pendingToken?: Promise<string>;

	constructor(
		private readonly settings: ShopifyAdminSettings,
		options: ShopifyAdminOptions = {},
	) {
		if (!settings.accessToken && !(settings.clientId && settings.clientSecret))
			throw new Error('Shopify Admin: an access token, or a client id and secret, is required');
		this.shop = settings.shop;
		this.origin = (settings.adminUrl?.trim() || `https://${settings.shop}`).replace(/\/+$/, '');
		this.maxAttempts = options.maxAttempts ?? 5;
		this.maxWaitMs = options.maxWaitMs ?? 60_000;
		this.backoffMs = options.backoffMs ?? 500;
		this.clock = options.clock ?? systemClock;
		this.sleep = options.sleep ?? defaultSleep;
	}

	/** `data` of a GraphQL answer. userErrors are the caller's to read: they come with HTTP 200. */
	async graphql<T = unknown>(
		query: string,
		variables: Record<string, unknown> = {},
		options: GraphqlRequestOptions = {},
	): Promise<T> {
		const url = `${this.origin}/admin/api/${encodeURIComponent(this.settings.apiVersion)}/graphql.json`;
		const body = JSON.stringify({ query, variables });
		let renewed = false;
		for (let attempt = 1; ; attempt++) {
			const token = await this.accessToken(false, options.signal);
			const answer = await this.exchange(
				url,
				{
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						accept: 'application/json',
						'x-shopify-access-token': token,
					},
					body,
				},
				options.signal,
			);
			const classified = answer.ok
				? classifyShopifyError(answer.value.status, answer.value.body, answer.value.headers)
				: answer.error;
			if (!classified && answer.ok) {
				const data = isRecord(answer.value.body) ? answer.value.body.data : undefined;
				if (data === undefined || data === null)
					throw new ShopifyAdminError('invalid', 'Shopify answered without data', answer.value.status);
				return data as T;
			}
			const error = classified as Classified;
			const status = answer.ok ? answer.value.status : null;
			if (status === 401 && this.usesGrant() && !renewed) {
				// Revoked or expired early: one fresh token, then a 401 stands.
				renewed = true;
				this.token = undefined;
				attempt--;
				continue;
			}
			await this.waitOrThrow(error, status, attempt, options, 'Shopify Admin GraphQL');
		}
	}

	private usesGrant(): boolean {
		return !this.settings.accessToken;
	}

	/** Retries what can be retried (after the wait it asks for), throws the rest. */
	private async waitOrThrow(
		error: Classified,
		status: number | null,
		attempt: number,
		options: GraphqlRequestOptions,
		what: string,
	): Promise<void> {
		const retryable = error.retryable && (options.idempotent !== false || error.class === 'throttle');
		const backoff = this.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
		const wait = error.retryAfterMs ?? backoff;
		if (!retryable || attempt >= this.maxAttempts || wait > this.maxWaitMs) {
			const tries = attempt > 1 ? ` (after ${attempt} tries)` : '';
			const http = status === null ? '' : ` HTTP ${status}`;
			throw new ShopifyAdminError(error.class, `${what}${http}: ${error.message}${tries}`, status, error.code);
		}
		await this.sleep(wait, options.signal);
	}

	/** One request and its answer; a network failure or timeout comes back classified, an abort is thrown. */
	private async exchange(
		url: string,
		init: RequestInit,
		signal?: AbortSignal,
	): Promise<{ ok: true; value: Answer } | { ok: false; error: Classified }> {
		const timeout = AbortSignal.timeout(this.settings.timeoutMs);
		try {
			const response = await fetch(url, { ...init, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
			const text = await readCapped(response, MAX_ANSWER_BYTES);
			let body: unknown = text;
			try {
				body = text ? JSON.parse(text) : undefined;
			} catch {
				// not JSON (a proxy's error page): classified by status
			}
			return { ok: true, value: { status: response.status, headers: Object.fromEntries(response.headers), body } };
		} catch (error) {
			if (signal?.aborted) throw signal.reason;
			if (error instanceof ShopifyAdminError) throw error;
			if (timeout.aborted)
				return {
					ok: false,
					error: { class: 'retry', retryable: true, message: `no answer within ${this.settings.timeoutMs} ms` },
				};
			return { ok: false, error: classifyNetworkError(error) };
		}
	}

	/** The fixed token, or a cached client-credentials token (one grant request for concurrent callers). */
	private async accessToken(renew: boolean, signal?: AbortSignal): Promise<string> {
		if (this.settings.accessToken) return this.settings.accessToken;
		if (!renew && this.token && this.token.renewAt > this.clock()) return this.token.value;
		if (!this.pendingToken) {
			this.pendingToken = this.grant(signal).finally(() => {
				this.pendingToken = undefined;
			});
		}
		return this.pendingToken;
	}

	private async grant(signal?: AbortSignal): Promise<string> {
		const body = new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: this.settings.clientId ?? '',
			client_secret: this.settings.clientSecret ?? '',
		}).toString();
		for (let attempt = 1; ; attempt++) {
			const answer = await this.exchange(
				`${this.origin}/admin/oauth/access_token`,
				{
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
					body,
				},
				signal,
			);
			if (answer.ok && answer.value.status >= 200 && answer.value.status < 300) {
				const b = isRecord(answer.value.body) ? answer.value.body : {};
				if (typeof b.access_token !== 'string' || !b.access_token)
					throw new ShopifyAdminError('auth', 'the client-credentials grant answered without an access_token', 200);
				const lifetime = Number(b.expires_in);
				const seconds = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_S;
				const early = Math.min(RENEW_EARLY_MS, (seconds * 1000) / 2);
				this.token = { value: b.access_token, renewAt: this.clock() + seconds * 1000 - early };
				return b.access_token;
			}
			const error = answer.ok ? grantError(answer.value) : answer.error;
			await this.waitOrThrow(
				error,
				answer.ok ? answer.value.status : null,
				attempt,
				{ signal },
				'Shopify client-credentials grant',
			);
		}
	}
}

/** OAuth's own words ({error, error_description}); a 4xx is the credentials' fault, not the network's. */
function grantError(answer: Answer): Classified {
	const b = isRecord(answer.body) ? answer.body : {};
	const words = [b.error, b.error_description].filter((w) => typeof w === 'string' && w).join(': ');
	const message = `${words || 'refused'}; check SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET, and that the app is installed on the shop`;
	if (answer.status === 429) return { ...classifyShopifyError(429, b, answer.headers)!, message };
	if (answer.status >= 500) return { class: 'retry', retryable: true, message, code: answer.status };
	return { class: 'auth', retryable: false, message, code: answer.status };
}
