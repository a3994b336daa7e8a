import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';

export const RELAY_CREDENTIAL = 'conversionRelayApi';

export interface RelayResponse {
	statusCode: number;
	body: IDataObject;
}

async function serviceUrl(this: IExecuteFunctions): Promise<string> {
	const credential = await this.getCredentials(RELAY_CREDENTIAL);
	return String(credential.baseUrl || 'http://localhost:3000').replace(/\/+$/, '');
}

/**
 * Every request to the relay service. The body goes as a JSON string so the credential signs
 * exactly the bytes that are sent; HTTP errors are returned for the caller to map per item.
 */
export async function relayRequest(
	this: IExecuteFunctions,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<RelayResponse> {
	const base = await serviceUrl.call(this);
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, RELAY_CREDENTIAL, {
		method,
		url: `${base}${path}`,
		qs,
		body: body === undefined ? undefined : JSON.stringify(body),
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: unknown };
	return relayResponse(response);
}

function relayResponse(response: { statusCode: number; body: unknown }): RelayResponse {
	let parsed = response.body;
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed);
		} catch {
			parsed = { error: { message: parsed } };
		}
	}
	return { statusCode: response.statusCode, body: (parsed ?? {}) as IDataObject };
}

/** What n8n's binary helpers hand out: the file's stream (binary data on disk or S3), or its bytes. */
export type UploadBody = Buffer | Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

/**
 * A file as the raw request body, streamed as n8n reads it (never whole in memory, however
 * large). The credential authenticates such a body with a Bearer token (it cannot sign bytes it
 * has not read); cancelling the execution aborts the upload.
 */
export async function relayUpload(
	this: IExecuteFunctions,
	path: string,
	qs: IDataObject,
	file: { body: UploadBody; contentType: string; contentLength?: number },
): Promise<RelayResponse> {
	const base = await serviceUrl.call(this);
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, RELAY_CREDENTIAL, {
		method: 'POST',
		url: `${base}${path}`,
		qs,
		// n8n hands a stream to its HTTP client as it is; the option's type only names Buffer.
		body: file.body as Buffer,
		headers: {
			'content-type': file.contentType,
			...(file.contentLength === undefined ? {} : { 'content-length': String(file.contentLength) }),
		},
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: unknown };
	return relayResponse(response);
}

/**
 * A list of the service (GET /v1/events, /v1/jobs: `{data, next_cursor}`, newest first), read
 * page by page along its cursor until `limit` rows (Infinity: all) or the last page.
 */
export async function relayList(
	this: IExecuteFunctions,
	path: string,
	filter: IDataObject,
	limits: { limit: number; page: number },
	itemIndex: number,
): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	let cursor: string | undefined;
	do {
		const qs: IDataObject = {
			limit: Math.min(limits.page, limits.limit - rows.length),
			...filter,
			...(cursor ? { cursor } : {}),
		};
		const response = await relayRequest.call(this, 'GET', path, undefined, qs);
		if (response.statusCode !== 200) throw relayApiError.call(this, response, itemIndex);
		rows.push(...((response.body.data ?? []) as IDataObject[]));
		cursor = (response.body.next_cursor as string | null) ?? undefined;
	} while (cursor && rows.length < limits.limit);
	return rows;
}

/** The service's `{error: {code, message, field}}` as n8n's error, with the service's message. */
export function relayApiError(this: IExecuteFunctions, response: RelayResponse, itemIndex?: number): NodeApiError {
	const error = (response.body.error ?? {}) as IDataObject;
	return new NodeApiError(this.getNode(), response.body as JsonObject, {
		message: (error.message as string) || `The relay service answered HTTP ${response.statusCode}`,
		description: error.field ? `field: ${error.field as string}` : undefined,
		httpCode: String(response.statusCode),
		itemIndex,
	});
}
