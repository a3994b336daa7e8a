import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * A token for Meta's own Graph API: the Meta Conversions API node's "Directly to Meta" delivery
 * and the Meta Custom Audiences node. Not the relay service's credential (Conversion Relay
 * Service API), which its former display name, "Meta Conversion Relay API", suggested. `name`
 * stays as it was: saved workflows refer to credentials by it.
 */
export class MetaConversionRelayApi implements ICredentialType {
	name = 'metaConversionRelayApi';

	displayName = 'Meta Graph API';

	icon: Icon = { light: 'file:icons/meta.svg', dark: 'file:icons/meta.dark.svg' };

	documentationUrl = 'https://developers.facebook.com/docs/marketing-api/conversions-api/get-started';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A system user access token with ads_management permission for the pixel (dataset)',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. When set, every request carries appsecret_proof, as apps that require it demand.',
		},
		{
			displayName: 'Graph API Version',
			name: 'apiVersion',
			type: 'string',
			default: 'v25.0',
			description: 'Each version lives at least two years; change it when Meta deprecates this one',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://graph.facebook.com',
			description: 'Meta Graph API, or a proxy, gateway or local test double standing in for it',
		},
	];

	// The token travels in a header, never in a URL that ends up in logs.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/{{$credentials.apiVersion}}',
			url: '/me',
			qs: { fields: 'id,name' },
		},
	};
}
