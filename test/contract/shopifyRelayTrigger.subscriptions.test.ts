import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { ShopifyRelayApi } from '../../credentials/ShopifyRelayApi.credentials';
import { ShopifyRelayTrigger } from '../../nodes/ShopifyRelayTrigger/ShopifyRelayTrigger.node';
import { hookContext } from '../support/webhookContext';

const SHOP = 'https://relay-test.myshopify.com';
const GRAPHQL = '/admin/api/2025-10/graphql.json';
const HOOK_URL = 'https://n8n.example.com/webhook/3f2a/webhook';

// Golden documents: a change to what is sent to Shopify must show up here.
const LIST =
	'query ListWebhookSubscriptions($topics: [WebhookSubscriptionTopic!], $after: String) { webhookSubscriptions(first: 100, topics: $topics, after: $after) { nodes { id topic uri } pageInfo { hasNextPage endCursor } } }';
const CREATE =
	'mutation CreateWebhookSubscription($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) { webhookSubscription { id topic uri } userErrors { field message } } }';
const DELETE =
	'mutation DeleteWebhookSubscription($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } } }';

const gid = (n: number) => `gid://shopify/WebhookSubscription/${n}`;
const credential = new ShopifyRelayApi();
const trigger = new ShopifyRelayTrigger();
const methods = trigger.webhookMethods.default;

function context(params: IDataObject, staticData: IDataObject = {}, credentials: ICredentialDataDecryptedObject = {}) {
	return hookContext({
		params: { options: {}, ...params },
		credentials: {
			shopDomain: 'relay-test.myshopify.com',
			apiVersion: '2025-10',
			authMethod: 'accessToken',
			accessToken: 'shpat_TOKEN',
			clientSecret: 'SECRET',
			baseUrl: '',
			...credentials,
		},
		staticData,
		webhookUrl: HOOK_URL,
		authenticate: credential.authenticate,
	});
}

function listReply(
	nodes: Array<{ id: string; topic: string; uri: string }>,
	pageInfo = { hasNextPage: false, endCursor: null as string | null },
) {
	return { data: { webhookSubscriptions: { nodes, pageInfo } }, extensions: { cost: { requestedQueryCost: 12 } } };
}

afterEach(() => {
	nock.cleanAll();
	jest.restoreAllMocks();
});
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('checkExists', () => {
	it('lists by topic with the fixed token and adopts the subscriptions at this URL only', async () => {
		const scope = nock(SHOP, { reqheaders: { 'x-shopify-access-token': 'shpat_TOKEN' } })
			.post(GRAPHQL, { query: LIST, variables: { topics: ['ORDERS_PAID', 'CUSTOMERS_CREATE'], after: null } })
			.reply(
				200,
				listReply([
					{ id: gid(1), topic: 'ORDERS_PAID', uri: HOOK_URL },
					{ id: gid(2), topic: 'ORDERS_PAID', uri: 'https://elsewhere.example.com/hook' },
					{ id: gid(3), topic: 'CUSTOMERS_CREATE', uri: HOOK_URL },
				]),
			);
		const ctx = context({ topics: ['orders/paid', 'customers/create'] });
		await expect(methods.checkExists.call(ctx)).resolves.toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(ctx.staticData.subscriptionIds).toEqual([gid(1), gid(3)]);
	});

	it('is false while one selected topic has no subscription at this URL', async () => {
		nock(SHOP)
			.post(GRAPHQL)
			.reply(200, listReply([{ id: gid(1), topic: 'ORDERS_PAID', uri: HOOK_URL }]));
		const ctx = context({ topics: ['orders/paid', 'refunds/create'] });
		await expect(methods.checkExists.call(ctx)).resolves.toBe(false);
		expect(ctx.staticData.subscriptionIds).toBeUndefined();
	});

	it('follows pagination', async () => {
		const scope = nock(SHOP)
			.post(GRAPHQL, { query: LIST, variables: { topics: ['ORDERS_CREATE'], after: null } })
			.reply(
				200,
				listReply([{ id: gid(7), topic: 'ORDERS_CREATE', uri: 'https://other.example.com' }], {
					hasNextPage: true,
					endCursor: 'CURSOR1',
				}),
			)
			.post(GRAPHQL, { query: LIST, variables: { topics: ['ORDERS_CREATE'], after: 'CURSOR1' } })
			.reply(200, listReply([{ id: gid(8), topic: 'ORDERS_CREATE', uri: HOOK_URL }]));
		const ctx = context({ topics: ['orders/create'] });
		await expect(methods.checkExists.call(ctx)).resolves.toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(ctx.staticData.subscriptionIds).toEqual([gid(8)]);
	});

	it('asks Shopify nothing for privacy topics (they are configured in the app)', async () => {
		const ctx = context({ topics: ['customers/redact', 'shop/redact'] });
		await expect(methods.checkExists.call(ctx)).resolves.toBe(true);
		expect(ctx.requests).toHaveLength(0);
	});

	it('refuses an event id template that would give every order the same id, before any request', async () => {
		const ctx = context({ topics: ['orders/paid'], options: { views: ['metaEventId'], eventIdTemplate: 'order' } });
		await expect(methods.checkExists.call(ctx)).rejects.toThrow('the template has no placeholder');
		expect(ctx.requests).toHaveLength(0);
	});

	it('refuses a Content ID it cannot fill, naming the option, before any request', async () => {
		const options = { views: ['metaCustomData'], contentId: 'shopify_{country}_{id}' };
		const ctx = context({ topics: ['orders/paid'], options });
		await expect(methods.checkExists.call(ctx)).rejects.toThrow('Content ID: unknown placeholder {id}');
		expect(ctx.requests).toHaveLength(0);
		// Without the view that uses it, the option changes nothing and is not checked.
		const unused = context({ topics: ['customers/redact'], options: { ...options, views: ['metaUserData'] } });
		await expect(methods.checkExists.call(unused)).resolves.toBe(true);
	});
});

describe('create', () => {
	it('creates only the missing topics with uri (API 2025-10) and keeps every id', async () => {
		const scope = nock(SHOP, { reqheaders: { 'x-shopify-access-token': 'shpat_TOKEN' } })
			.post(GRAPHQL, { query: LIST, variables: { topics: ['ORDERS_PAID', 'CUSTOMERS_CREATE'], after: null } })
			.reply(200, listReply([{ id: gid(1), topic: 'ORDERS_PAID', uri: HOOK_URL }]))
			.post(GRAPHQL, {
				query: CREATE,
				variables: { topic: 'CUSTOMERS_CREATE', webhookSubscription: { uri: HOOK_URL, format: 'JSON' } },
			})
			.reply(200, {
				data: {
					webhookSubscriptionCreate: {
						webhookSubscription: { id: gid(2), topic: 'CUSTOMERS_CREATE', uri: HOOK_URL },
						userErrors: [],
					},
				},
			});
		// customers/redact is accepted by the node but never subscribed through the API.
		const ctx = context({ topics: ['orders/paid', 'customers/create', 'customers/redact'] });
		await expect(methods.create.call(ctx)).resolves.toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(ctx.staticData.subscriptionIds).toEqual([gid(1), gid(2)]);
	});

	it('surfaces userErrors as a NodeApiError naming the field, keeping the ids made before', async () => {
		nock(SHOP)
			.post(GRAPHQL, (b) => b.query === LIST)
			.reply(200, listReply([]))
			.post(GRAPHQL, (b) => b.query === CREATE && b.variables.topic === 'ORDERS_CREATE')
			.reply(200, {
				data: {
					webhookSubscriptionCreate: {
						webhookSubscription: { id: gid(5), topic: 'ORDERS_CREATE', uri: HOOK_URL },
						userErrors: [],
					},
				},
			})
			.post(GRAPHQL, (b) => b.query === CREATE && b.variables.topic === 'ORDERS_PAID')
			.reply(200, {
				data: {
					webhookSubscriptionCreate: {
						webhookSubscription: null,
						userErrors: [
							{ field: ['webhookSubscription', 'uri'], message: 'Address for this topic has already been taken' },
						],
					},
				},
			});
		const ctx = context({ topics: ['orders/create', 'orders/paid'] });
		const error = await methods.create.call(ctx).catch((e: Error) => e);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message:
				'Shopify refused the ORDERS_PAID subscription: webhookSubscription.uri: Address for this topic has already been taken',
		});
		expect(ctx.staticData.subscriptionIds).toEqual([gid(5)]);
	});

	it('surfaces top-level GraphQL errors (HTTP 200) with Shopify’s message', async () => {
		nock(SHOP)
			.post(GRAPHQL)
			.reply(200, {
				errors: [
					{
						message: 'Access denied for webhookSubscriptions field. Required access: read_orders',
						extensions: { code: 'ACCESS_DENIED' },
					},
				],
			});
		await expect(methods.create.call(context({ topics: ['orders/paid'] }))).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'Access denied for webhookSubscriptions field. Required access: read_orders',
		});
	});

	it('reports a rejected token (HTTP 401) without retrying', async () => {
		const scope = nock(SHOP)
			.post(GRAPHQL)
			.once()
			.reply(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
		const ctx = context({ topics: ['orders/paid'] });
		await expect(methods.create.call(ctx)).rejects.toMatchObject({
			name: 'NodeApiError',
			message: '[API] Invalid API key or access token (unrecognized login or wrong password)',
			httpCode: '401',
		});
		expect(scope.isDone()).toBe(true);
		expect(ctx.requests).toHaveLength(1);
	});

	it('waits out HTTP 429 (Retry-After) and a THROTTLED answer, then goes on', async () => {
		const scope = nock(SHOP)
			.post(GRAPHQL, (b) => b.query === LIST)
			.reply(
				429,
				{ errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
				{ 'Retry-After': '0' },
			)
			.post(GRAPHQL, (b) => b.query === LIST)
			.reply(200, listReply([]))
			.post(GRAPHQL, (b) => b.query === CREATE)
			.reply(200, {
				errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
				extensions: {
					cost: {
						requestedQueryCost: 10,
						actualQueryCost: null,
						throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 9, restoreRate: 1000 },
					},
				},
			})
			.post(GRAPHQL, (b) => b.query === CREATE)
			.reply(200, {
				data: {
					webhookSubscriptionCreate: {
						webhookSubscription: { id: gid(9), topic: 'ORDERS_PAID', uri: HOOK_URL },
						userErrors: [],
					},
				},
			});
		const ctx = context({ topics: ['orders/paid'] });
		await expect(methods.create.call(ctx)).resolves.toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(ctx.staticData.subscriptionIds).toEqual([gid(9)]);
	});
});

describe('delete', () => {
	it('deletes the stored ids; one Shopify already removed counts as deleted', async () => {
		const scope = nock(SHOP, { reqheaders: { 'x-shopify-access-token': 'shpat_TOKEN' } })
			.post(GRAPHQL, { query: DELETE, variables: { id: gid(1) } })
			.reply(200, { data: { webhookSubscriptionDelete: { deletedWebhookSubscriptionId: gid(1), userErrors: [] } } })
			.post(GRAPHQL, { query: DELETE, variables: { id: gid(2) } })
			.reply(200, {
				data: {
					webhookSubscriptionDelete: {
						deletedWebhookSubscriptionId: null,
						userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }],
					},
				},
			});
		const ctx = context({ topics: ['orders/paid'] }, { subscriptionIds: [gid(1), gid(2)], deliveries: ['kept'] });
		await expect(methods.delete.call(ctx)).resolves.toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(ctx.staticData).toEqual({ deliveries: ['kept'] });
	});

	it('does not swallow any other refusal', async () => {
		nock(SHOP)
			.post(GRAPHQL, { query: DELETE, variables: { id: gid(1) } })
			.reply(200, {
				data: {
					webhookSubscriptionDelete: {
						deletedWebhookSubscriptionId: null,
						userErrors: [{ field: null, message: 'Internal error, try again' }],
					},
				},
			});
		const ctx = context({ topics: ['orders/paid'] }, { subscriptionIds: [gid(1), gid(2)] });
		await expect(methods.delete.call(ctx)).rejects.toThrow(
			`Shopify refused to delete ${gid(1)}: Internal error, try again`,
		);
		expect(ctx.staticData.subscriptionIds).toEqual([gid(1), gid(2)]);
	});

	it('finds the subscriptions at its URL when the stored ids were lost', async () => {
		const scope = nock(SHOP)
			.post(GRAPHQL, { query: LIST, variables: { topics: ['REFUNDS_CREATE'], after: null } })
			.reply(
				200,
				listReply([
					{ id: gid(4), topic: 'REFUNDS_CREATE', uri: HOOK_URL },
					{ id: gid(6), topic: 'REFUNDS_CREATE', uri: 'https://keep.example.com' },
				]),
			)
			.post(GRAPHQL, { query: DELETE, variables: { id: gid(4) } })
			.reply(200, { data: { webhookSubscriptionDelete: { deletedWebhookSubscriptionId: gid(4), userErrors: [] } } });
		await expect(methods.delete.call(context({ topics: ['refunds/create'] }))).resolves.toBe(true);
		expect(scope.isDone()).toBe(true);
	});
});

describe('client credentials', () => {
	const cc = (clientId: string) => ({
		authMethod: 'clientCredentials',
		accessToken: '',
		clientId,
		clientSecret: 'CC_SECRET',
	});
	const tokenBody = (clientId: string) => ({
		client_id: clientId,
		client_secret: 'CC_SECRET',
		grant_type: 'client_credentials',
	});
	const listOk = () => listReply([{ id: gid(1), topic: 'ORDERS_PAID', uri: HOOK_URL }]);

	it('gets a token once, reuses it until it expires, then gets a new one', async () => {
		const t0 = Date.now();
		const now = jest.spyOn(Date, 'now').mockReturnValue(t0);
		const first = nock(SHOP)
			.post('/admin/oauth/access_token', tokenBody('client-a'))
			.reply(200, { access_token: 'shpat_ONE', scope: 'read_orders,read_customers', expires_in: 86399 })
			.post(GRAPHQL)
			.matchHeader('x-shopify-access-token', 'shpat_ONE')
			.twice()
			.reply(200, listOk());
		await methods.checkExists.call(context({ topics: ['orders/paid'] }, {}, cc('client-a')));
		// An hour later: the cached token is still good, so no token request (nock has none left).
		now.mockReturnValue(t0 + 3600_000);
		await methods.checkExists.call(context({ topics: ['orders/paid'] }, {}, cc('client-a')));
		expect(first.isDone()).toBe(true);

		// Past its 86,399 s: a new token, and requests carry it.
		now.mockReturnValue(t0 + 86_400_000);
		const second = nock(SHOP)
			.post('/admin/oauth/access_token', tokenBody('client-a'))
			.reply(200, { access_token: 'shpat_TWO', scope: 'read_orders', expires_in: 86399 })
			.post(GRAPHQL)
			.matchHeader('x-shopify-access-token', 'shpat_TWO')
			.reply(200, listOk());
		await methods.checkExists.call(context({ topics: ['orders/paid'] }, {}, cc('client-a')));
		expect(second.isDone()).toBe(true);
	});

	it('renews a token Shopify rejects (401) once, then succeeds', async () => {
		const scope = nock(SHOP)
			.post('/admin/oauth/access_token', tokenBody('client-b'))
			.reply(200, { access_token: 'shpat_OLD', expires_in: 86399 })
			.post(GRAPHQL)
			.matchHeader('x-shopify-access-token', 'shpat_OLD')
			.reply(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' })
			.post('/admin/oauth/access_token', tokenBody('client-b'))
			.reply(200, { access_token: 'shpat_NEW', expires_in: 86399 })
			.post(GRAPHQL)
			.matchHeader('x-shopify-access-token', 'shpat_NEW')
			.reply(200, listOk());
		await expect(methods.checkExists.call(context({ topics: ['orders/paid'] }, {}, cc('client-b')))).resolves.toBe(
			true,
		);
		expect(scope.isDone()).toBe(true);
	});

	it('reports a refused grant with Shopify’s own words and remembers nothing', async () => {
		nock(SHOP).post('/admin/oauth/access_token', tokenBody('client-c')).reply(400, {
			error: 'invalid_client',
			error_description:
				'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
		});
		await expect(
			methods.checkExists.call(context({ topics: ['orders/paid'] }, {}, cc('client-c'))),
		).rejects.toMatchObject({
			name: 'NodeApiError',
			message:
				'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
		});
		// The failure is not cached: the next activation asks again.
		const retry = nock(SHOP)
			.post('/admin/oauth/access_token', tokenBody('client-c'))
			.reply(200, { access_token: 'shpat_C', expires_in: 86399 })
			.post(GRAPHQL)
			.matchHeader('x-shopify-access-token', 'shpat_C')
			.reply(200, listOk());
		await methods.checkExists.call(context({ topics: ['orders/paid'] }, {}, cc('client-c')));
		expect(retry.isDone()).toBe(true);
	});

	it('does not lend one secret’s token to a credential with another secret', async () => {
		const scope = nock(SHOP)
			.post('/admin/oauth/access_token', tokenBody('client-d'))
			.reply(200, { access_token: 'shpat_D', expires_in: 86399 })
			.post(GRAPHQL)
			.reply(200, listOk())
			.post('/admin/oauth/access_token', {
				client_id: 'client-d',
				client_secret: 'WRONG',
				grant_type: 'client_credentials',
			})
			.reply(400, { error: 'invalid_client', error_description: 'Client authentication failed' });
		await methods.checkExists.call(context({ topics: ['orders/paid'] }, {}, cc('client-d')));
		await expect(
			methods.checkExists.call(context({ topics: ['orders/paid'] }, {}, { ...cc('client-d'), clientSecret: 'WRONG' })),
		).rejects.toThrow('Client authentication failed');
		expect(scope.isDone()).toBe(true);
	});
});

describe('credential', () => {
	it('reaches https://<shop>.myshopify.com when no base URL is set, from a bare shop name', async () => {
		const scope = nock('https://bare-name.myshopify.com', { reqheaders: { 'x-shopify-access-token': 'shpat_TOKEN' } })
			.post(GRAPHQL)
			.reply(200, listReply([]));
		await methods.checkExists.call(context({ topics: ['orders/paid'] }, {}, { shopDomain: 'Bare-Name', baseUrl: '' }));
		expect(scope.isDone()).toBe(true);
	});

	// n8n resolves each ={{ }} as a JavaScript expression with $credentials in scope.
	function resolve(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
		if (typeof value !== 'string' || !value.startsWith('={{')) return value;
		return new Function('$credentials', `return (${value.slice(3, -2)});`)(credentials);
	}

	async function sendTest(credentials: ICredentialDataDecryptedObject) {
		const request = credential.test.request;
		const options = {
			method: request.method,
			url: `${resolve(request.baseURL, credentials)}${resolve(request.url, credentials)}`,
			body: resolve(request.body, credentials) as IDataObject,
		};
		const signed = await credential.authenticate(credentials, options);
		const response = await fetch(signed.url, {
			method: signed.method,
			headers: { 'content-type': 'application/json', ...(signed.headers as Record<string, string>) },
			body: JSON.stringify(signed.body),
		});
		return response.status;
	}

	it('tests a fixed token with a one-field GraphQL query', async () => {
		const scope = nock('https://cred-shop.myshopify.com', { reqheaders: { 'x-shopify-access-token': 'shpat_T' } })
			.post('/admin/api/2026-01/graphql.json', { query: '{ shop { name } }' })
			.reply(200, { data: { shop: { name: 'Cred shop' } } });
		const status = await sendTest({
			shopDomain: 'https://cred-shop.myshopify.com/',
			apiVersion: '2026-01',
			authMethod: 'accessToken',
			accessToken: 'shpat_T',
			clientSecret: 'S',
			baseUrl: '',
		});
		expect(status).toBe(200);
		expect(scope.isDone()).toBe(true);
	});

	it('tests client credentials by asking for a token, at the base URL override', async () => {
		const scope = nock('http://127.0.0.1:9')
			.post('/admin/oauth/access_token', {
				client_id: 'CID',
				client_secret: 'CSECRET',
				grant_type: 'client_credentials',
			})
			.reply(200, { access_token: 'shpat_X', expires_in: 86399 });
		const status = await sendTest({
			shopDomain: 'x.myshopify.com',
			apiVersion: '2025-10',
			authMethod: 'clientCredentials',
			clientId: 'CID',
			clientSecret: 'CSECRET',
			baseUrl: 'http://127.0.0.1:9/',
		});
		expect(status).toBe(200);
		expect(scope.isDone()).toBe(true);
	});
});
