import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { clientCredentialsGrant, type ShopifyCredential } from '../nodes/shared/transport/shopifyAdmin';

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
			description: "The shop's myshopify.com domain (not its custom storefront domain)",
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '2025-10',
			description:
				"Admin API version (quarterly, each supported at least 12 months); webhooks are delivered in this version's shape",
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
			description:
				"The app's client secret (API secret key): Shopify signs every webhook with it, and client credentials use it to get tokens",
		},
		{
			displayName: 'Previous Client Secret',
			name: 'previousClientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while rotating the secret: webhooks signed with the old one are still accepted until you clear this field',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://my-shop.myshopify.com',
			description:
				'Leave empty for https://&lt;shop domain&gt;. Set it to reach the shop through a proxy, a gateway or a local test double.',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/**
	 * With client credentials n8n asks for a token here when the stored one is empty or was
	 * refused (401), and keeps it in the hidden Session Token field: so n8n's own HTTP Request node
	 * can use this credential in both modes. The package's nodes keep their own token cache.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		// A fixed token needs no session: a placeholder keeps n8n from asking again.
		if (credentials.authMethod !== 'clientCredentials') return { sessionToken: 'fixed-token' };
		const response = (await this.helpers.httpRequest(
			clientCredentialsGrant(credentials as unknown as ShopifyCredential),
		)) as { access_token?: unknown };
		if (typeof response?.access_token !== 'string' || !response.access_token)
			throw new Error('Shopify answered the client credentials grant without an access token');
		return { sessionToken: response.access_token };
	}

	/**
	 * The token goes into X-Shopify-Access-Token: the fixed one, or with client credentials the
	 * session token, unless the package's transport already put a fresh one there.
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const headers = (requestOptions.headers ?? {}) as Record<string, unknown>;
		const present = Object.keys(headers).some((name) => name.toLowerCase() === 'x-shopify-access-token');
		if (present) return requestOptions;
		const token = credentials.authMethod === 'clientCredentials' ? credentials.sessionToken : credentials.accessToken;
		return { ...requestOptions, headers: { ...headers, 'X-Shopify-Access-Token': String(token ?? '') } };
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
