import { isRecord, retryAfterMs, type Classified, type Headers } from './types';

interface GraphqlError {
	message?: string;
	extensions?: {
		code?: string;
		cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable?: number; restoreRate?: number } };
	};
}

/** GraphQL answers 200 even when it failed: errors[] (THROTTLED, ACCESS_DENIED, …) or userErrors. */
export function graphqlErrors(body: unknown): GraphqlError[] {
	return isRecord(body) && Array.isArray(body.errors) ? (body.errors as GraphqlError[]) : [];
}

type Cost = NonNullable<GraphqlError['extensions']>['cost'];

// Time until the leaky bucket holds enough points for the query again.
function throttleWait(body: unknown, error: GraphqlError): number | undefined {
	const top = isRecord(body) && isRecord(body.extensions) ? (body.extensions.cost as Cost) : undefined;
	const cost = error.extensions?.cost ?? top;
	const status = cost?.throttleStatus;
	if (!cost?.requestedQueryCost || !status?.restoreRate) return undefined;
	const missing = cost.requestedQueryCost - (status.currentlyAvailable ?? 0);
	return Math.max(0, Math.ceil((missing / status.restoreRate) * 1000));
}

export function classifyShopifyError(status: number, body: unknown, headers?: Headers): Classified | undefined {
	const errors = graphqlErrors(body);
	const message =
		errors
			.map((e) => e.message)
			.filter(Boolean)
			.join('; ') || `Shopify answered HTTP ${status}`;
	const throttled = errors.find((e) => e.extensions?.code === 'THROTTLED');
	if (status === 429 || throttled) {
		const wait = retryAfterMs(headers) ?? (throttled ? throttleWait(body, throttled) : undefined) ?? 1000;
		return { class: 'throttle', retryable: true, message, code: 'THROTTLED', retryAfterMs: wait };
	}
	if (status === 401 || status === 403 || errors.some((e) => e.extensions?.code === 'ACCESS_DENIED')) {
		return { class: 'auth', retryable: false, message, code: status };
	}
	if (status >= 500)
		return { class: 'retry', retryable: true, message, code: status, retryAfterMs: retryAfterMs(headers) };
	if (status >= 400 || errors.length) return { class: 'invalid', retryable: false, message, code: status };
	return undefined;
}
