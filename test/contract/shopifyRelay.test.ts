import nock from 'nock';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { ShopifyRelayApi } from '../../credentials/ShopifyRelayApi.credentials';
import { ShopifyRelay } from '../../nodes/ShopifyRelay/ShopifyRelay.node';
import { executeContext } from '../support/executeContext';

const SHOP = 'https://relay-test.myshopify.com';
const GRAPHQL = '/admin/api/2025-10/graphql.json';

// Golden documents: a change to what is asked of Shopify must show up here.
const FIELDS =
	'fragment CustomerFields on Customer { id legacyResourceId firstName lastName state verifiedEmail taxExempt note tags createdAt updatedAt numberOfOrders amountSpent { amount currencyCode } lastOrder { id legacyResourceId name processedAt } defaultEmailAddress { emailAddress marketingState } defaultPhoneNumber { phoneNumber marketingState } defaultAddress { firstName lastName company address1 address2 city province provinceCode zip country countryCodeV2 phone } }';
const GET_CUSTOMER = `query CustomerById($id: ID!) { customer(id: $id) { ...CustomerFields } } ${FIELDS}`;
const LIST_CUSTOMERS = `query Customers($first: Int!, $after: String, $query: String) { customers(first: $first, after: $after, query: $query, sortKey: ID) { nodes { ...CustomerFields } pageInfo { hasNextPage endCursor } } } ${FIELDS}`;
const GET_ORDER = `query OrderById($id: ID!) { order(id: $id) { id legacyResourceId name createdAt processedAt updatedAt test tags totalPriceSet { shopMoney { amount currencyCode } } customer { ...CustomerFields } lineItems(first: 100) { nodes { id name title sku quantity variant { id legacyResourceId } product { id legacyResourceId tags } } } } } ${FIELDS}`;

const credential = new ShopifyRelayApi();
const node = new ShopifyRelay();

/** The customer as the Admin GraphQL API answers CustomerFields (documented 2025-10 shapes). */
function graphqlCustomer(n: number, extra: object = {}) {
	return {
		id: `gid://shopify/Customer/${n}`,
		legacyResourceId: String(n),
		firstName: 'Ana',
		lastName: 'Lima',
		state: 'ENABLED',
		verifiedEmail: true,
		taxExempt: false,
		note: null,
		tags: ['vip', 'newsletter'],
		createdAt: '2025-06-01T12:00:00Z',
		updatedAt: '2026-11-20T09:30:00Z',
		numberOfOrders: '3',
		amountSpent: { amount: '389.7', currencyCode: 'USD' },
		lastOrder: {
			id: 'gid://shopify/Order/6100000000101',
			legacyResourceId: '6100000000101',
			name: '#2101',
			processedAt: '2026-11-20T09:29:00Z',
		},
		defaultEmailAddress: { emailAddress: 'ana.lima@example.com', marketingState: 'SUBSCRIBED' },
		defaultPhoneNumber: { phoneNumber: '+13125550147', marketingState: 'NOT_SUBSCRIBED' },
		defaultAddress: {
			firstName: 'Ana',
			lastName: 'Lima',
			company: null,
			address1: '210 N Oak Park Ave',
			address2: null,
			city: 'Oak Park',
			province: 'Illinois',
			provinceCode: 'IL',
			zip: '60302',
			country: 'United States',
			countryCodeV2: 'US',
			phone: null,
		},
		...extra,
	};
}

// Field by field from the GraphQL object above, in webhook names.
const simplified = (n: number) => ({
	id: String(n),
	admin_graphql_api_id: `gid://shopify/Customer/${n}`,
	email: 'ana.lima@example.com',
	phone: '+13125550147',
	first_name: 'Ana',
	last_name: 'Lima',
	state: 'enabled',
	verified_email: true,
	tax_exempt: false,
	note: null,
	tags: 'vip, newsletter',
	created_at: '2025-06-01T12:00:00Z',
	updated_at: '2026-11-20T09:30:00Z',
	orders_count: 3,
	total_spent: '389.7',
	currency: 'USD',
	last_order_id: '6100000000101',
	last_order_name: '#2101',
	email_marketing_consent: { state: 'subscribed' },
	sms_marketing_consent: { state: 'not_subscribed' },
	default_address: {
		first_name: 'Ana',
		last_name: 'Lima',
		company: null,
		address1: '210 N Oak Park Ave',
		address2: null,
		city: 'Oak Park',
		province: 'Illinois',
		province_code: 'IL',
		zip: '60302',
		country: 'United States',
		country_code: 'US',
		phone: null,
	},
});

async function plainRequest(options: IHttpRequestOptions) {
	const response = await fetch(options.url, {
		method: options.method ?? 'GET',
		headers: { 'content-type': 'application/json', ...(options.headers as Record<string, string>) },
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	return {
		statusCode: response.status,
		body: text ? JSON.parse(text) : {},
		headers: Object.fromEntries(response.headers.entries()),
	};
}

function context(
	params: Record<string, unknown>,
	extra: { items?: number; continueOnFail?: boolean; credentials?: IDataObject } = {},
) {
	const ctx = executeContext({
		items: Array.from({ length: extra.items ?? 1 }, () => ({ json: {} })),
		credentials: {
			shopDomain: 'relay-test.myshopify.com',
			apiVersion: '2025-10',
			authMethod: 'accessToken',
			accessToken: 'shpat_TOKEN',
			clientSecret: 'SECRET',
			baseUrl: '',
			...extra.credentials,
		},
		continueOnFail: extra.continueOnFail,
		// The credential's own authenticate, as n8n runs it.
		authenticateRequest: credential.authenticate,
		params,
	});
	// The client-credentials grant goes out unauthenticated.
	(ctx.helpers as unknown as { httpRequest: typeof plainRequest }).httpRequest = plainRequest;
	return ctx;
}

const run = (ctx: ReturnType<typeof context>) => node.execute.call(ctx);

afterEach(() => nock.cleanAll());
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('Shopify (Conversion Relay) node → customer → get', () => {
	it('reads one customer by numeric id or gid, with the token, in webhook field names', async () => {
		const scope = nock(SHOP, { reqheaders: { 'x-shopify-access-token': 'shpat_TOKEN' } })
			.post(GRAPHQL, { query: GET_CUSTOMER, variables: { id: 'gid://shopify/Customer/7300000000101' } })
			.reply(200, { data: { customer: graphqlCustomer(7300000000101) } })
			.post(GRAPHQL, { query: GET_CUSTOMER, variables: { id: 'gid://shopify/Customer/7300000000102' } })
			.reply(200, { data: { customer: graphqlCustomer(7300000000102) } });
		const ids = ['7300000000101', 'gid://shopify/Customer/7300000000102'];
		const [out] = await run(
			context(
				{ resource: 'customer', operation: 'get', customerId: (i: number) => ids[i], simple: true },
				{ items: 2 },
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{ json: simplified(7300000000101), pairedItem: { item: 0 } },
			{ json: simplified(7300000000102), pairedItem: { item: 1 } },
		]);
	});

	it('returns the GraphQL object untouched with Simplify off', async () => {
		nock(SHOP)
			.post(GRAPHQL)
			.reply(200, { data: { customer: graphqlCustomer(5) } });
		const [out] = await run(context({ resource: 'customer', operation: 'get', customerId: 5, simple: false }));
		expect(out).toEqual([{ json: graphqlCustomer(5), pairedItem: { item: 0 } }]);
	});

	it('keeps missing parts null, never invented (no phone, no address, no order yet)', async () => {
		nock(SHOP)
			.post(GRAPHQL)
			.reply(200, {
				data: {
					customer: graphqlCustomer(6, {
						defaultPhoneNumber: null,
						defaultAddress: null,
						lastOrder: null,
						numberOfOrders: '0',
						amountSpent: { amount: '0.0', currencyCode: 'EUR' },
						tags: [],
					}),
				},
			});
		const [[item]] = await run(context({ resource: 'customer', operation: 'get', customerId: '6', simple: true }));
		expect(item.json).toEqual({
			...simplified(6),
			phone: null,
			sms_marketing_consent: null,
			default_address: null,
			last_order_id: null,
			last_order_name: null,
			orders_count: 0,
			total_spent: '0.0',
			currency: 'EUR',
			tags: '',
		});
	});

	it('fails the item for an unknown customer and for an id that is not one, asking nothing for the latter', async () => {
		const scope = nock(SHOP)
			.post(GRAPHQL, (b) => b.variables.id === 'gid://shopify/Customer/404')
			.reply(200, { data: { customer: null } });
		const ids: unknown[] = ['404', 'not-an-id', 207119551234567891];
		const [out] = await run(
			context(
				{ resource: 'customer', operation: 'get', customerId: (i: number) => ids[i], simple: true },
				{ items: 3, continueOnFail: true },
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{
				json: { error: 'Shopify has no customer gid://shopify/Customer/404 (deleted, or not visible to this app)' },
				pairedItem: { item: 0 },
			},
			{
				json: { error: 'Customer ID must be a numeric Shopify id or gid://shopify/Customer/<id>, not "not-an-id"' },
				pairedItem: { item: 1 },
			},
			{ json: { error: expect.stringContaining('lost its last digits') }, pairedItem: { item: 2 } },
		]);
		await expect(
			run(context({ resource: 'customer', operation: 'get', customerId: 'x', simple: true })),
		).rejects.toThrow('Customer ID must be a numeric Shopify id');
	});

	it("reports Shopify's own message on a refused token", async () => {
		nock(SHOP)
			.post(GRAPHQL)
			.reply(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
		await expect(
			run(context({ resource: 'customer', operation: 'get', customerId: '1', simple: true })),
		).rejects.toThrow('[API] Invalid API key or access token (unrecognized login or wrong password)');
	});
});

describe('Shopify (Conversion Relay) node → customer → get many', () => {
	const page = (ids: number[], next: string | null) => ({
		data: {
			customers: {
				nodes: ids.map((n) => graphqlCustomer(n)),
				pageInfo: { hasNextPage: next !== null, endCursor: next ?? (ids.length ? `c${ids[ids.length - 1]}` : null) },
			},
		},
	});
	const ids = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);

	it('with Return All follows the cursor, 100 a request, with the search query, until the last page', async () => {
		const scope = nock(SHOP, { reqheaders: { 'x-shopify-access-token': 'shpat_TOKEN' } })
			.post(GRAPHQL, { query: LIST_CUSTOMERS, variables: { first: 100, after: null, query: 'updated_at:>2026-01-01' } })
			.reply(200, page(ids(1, 100), 'CUR1'))
			.post(GRAPHQL, {
				query: LIST_CUSTOMERS,
				variables: { first: 100, after: 'CUR1', query: 'updated_at:>2026-01-01' },
			})
			.reply(200, page(ids(101, 100), 'CUR2'))
			.post(GRAPHQL, {
				query: LIST_CUSTOMERS,
				variables: { first: 100, after: 'CUR2', query: 'updated_at:>2026-01-01' },
			})
			.reply(200, page(ids(201, 7), null));
		const [out] = await run(
			context({
				resource: 'customer',
				operation: 'getAll',
				returnAll: true,
				simple: true,
				options: { query: ' updated_at:>2026-01-01 ' },
			}),
		);
		expect(scope.isDone()).toBe(true);
		expect(out).toHaveLength(207);
		expect(out.map((o) => o.json.id)).toEqual(ids(1, 207).map(String));
		expect(out[206]).toEqual({ json: simplified(207), pairedItem: { item: 0 } });
	});

	it('with a limit asks only for what is missing and stops there', async () => {
		const scope = nock(SHOP)
			.post(GRAPHQL, { query: LIST_CUSTOMERS, variables: { first: 100, after: null, query: null } })
			.reply(200, page(ids(1, 100), 'CUR1'))
			.post(GRAPHQL, { query: LIST_CUSTOMERS, variables: { first: 50, after: 'CUR1', query: null } })
			.reply(200, page(ids(101, 50), 'CUR2'));
		const [out] = await run(
			context({ resource: 'customer', operation: 'getAll', returnAll: false, limit: 150, simple: true, options: {} }),
		);
		expect(scope.isDone()).toBe(true);
		expect(out).toHaveLength(150);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('stops on a cursor that does not move instead of asking for ever', async () => {
		const scope = nock(SHOP)
			.post(GRAPHQL, (b) => b.variables.after === null)
			.reply(200, page([1], 'SAME'))
			.post(GRAPHQL, (b) => b.variables.after === 'SAME')
			.reply(200, page([2], 'SAME'));
		const [out] = await run(
			context({ resource: 'customer', operation: 'getAll', returnAll: true, simple: true, options: {} }),
		);
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => o.json.id)).toEqual(['1', '2']);
	});

	it('an empty shop gives no items', async () => {
		nock(SHOP)
			.post(GRAPHQL)
			.reply(200, { data: { customers: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } });
		const [out] = await run(
			context({ resource: 'customer', operation: 'getAll', returnAll: true, simple: true, options: {} }),
		);
		expect(out).toEqual([]);
	});

	it('waits out a THROTTLED answer and asks again for the same page', async () => {
		const scope = nock(SHOP)
			.post(GRAPHQL, { query: LIST_CUSTOMERS, variables: { first: 100, after: null, query: null } })
			.reply(200, {
				errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
				extensions: {
					cost: {
						requestedQueryCost: 602,
						actualQueryCost: null,
						throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 600, restoreRate: 100 },
					},
				},
			})
			.post(GRAPHQL, { query: LIST_CUSTOMERS, variables: { first: 100, after: null, query: null } })
			.reply(200, page([1, 2], null));
		const started = Date.now();
		const [out] = await run(
			context({ resource: 'customer', operation: 'getAll', returnAll: true, simple: true, options: {} }),
		);
		expect(scope.isDone()).toBe(true);
		// 2 points missing at 100 a second: 20 ms.
		expect(Date.now() - started).toBeGreaterThanOrEqual(20);
		expect(out).toHaveLength(2);
	});

	it('with client credentials gets a token first and pages with it', async () => {
		const scope = nock(SHOP)
			.post('/admin/oauth/access_token', {
				client_id: 'cc-client-shopify-node',
				client_secret: 'CC_SECRET',
				grant_type: 'client_credentials',
			})
			.reply(200, { access_token: 'shpat_from_grant', scope: 'read_customers', expires_in: 86399 })
			.post(GRAPHQL, (b) => b.variables.after === null)
			.matchHeader('x-shopify-access-token', 'shpat_from_grant')
			.reply(200, page([1], 'CUR1'))
			.post(GRAPHQL, (b) => b.variables.after === 'CUR1')
			.matchHeader('x-shopify-access-token', 'shpat_from_grant')
			.reply(200, page([2], null));
		const [out] = await run(
			context(
				{ resource: 'customer', operation: 'getAll', returnAll: true, simple: true, options: {} },
				{
					credentials: {
						authMethod: 'clientCredentials',
						accessToken: '',
						clientId: 'cc-client-shopify-node',
						clientSecret: 'CC_SECRET',
					},
				},
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => o.json.id)).toEqual(['1', '2']);
	});
});

describe('Shopify (Conversion Relay) node → order → get', () => {
	const graphqlOrder = {
		id: 'gid://shopify/Order/6100000000101',
		legacyResourceId: '6100000000101',
		name: '#2101',
		createdAt: '2026-11-20T09:28:00Z',
		processedAt: '2026-11-20T09:29:00Z',
		updatedAt: '2026-11-20T09:29:05Z',
		test: false,
		tags: ['wholesale'],
		totalPriceSet: { shopMoney: { amount: '154.85', currencyCode: 'USD' } },
		customer: graphqlCustomer(7300000000101),
		lineItems: {
			nodes: [
				{
					id: 'gid://shopify/LineItem/1001',
					name: 'Wool scarf - Grey',
					title: 'Wool scarf',
					sku: 'SCARF-GRY',
					quantity: 2,
					variant: { id: 'gid://shopify/ProductVariant/45100000001', legacyResourceId: '45100000001' },
					product: {
						id: 'gid://shopify/Product/9100000001',
						legacyResourceId: '9100000001',
						tags: ['hubspot-sync', 'winter'],
					},
				},
				{
					id: 'gid://shopify/LineItem/1002',
					name: 'Gift card',
					title: 'Gift card',
					sku: null,
					quantity: 1,
					variant: null,
					product: null,
				},
			],
		},
	};

	it("reads the order with its customer's current totals and its products' tags", async () => {
		const scope = nock(SHOP)
			.post(GRAPHQL, { query: GET_ORDER, variables: { id: 'gid://shopify/Order/6100000000101' } })
			.reply(200, { data: { order: graphqlOrder } });
		const [out] = await run(
			context({ resource: 'order', operation: 'get', orderId: 'gid://shopify/Order/6100000000101', simple: true }),
		);
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{
				json: {
					id: '6100000000101',
					admin_graphql_api_id: 'gid://shopify/Order/6100000000101',
					name: '#2101',
					created_at: '2026-11-20T09:28:00Z',
					processed_at: '2026-11-20T09:29:00Z',
					updated_at: '2026-11-20T09:29:05Z',
					test: false,
					tags: 'wholesale',
					total_price: '154.85',
					currency: 'USD',
					customer: simplified(7300000000101),
					line_items: [
						{
							id: '1001',
							admin_graphql_api_id: 'gid://shopify/LineItem/1001',
							name: 'Wool scarf - Grey',
							title: 'Wool scarf',
							sku: 'SCARF-GRY',
							quantity: 2,
							variant_id: '45100000001',
							product_id: '9100000001',
							product_tags: ['hubspot-sync', 'winter'],
						},
						{
							id: '1002',
							admin_graphql_api_id: 'gid://shopify/LineItem/1002',
							name: 'Gift card',
							title: 'Gift card',
							sku: null,
							quantity: 1,
							variant_id: null,
							product_id: null,
							product_tags: [],
						},
					],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('an order without a customer has customer null; an unknown order fails its item', async () => {
		nock(SHOP)
			.post(GRAPHQL, (b) => b.variables.id === 'gid://shopify/Order/1')
			.reply(200, {
				data: { order: { ...graphqlOrder, id: 'gid://shopify/Order/1', legacyResourceId: '1', customer: null } },
			})
			.post(GRAPHQL, (b) => b.variables.id === 'gid://shopify/Order/2')
			.reply(200, { data: { order: null } });
		const [out] = await run(
			context(
				{ resource: 'order', operation: 'get', orderId: (i: number) => String(i + 1), simple: true },
				{ items: 2, continueOnFail: true },
			),
		);
		expect(out[0].json.customer).toBeNull();
		expect(out[1]).toEqual({
			json: { error: expect.stringMatching(/^Shopify has no order gid:\/\/shopify\/Order\/2 /) },
			pairedItem: { item: 1 },
		});
	});
});
