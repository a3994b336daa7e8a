import { header, isRecord, retryAfterMs, type Classified, type Headers } from './types';

// Codes from Meta's Graph API error handling and Marketing API rate-limiting pages.
const TRANSIENT = new Set([1, 2, 21009, 5000]);
const THROTTLING = new Set([4, 17, 32, 341, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014]);
const TOKEN = new Set([102, 190]);
// usersreplace: another replace of this audience is still running; try again later.
const REPLACE_IN_PROGRESS = 1870145;

export interface Usage {
	/** Highest usage percentage any header reports (100 = throttled). */
	maxPercent: number;
	/** Minutes until access is regained, when Meta says so. */
	regainAfterMs?: number;
}

function parseJson(value: string | undefined): unknown {
	if (!value) return undefined;
	try {
		return JSON.parse(value);
	} catch {
		return undefined;
	}
}

function collect(node: unknown, usage: Usage): void {
	if (Array.isArray(node)) return node.forEach((n) => collect(n, usage));
	if (!isRecord(node)) return;
	for (const [key, value] of Object.entries(node)) {
		if (typeof value === 'number' && /call_count|total_time|total_cputime|acc_id_util_pct/.test(key)) {
			usage.maxPercent = Math.max(usage.maxPercent, value);
		} else if (typeof value === 'number' && key === 'estimated_time_to_regain_access' && value > 0) {
			usage.regainAfterMs = Math.max(usage.regainAfterMs ?? 0, value * 60_000);
		} else {
			collect(value, usage);
		}
	}
}

/** X-Business-Use-Case-Usage, X-Ad-Account-Usage and X-App-Usage, so a sender can slow down early. */
export function parseUsageHeaders(headers: Headers | undefined): Usage {
	const usage: Usage = { maxPercent: 0 };
	for (const name of ['x-business-use-case-usage', 'x-ad-account-usage', 'x-app-usage']) {
		collect(parseJson(header(headers, name)), usage);
	}
	return usage;
}

export function classifyGraphError(status: number, body: unknown, headers?: Headers): Classified {
	const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
	const code = typeof error?.code === 'number' ? error.code : undefined;
	const subcode = typeof error?.error_subcode === 'number' ? error.error_subcode : undefined;
	const message =
		(typeof error?.error_user_msg === 'string' && error.error_user_msg) ||
		(typeof error?.message === 'string' && error.message) ||
		`Graph API answered HTTP ${status}`;
	const base = {
		message,
		code,
		subcode,
		traceId: typeof error?.fbtrace_id === 'string' ? error.fbtrace_id : undefined,
	};
	const usage = parseUsageHeaders(headers);
	const wait = retryAfterMs(headers) ?? usage.regainAfterMs;

	if (code !== undefined && THROTTLING.has(code))
		return { ...base, class: 'throttle', retryable: true, retryAfterMs: wait };
	if (code === 368) return { ...base, class: 'throttle', retryable: true, retryAfterMs: wait ?? 60_000 };
	if (code === 2650 && subcode === REPLACE_IN_PROGRESS)
		return { ...base, class: 'retry', retryable: true, retryAfterMs: wait ?? 60_000 };
	if (code !== undefined && TOKEN.has(code)) return { ...base, class: 'auth', retryable: false };
	// 10 and 200-299: permissions. A person must grant them; retrying cannot.
	if (code === 10 || (code !== undefined && code >= 200 && code <= 299))
		return { ...base, class: 'auth', retryable: false };
	if ((code !== undefined && TRANSIENT.has(code)) || error?.is_transient === true)
		return { ...base, class: 'retry', retryable: true, retryAfterMs: wait };
	if (code !== undefined) return { ...base, class: 'invalid', retryable: false };
	if (status === 429) return { ...base, class: 'throttle', retryable: true, retryAfterMs: wait };
	if (status === 401 || status === 403) return { ...base, class: 'auth', retryable: false };
	if (status >= 500 || status === 408) return { ...base, class: 'retry', retryable: true, retryAfterMs: wait };
	return { ...base, class: 'invalid', retryable: false };
}
