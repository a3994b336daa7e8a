import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { RELAY_SIGNATURE_HEADER, signRelayRequest } from '../nodes/core/signatures/relay';

/**
 * The relay service's URL and API secret (the service in service/, not Meta). `name` stays as it
 * was, "conversionRelayApi": saved workflows refer to credentials by it.
 */
export class ConversionRelayApi implements ICredentialType {
	name = 'conversionRelayApi';

	displayName = 'Conversion Relay Service API';

	icon: Icon = { light: 'file:icons/relay.svg', dark: 'file:icons/relay.dark.svg' };

	documentationUrl = 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#the-relay-service';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:3000',
			placeholder: 'e.g. http://relay:3000',
			description: 'Where the relay service listens, as n8n reaches it',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'RELAY_API_SECRET, or what the service printed on its first start (kept in .relay-data/api-secret)',
		},
	];

	/**
	 * Every request is signed (X-Relay-Signature: t=…,v1=HMAC(secret, "t.body")): the secret never
	 * travels, and a captured request cannot be replayed after five minutes. The body is signed
	 * as the exact string that is sent.
	 *
	 * Except a file upload (a Buffer or a stream as the body, e.g. a sync job's customer file of
	 * hundreds of MB): it cannot be signed before it is read, so it goes untouched with the secret
	 * as a Bearer token, which the service checks before it reads the body.
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const raw = requestOptions.body as unknown;
		if (Buffer.isBuffer(raw) || typeof (raw as { pipe?: unknown } | null)?.pipe === 'function')
			return {
				...requestOptions,
				headers: { ...requestOptions.headers, authorization: `Bearer ${String(credentials.apiSecret)}` },
			};
		const body =
			requestOptions.body === undefined || requestOptions.body === ''
				? ''
				: typeof requestOptions.body === 'string'
					? requestOptions.body
					: JSON.stringify(requestOptions.body);
		return {
			...requestOptions,
			...(body ? { body } : {}),
			headers: {
				...requestOptions.headers,
				[RELAY_SIGNATURE_HEADER]: signRelayRequest(body, String(credentials.apiSecret)),
			},
		};
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/events',
			qs: { limit: 1 },
		},
	};
}
