import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';
import { appSecretProof } from '../../core/capi/appSecretProof';

export const META_CREDENTIAL = 'metaConversionRelayApi';

export interface GraphResponse {
	statusCode: number;
	body: IDataObject;
	headers: Record<string, string | string[] | undefined>;
}

interface MetaCredential {
	accessToken: string;
	appSecret?: string;
	apiVersion?: string;
	baseUrl?: string;
}

/**
 * Every Graph API request of the Meta nodes goes through here. HTTP errors are returned, not
 * thrown: the caller classifies them (retry, throttle, invalid, auth) and decides per item.
 */
export async function graphRequest(
	this: IExecuteFunctions,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<GraphResponse> {
	const credential = (await this.getCredentials(META_CREDENTIAL)) as unknown as MetaCredential;
	const base = (credential.baseUrl || 'https://graph.facebook.com').replace(/\/+$/, '');
	const version = credential.apiVersion || 'v25.0';
	const proof = credential.appSecret
		? { appsecret_proof: appSecretProof(credential.accessToken, credential.appSecret) }
		: {};
	const sendsBody = method !== 'GET' && method !== 'DELETE';
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, META_CREDENTIAL, {
		method,
		url: `${base}/${version}/${path.replace(/^\/+/, '')}`,
		body: sendsBody ? { ...body, ...proof } : undefined,
		qs: sendsBody ? qs : { ...qs, ...body, ...proof },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: IDataObject; headers: GraphResponse['headers'] };
	return { statusCode: response.statusCode, body: response.body ?? {}, headers: response.headers ?? {} };
}
