import { isRecord, retryAfterMs, type Classified, type Headers } from './types';

/** HubSpot: TEN_SECONDLY 429s lift within the window; DAILY ones don't until midnight. */
export function classifyHubSpotError(status: number, body: unknown, headers?: Headers): Classified {
	const b = isRecord(body) ? body : {};
	const message = (typeof b.message === 'string' && b.message) || `HubSpot answered HTTP ${status}`;
	const base = {
		message,
		code: typeof b.category === 'string' ? b.category : status,
		traceId: typeof b.correlationId === 'string' ? b.correlationId : undefined,
	};
	if (status === 429) {
		const policy = typeof b.policyName === 'string' ? b.policyName : '';
		if (policy.includes('DAILY')) return { ...base, code: policy, class: 'throttle', retryable: false };
		return {
			...base,
			code: policy || 'RATE_LIMIT',
			class: 'throttle',
			retryable: true,
			retryAfterMs: retryAfterMs(headers) ?? 10_000,
		};
	}
	if (status === 401 || status === 403) return { ...base, class: 'auth', retryable: false };
	if (status >= 500 || status === 408)
		return { ...base, class: 'retry', retryable: true, retryAfterMs: retryAfterMs(headers) };
	return { ...base, class: 'invalid', retryable: false };
}
