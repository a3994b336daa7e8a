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
	const credential = await this.getCredentials(RELAY_CREDENTIAL);
	const base = String(credential.baseUrl || 'http://localhost:3000').replace(/\/+$/, '');
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
