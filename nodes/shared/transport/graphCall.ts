import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';
import { classifyGraphError } from '../../core/errors/graph';
import { redactBody, redactText } from '../../core/errors/redact';
import type { Classified } from '../../core/errors/types';
import { graphRequest, type GraphResponse } from './metaGraph';

export const GRAPH_MAX_ATTEMPTS = 4;

export interface GraphCallResult {
	ok: boolean;
	response: GraphResponse;
	/** HTTP requests made, retries included. */
	requests: number;
	/** Why it failed, when it did. */
	failure?: Classified;
}

/**
 * One Graph API call over graphRequest, retried (bounded) while Meta says the failure is
 * transient or throttled, waiting as long as Meta asks. Other failures come back unretried.
 */
export async function graphCall(
	this: IExecuteFunctions,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
	maxAttempts = GRAPH_MAX_ATTEMPTS,
): Promise<GraphCallResult> {
	for (let attempt = 1; ; attempt++) {
		const response = await graphRequest.call(this, method, path, body, qs);
		if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, response, requests: attempt };
		const failure = classifyGraphError(response.statusCode, response.body, response.headers);
		const transient = failure.retryable && (failure.class === 'retry' || failure.class === 'throttle');
		if (!transient || attempt >= maxAttempts) return { ok: false, response, requests: attempt, failure };
		await sleep(failure.retryAfterMs ?? 1000 * 2 ** (attempt - 1));
	}
}

/** A failed Graph answer as NodeApiError carrying Meta's own message and its fbtrace_id. */
export function graphApiError(this: IExecuteFunctions, response: GraphResponse, itemIndex?: number): NodeApiError {
	const error = (response.body.error ?? {}) as IDataObject;
	const message =
		(error.error_user_msg as string) || (error.message as string) || `Meta answered HTTP ${response.statusCode}`;
	const code =
		error.code !== undefined
			? `code ${String(error.code)}${error.error_subcode ? `/${String(error.error_subcode)}` : ''}`
			: '';
	const trace = error.fbtrace_id ? `fbtrace_id ${error.fbtrace_id as string}` : '';
	return new NodeApiError(this.getNode(), redactBody(response.body) as JsonObject, {
		message: redactText(message),
		description: [code, trace].filter(Boolean).join(', ') || undefined,
		httpCode: String(response.statusCode),
		itemIndex,
	});
}
