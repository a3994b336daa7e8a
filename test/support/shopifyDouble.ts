import { createHmac, randomUUID } from 'node:crypto';
import { requestedQueryCost } from './graphqlCost';
import { startHttpDouble, type Answer, type Recorded } from './httpDouble';

/**
 * A local Shopify shop for end-to-end tests, built from the Admin API's documented shapes:
 * - POST /admin/oauth/access_token (client-credentials grant);
 * - POST /admin/api/{version}/graphql.json: webhookSubscriptions (list, by topic, paged),
 *   webhookSubscriptionCreate (uri), webhookSubscriptionDelete, customers (paged, for
 *   backfills), customer(id:) (one, from the same list, which a test may change as the shop
 *   changes) and order(id:) (from `orders`), each checked against X-Shopify-Access-Token;
 * - with `maxQueryCost` (Shopify's is 1,000), a query whose requested cost (test/support/graphqlCost)
 *   is above it is refused as Shopify refuses it, MAX_COST_EXCEEDED, before anything is read;
 * - deliver(): a webhook delivery as Shopify sends it (HMAC-SHA256 of the raw body, base64, in
 *   X-Shopify-Hmac-Sha256, with the topic, shop, webhook id, event id and version headers) to
 *   every subscription of that topic.
 */
export interface ShopifyDoubleOptions {
	shop?: string;
	/** The app's client secret: signs deliveries and authenticates the client-credentials grant. */
	clientSecret: string;
	clientId?: string;
	/** The fixed admin token accepted besides the ones the grant hands out. */
	accessToken?: string;
	/** Customers the `customers` query pages through and `customer(id:)` finds (GraphQL Customer shape); kept by reference. */
	customers?: object[];
	/** Orders `order(id:)` finds (GraphQL Order shape, `id` the gid); kept by reference. */
	orders?: object[];
	/** Refuse queries whose requested cost is above this, as Shopify does above 1,000. */
	maxQueryCost?: number;
}

export interface Subscription {
	id: string;
	topic: string;
	uri: string;
}

interface GraphqlBody {
	query?: string;
	variables?: Record<string, unknown>;
}

const GRAPHQL_TOPIC = (topic: string) => topic.toUpperCase().replace(/\//g, '_');
const restTopic = (topic: string) => topic.toLowerCase().replace(/_/, '/');

export async function startShopifyDouble(options: ShopifyDoubleOptions) {
	const shop = options.shop ?? 'relay-test.myshopify.com';
	const clientId = options.clientId ?? 'client-id-e2e';
	const tokens = new Set<string>(options.accessToken ? [options.accessToken] : []);
	const subscriptions: Subscription[] = [];
	const customers = options.customers ?? [];
	const orders = options.orders ?? [];
	/** The requested cost of every query answered (mutations count 0). */
	const costs: number[] = [];
	let nextId = 1;

	const graphql = (req: Recorded): Answer => {
		const token = req.headers['x-shopify-access-token'];
		if (typeof token !== 'string' || !tokens.has(token))
			return {
				status: 401,
				body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
			};
		const { query = '', variables = {} } = (req.body ?? {}) as GraphqlBody;
		// An estimate only: a document it cannot read is not refused for it.
		let cost = NaN;
		try {
			cost = requestedQueryCost(query, variables);
		} catch {
			// left NaN
		}
		costs.push(cost);
		if (options.maxQueryCost !== undefined && cost > options.maxQueryCost) {
			return {
				status: 200,
				body: {
					errors: [
						{
							message: `Query cost is ${cost}, which exceeds the single query max cost limit (${options.maxQueryCost}).`,
							extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost: options.maxQueryCost },
						},
					],
				},
			};
		}
		if (query.includes('webhookSubscriptionCreate')) {
			const topic = String(variables.topic);
			const uri = String((variables.webhookSubscription as { uri?: string } | undefined)?.uri ?? '');
			if (!/^https?:\/\//.test(uri))
				return {
					status: 200,
					body: {
						data: {
							webhookSubscriptionCreate: {
								webhookSubscription: null,
								userErrors: [{ field: ['webhookSubscription', 'uri'], message: 'Address is invalid' }],
							},
						},
					},
				};
			if (subscriptions.some((s) => s.topic === topic && s.uri === uri)) {
				return {
					status: 200,
					body: {
						data: {
							webhookSubscriptionCreate: {
								webhookSubscription: null,
								userErrors: [
									{ field: ['webhookSubscription', 'uri'], message: 'Address for this topic has already been taken' },
								],
							},
						},
					},
				};
			}
			const created = { id: `gid://shopify/WebhookSubscription/${nextId++}`, topic, uri };
			subscriptions.push(created);
			return {
				status: 200,
				body: { data: { webhookSubscriptionCreate: { webhookSubscription: created, userErrors: [] } } },
			};
		}
		if (query.includes('webhookSubscriptionDelete')) {
			const index = subscriptions.findIndex((s) => s.id === variables.id);
			if (index < 0)
				return {
					status: 200,
					body: {
						data: {
							webhookSubscriptionDelete: {
								deletedWebhookSubscriptionId: null,
								userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }],
							},
						},
					},
				};
			subscriptions.splice(index, 1);
			return {
				status: 200,
				body: { data: { webhookSubscriptionDelete: { deletedWebhookSubscriptionId: variables.id, userErrors: [] } } },
			};
		}
		if (query.includes('webhookSubscriptions')) {
			const topics = (variables.topics as string[] | undefined) ?? [];
			const nodes = subscriptions.filter((s) => topics.length === 0 || topics.includes(s.topic));
			return { status: 200, body: { data: { webhookSubscriptions: page(nodes, variables) } } };
		}
		// One order by id; null when there is none. Checked first: an order query also names its customer.
		if (/\border\s*\(/.test(query))
			return {
				status: 200,
				body: { data: { order: (orders as Array<{ id?: unknown }>).find((o) => o.id === variables.id) ?? null } },
			};
		if (/\bcustomers\s*\(/.test(query))
			return { status: 200, body: { data: { customers: page(customers, variables) } } };
		// One customer by id (Customer shape as in `customers`); null when there is none, as Shopify answers.
		if (/\bcustomer\s*\(/.test(query))
			return {
				status: 200,
				body: { data: { customer: (customers as Array<{ id?: unknown }>).find((c) => c.id === variables.id) ?? null } },
			};
		return {
			status: 200,
			body: { errors: [{ message: `The double does not know this query: ${query.slice(0, 80)}` }] },
		};
	};

	const double = await startHttpDouble((req) => {
		if (req.method === 'POST' && req.path === '/admin/oauth/access_token') {
			const body = (req.body ?? Object.fromEntries(new URLSearchParams(req.raw))) as Record<string, string>;
			if (
				body.grant_type !== 'client_credentials' ||
				body.client_id !== clientId ||
				body.client_secret !== options.clientSecret
			) {
				return { status: 400, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
			}
			const token = `shpat_${randomUUID().replace(/-/g, '')}`;
			tokens.add(token);
			return { status: 200, body: { access_token: token, scope: 'read_orders,read_customers', expires_in: 86399 } };
		}
		if (req.method === 'POST' && /^\/admin\/api\/[\w-]+\/graphql\.json$/.test(req.path)) return graphql(req);
		return { status: 404, body: { errors: 'Not Found' } };
	});

	/** Sends one delivery of `topic` (orders/paid or ORDERS_PAID) to every subscription for it. */
	const deliver = async (
		topic: string,
		payload: object,
		extra: { secret?: string; webhookId?: string; body?: string } = {},
	) => {
		const targets = subscriptions.filter((s) => s.topic === GRAPHQL_TOPIC(topic));
		if (targets.length === 0) throw new Error(`no subscription for ${topic}: ${JSON.stringify(subscriptions)}`);
		const raw = extra.body ?? JSON.stringify(payload);
		const hmac = createHmac('sha256', extra.secret ?? options.clientSecret)
			.update(raw, 'utf8')
			.digest('base64');
		const webhookId = extra.webhookId ?? randomUUID();
		return await Promise.all(
			targets.map((s) =>
				fetch(s.uri, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						'x-shopify-topic': restTopic(topic),
						'x-shopify-hmac-sha256': hmac,
						'x-shopify-shop-domain': shop,
						'x-shopify-api-version': '2025-10',
						'x-shopify-webhook-id': webhookId,
						'x-shopify-event-id': webhookId,
						'x-shopify-triggered-at': new Date().toISOString(),
					},
					body: raw,
				}),
			),
		);
	};

	return { ...double, shop, clientId, subscriptions, tokens, customers, orders, costs, deliver };
}

/** Cursor paging as Shopify's connections do it: `first`, `after`, pageInfo. */
function page<T>(all: T[], variables: Record<string, unknown>) {
	const first = Math.min(Number(variables.first ?? 100) || 100, 250);
	const start =
		typeof variables.after === 'string' ? Number(Buffer.from(variables.after, 'base64').toString('utf8')) : 0;
	const nodes = all.slice(start, start + first);
	const end = start + nodes.length;
	return {
		nodes,
		edges: nodes.map((node, i) => ({ node, cursor: Buffer.from(String(start + i + 1)).toString('base64') })),
		pageInfo: {
			hasNextPage: end < all.length,
			endCursor: nodes.length ? Buffer.from(String(end)).toString('base64') : null,
		},
	};
}

export type ShopifyDouble = Awaited<ReturnType<typeof startShopifyDouble>>;
