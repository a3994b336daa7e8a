import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

// The shop's origin as an n8n expression: the base URL override, else https://<shop domain>.
const ORIGIN =
	'($credentials.baseUrl || ("https://" + String($credentials.shopDomain).trim().replace(/^https?:\\/\\//i, ""))).replace(/\\/+$/, "")';

export class ShopifyRelayApi implements ICredentialType {
	name = 'shopifyRelayApi';

	displayName = 'Shopify (Conversion Relay) API';

	icon: Icon = { light: 'file:icons/shopify.svg', dark: 'file:icons/shopify.dark.svg' };

	documentationUrl = 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#shopify-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Shop Domain',
			name: 'shopDomain',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. my-shop.myshopify.com',
			description: 'The shop\'s myshopify.com domain (not its custom storefront domain)',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '2025-10',
			description: 'Admin API version (quarterly, each supported at least 12 months); webhooks are delivered in this version\'s shape',
		},
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			options: [
				{
					name: 'Admin API Access Token',
					value: 'accessToken',
					description: 'A fixed token (shpat_…) of an app installed on the shop',
				},
				{
					name: 'Client Credentials',
					value: 'clientCredentials',
					description: 'Client ID and secret exchanged for short-lived tokens (Dev Dashboard apps, 2026 on)',
				},
			],
			default: 'accessToken',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['accessToken'] } },
			description: 'Admin API access token with read_orders and read_customers (webhook topics need those scopes)',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['clientCredentials'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The app\'s client secret (API secret key): Shopify signs every webhook with it, and client credentials use it to get tokens',
		},
		{
			displayName: 'Previous Client Secret',
			name: 'previousClientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only while rotating the secret: webhooks signed with the old one are still accepted until you clear this field',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://my-shop.myshopify.com',
			description: 'Leave empty for https://&lt;shop domain&gt;. Set it to reach the shop through a proxy, a gateway or a local test double.',
		},
	];

	/**
	 * A fixed token goes into X-Shopify-Access-Token. With client credentials the transport has
	 * already put a fresh token there (tokens expire, so they cannot live in the credential).
	 */
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		if (credentials.authMethod === 'clientCredentials') return requestOptions;
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, 'X-Shopify-Access-Token': String(credentials.accessToken ?? '') },
		};
	};

	// A fixed token is tested with a one-field GraphQL query; client credentials by asking for a token.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{${ORIGIN}}}`,
			url: '={{$credentials.authMethod === "clientCredentials" ? "/admin/oauth/access_token" : "/admin/api/" + $credentials.apiVersion + "/graphql.json"}}',
			method: 'POST',
			// Spaces keep the object literals' braces from reading as the expression's closing }}.
			body: '={{ $credentials.authMethod === "clientCredentials" ? { client_id: $credentials.clientId, client_secret: $credentials.clientSecret, grant_type: "client_credentials" } : { query: "{ shop { name } }" } }}',
		},
	};
}
