/** What a caller should do about a failed API call. */
export type ErrorClass =
	| 'retry' // transient: try again with backoff
	| 'throttle' // rate limited: wait (retryAfterMs when known), then try again
	| 'invalid' // the request's content is wrong: retrying cannot help; report it
	| 'auth'; // token or permission problem: stop and tell a person

export interface Classified {
	class: ErrorClass;
	/** False for a throttle that will not lift soon (HubSpot DAILY): surface it, don't wait. */
	retryable: boolean;
	message: string;
	code?: number | string;
	subcode?: number;
	retryAfterMs?: number;
	/** Meta's fbtrace_id or HubSpot's correlationId: what their support asks for. */
	traceId?: string;
}

export type Headers = Record<string, string | string[] | undefined>;

export function header(headers: Headers | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** Retry-After in seconds or as an HTTP date, in ms. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
	const value = header(headers, 'retry-after');
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const at = Date.parse(value);
	return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Network failures (no HTTP answer): always worth retrying. */
export function classifyNetworkError(error: unknown): Classified {
	const code = isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
	return { class: 'retry', retryable: true, message: `network error${code ? ` ${code}` : ''}`, code };
}
