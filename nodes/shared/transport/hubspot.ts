import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';
import { classifyHubSpotError } from '../../core/errors/hubspot';
import { redactBody, redactText } from '../../core/errors/redact';
import { classifyNetworkError, isRecord, retryAfterMs, type Classified, type Headers } from '../../core/errors/types';

export const HUBSPOT_CREDENTIAL = 'hubSpotRelayApi';

/**
 * The one place that names HubSpot's API generation. The v3 paths are supported until
 * September 2027; the dated ones (/crm/objects/2026-03/…) replace them.
 */
export const CRM_OBJECTS = '/crm/v3/objects';
export const CRM_PROPERTIES = '/crm/v3/properties';
export const CRM_ASSOCIATIONS = '/crm/v4/associations';

export const HUBSPOT_MAX_ATTEMPTS = 4;
// A 429 or 5xx asking for longer than this is reported, not waited out inside one execution.
const MAX_WAIT_MS = 30_000;

interface HubSpotCredential {
	accessToken: string;
	baseUrl?: string;
}

export interface HubSpotResponse {
	ok: boolean;
	statusCode: number;
	body: IDataObject;
	headers: Headers;
	/** HTTP requests made, retries included. */
	requests: number;
	/** Why it failed, when it did. */
	failure?: Classified;
}

// SECONDLY windows (some search endpoints) lift after a second; the classifier assumes ten.
function waitFor(failure: Classified, headers: Headers, attempt: number): number {
	if (failure.code === 'SECONDLY' && retryAfterMs(headers) === undefined) return 1000;
	return failure.retryAfterMs ?? 1000 * 2 ** (attempt - 1);
}

function asBody(body: unknown): IDataObject {
	if (isRecord(body)) return body as IDataObject;
	return typeof body === 'string' && body ? { message: body } : {};
}

/**
 * Every HubSpot request of the package goes through here. TEN_SECONDLY (and SECONDLY) 429s and
 * 5xx are waited out and retried, a bounded number of times; a DAILY 429, auth and validation
 * errors come back at once, unretried. HTTP errors are returned, not thrown: the caller decides
 * per item (a 409 can be fine, a 207 carries per-record errors).
 */
export async function hubspotRequest(
	this: IExecuteFunctions,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<HubSpotResponse> {
	const credential = (await this.getCredentials(HUBSPOT_CREDENTIAL)) as unknown as HubSpotCredential;
	const base = (credential.baseUrl || 'https://api.hubapi.com').replace(/\/+$/, '');
	for (let attempt = 1; ; attempt++) {
		let response: { statusCode: number; body: unknown; headers?: Headers };
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, HUBSPOT_CREDENTIAL, {
				method,
				url: `${base}${path}`,
				body,
				qs,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as typeof response;
		} catch (error) {
			// No HTTP answer (reset, DNS, timeout): worth another try, like a 5xx.
			const failure = classifyNetworkError(error);
			if (attempt >= HUBSPOT_MAX_ATTEMPTS) {
				throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
					message: `HubSpot could not be reached: ${(error as Error).message}`,
					description: failure.message,
				});
			}
			await sleep(1000 * 2 ** (attempt - 1));
			continue;
		}
		const out = {
			statusCode: response.statusCode,
			body: asBody(response.body),
			headers: response.headers ?? {},
			requests: attempt,
		};
		if (out.statusCode >= 200 && out.statusCode < 300) return { ...out, ok: true };
		const failure = classifyHubSpotError(out.statusCode, out.body, out.headers);
		const wait = waitFor(failure, out.headers, attempt);
		if (!failure.retryable || attempt >= HUBSPOT_MAX_ATTEMPTS || wait > MAX_WAIT_MS)
			return { ...out, ok: false, failure };
		await sleep(wait);
	}
}

/** HubSpot's own words for a failed answer: its message, else the first detail, else the status. */
export function hubSpotMessage(body: IDataObject, statusCode: number): string {
	if (typeof body.message === 'string' && body.message) return body.message;
	const first = Array.isArray(body.errors) ? (body.errors[0] as IDataObject | undefined) : undefined;
	if (first && typeof first.message === 'string' && first.message) return first.message;
	return `HubSpot answered HTTP ${statusCode}`;
}

function describe(body: IDataObject, failure?: Classified): string | undefined {
	const parts: string[] = [];
	if (typeof body.category === 'string') parts.push(body.category);
	if (typeof body.policyName === 'string') parts.push(`policy ${body.policyName}`);
	if (failure?.class === 'auth') parts.push('check the private app token and its scopes');
	if (failure?.class === 'throttle' && !failure.retryable)
		parts.push("the daily limit resets at midnight in the account's time zone");
	if (typeof body.correlationId === 'string') parts.push(`correlationId ${body.correlationId}`);
	return parts.length ? parts.join(', ') : undefined;
}

/** A failed answer as NodeApiError carrying HubSpot's message, category and correlationId. */
export function hubSpotApiError(
	this: IExecuteFunctions,
	response: Pick<HubSpotResponse, 'statusCode' | 'body' | 'failure'>,
	itemIndex?: number,
	prefix = '',
): NodeApiError {
	return new NodeApiError(this.getNode(), redactBody(response.body) as JsonObject, {
		message: `${prefix}${redactText(hubSpotMessage(response.body, response.statusCode))}`,
		description: describe(response.body, response.failure),
		httpCode: String(response.statusCode),
		itemIndex,
	});
}
