import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { requestedQueryCost } from './graphqlCost';
import { startHttpDouble, type Answer, type Recorded } from './httpDouble';
import { customerLines, orderFileCounts, orderLines } from './shopifyCustomers';

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
 *   every subscription of that topic;
 * - Bulk Operations (see BulkSettings): bulkOperationRunQuery (customers or orders, told apart by
 *   the query's text; a second one refused with OPERATION_IN_PROGRESS while one runs),
 *   node(id:) on the BulkOperation and currentBulkOperation (RUNNING for a number of polls or
 *   milliseconds, then COMPLETED with a url, or FAILED with an errorCode), and the JSONL file at
 *   that url on a server of its own (as Shopify's files are on storage, not the shop), generated
 *   line by line from test/support/shopifyCustomers and written with backpressure, so a million
 *   customers are served without being held in memory.
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
	/** The shop's bulk operations; may also be changed on the double's `bulk` between steps. */
	bulk?: Partial<BulkSettings>;
}

/** How the double's bulk operations behave; every field may be changed while the double runs. */
export interface BulkSettings {
	/** Customers in the shop's bulk file (customer 0..n-1 of shopifyCustomers). */
	customers: number;
	/** Orders (order 0..n-1, created in the 7 days before nowMs; the query's created_at filter applies). */
	orders: number;
	seed: number;
	/** The generator's now (unix ms). */
	nowMs: number;
	/** Status reads (node(id:), currentBulkOperation) answered RUNNING before the operation ends. */
	runningPolls: number;
	/** And at least this long after it started. */
	runningMs: number;
	/** End FAILED with this errorCode (ACCESS_DENIED, INTERNAL_SERVER_ERROR, TIMEOUT) instead of COMPLETED. */
	failWith?: string;
	/** Lines instead of the generator's (a test's own file). */
	lines?: (kind: BulkKind) => Iterable<string>;
	/** Rewrite line n (0-based) as it is served: an oversized line, a broken one. */
	transformLine?: (line: string, index: number) => string;
	/** The next file responses end the connection after this many bytes of body (then it is cleared). */
	cutAfterBytes?: number;
	/** The next file responses answer this HTTP status instead of the file (then it is cleared). */
	failFileWith?: number;
	/** Bytes per write to the socket. */
	chunkBytes: number;
}

export type BulkKind = 'customers' | 'orders';

export interface BulkOperationRecord {
	id: string;
	kind: BulkKind;
	query: string;
	/** As the mutation asked (a literal argument or a variable). */
	groupObjects: unknown;
	startedAt: number;
	reads: number;
	status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED';
	errorCode: string | null;
	sinceMs?: number;
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
	const bulk: BulkSettings = {
		customers: 0,
		orders: 0,
		seed: 1,
		nowMs: Date.now(),
		runningPolls: 2,
		runningMs: 0,
		chunkBytes: 64 * 1024,
		...options.bulk,
	};
	const bulkOperations: BulkOperationRecord[] = [];
	const files = await startFileServer(bulk, bulkOperations);

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
		if (query.includes('bulkOperationRunQuery')) return runBulkQuery(query, variables);
		if (query.includes('currentBulkOperation')) {
			const latest = bulkOperations[bulkOperations.length - 1];
			return { status: 200, body: { data: { currentBulkOperation: latest ? readOperation(latest) : null } } };
		}
		if (/\bnode\s*\(/.test(query)) {
			const op = bulkOperations.find((o) => o.id === variables.id);
			return { status: 200, body: { data: { node: op ? readOperation(op) : null } } };
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

	// bulkOperationRunQuery(query:, groupObjects:) with the bulk query in variables.query.
	const runBulkQuery = (mutation: string, variables: Record<string, unknown>): Answer => {
		const inner = String(variables.query ?? '');
		const refuse = (message: string, code: string) => ({
			status: 200,
			body: {
				data: { bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ field: ['query'], message, code }] } },
			},
		});
		const running = bulkOperations.find((o) => o.status === 'CREATED' || o.status === 'RUNNING');
		if (running) {
			// Ends it when its time is up, as Shopify's would have ended by itself.
			advance(running);
			if (running.status === 'RUNNING')
				return {
					status: 200,
					body: {
						data: {
							bulkOperationRunQuery: {
								bulkOperation: null,
								userErrors: [
									{
										field: null,
										message: `A bulk query operation for this app and shop is already in progress: ${running.id}.`,
										code: 'OPERATION_IN_PROGRESS',
									},
								],
							},
						},
					},
				};
		}
		const kind: BulkKind | undefined = /\bcustomers\s*[{(]/.test(inner)
			? 'customers'
			: /\borders\s*[{(]/.test(inner)
				? 'orders'
				: undefined;
		if (!kind) return refuse('Invalid bulk query: the double knows customers and orders', 'INVALID');
		const since = /created_at:>='([^']+)'/.exec(inner)?.[1];
		const op: BulkOperationRecord = {
			id: `gid://shopify/BulkOperation/${nextId++}`,
			kind,
			query: inner,
			groupObjects: variables.groupObjects ?? /groupObjects:\s*(true|false)\b/.exec(mutation)?.[1] === 'true',
			startedAt: Date.now(),
			reads: 0,
			status: 'CREATED',
			errorCode: null,
			sinceMs: since ? Date.parse(since) : undefined,
		};
		bulkOperations.push(op);
		return {
			status: 200,
			body: { data: { bulkOperationRunQuery: { bulkOperation: { id: op.id, status: op.status }, userErrors: [] } } },
		};
	};

	const advance = (op: BulkOperationRecord) => {
		if (op.status !== 'CREATED' && op.status !== 'RUNNING') return;
		op.status = 'RUNNING';
		if (op.reads <= bulk.runningPolls || Date.now() - op.startedAt < bulk.runningMs) return;
		op.status = bulk.failWith ? 'FAILED' : 'COMPLETED';
		op.errorCode = bulk.failWith ?? null;
	};

	// One status read: RUNNING (with a growing objectCount) until its polls and time are up.
	const readOperation = (op: BulkOperationRecord) => {
		op.reads++;
		advance(op);
		const counts = fileCounts(bulk, op);
		const done = op.status === 'COMPLETED';
		const share = done ? 1 : Math.min(0.9, op.reads / (bulk.runningPolls + 2));
		return {
			id: op.id,
			status: op.status,
			errorCode: op.errorCode,
			objectCount: String(Math.floor(counts.lines * share)),
			rootObjectCount: String(Math.floor(counts.roots * share)),
			fileSize: null,
			url:
				done && counts.lines > 0
					? `${files.url}/bulk/${encodeURIComponent(op.id.split('/').pop() ?? '')}.jsonl?sig=${randomUUID()}`
					: null,
			partialDataUrl: null,
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

	const close = async () => {
		await Promise.all([double.close(), files.close()]);
	};

	return {
		...double,
		close,
		shop,
		clientId,
		subscriptions,
		tokens,
		customers,
		orders,
		costs,
		deliver,
		/** Bulk behaviour, changeable between steps. */
		bulk,
		/** Every bulk operation started, in order. */
		bulkOperations,
		/** Requests for bulk files (each fetch of a url, successful or not). */
		fileRequests: files.requests,
		/** Bytes of bulk file bodies written, over all fetches. */
		fileBytes: () => files.bytes(),
	};
}

function fileCounts(bulk: BulkSettings, op: BulkOperationRecord): { lines: number; roots: number } {
	if (bulk.lines) {
		let lines = 0;
		let roots = 0;
		for (const line of bulk.lines(op.kind)) {
			lines++;
			if (!line.includes('"__parentId"')) roots++;
		}
		return { lines, roots };
	}
	if (op.kind === 'customers') return { lines: bulk.customers, roots: bulk.customers };
	return orderFileCounts(bulk.orders, { seed: bulk.seed, nowMs: bulk.nowMs, sinceMs: op.sinceMs });
}

function linesOf(bulk: BulkSettings, op: BulkOperationRecord): Iterable<string> {
	if (bulk.lines) return bulk.lines(op.kind);
	const shop = { seed: bulk.seed, nowMs: bulk.nowMs };
	if (op.kind === 'customers') return customerLines(bulk.customers, shop);
	return orderLines(bulk.orders, { ...shop, customers: Math.max(1, bulk.customers), sinceMs: op.sinceMs });
}

/**
 * The bulk files: GET /bulk/{n}.jsonl, generated as it is written. Each write waits for 'drain'
 * when the socket's buffer is full, so a slow reader holds the generator back instead of the
 * double buffering the file.
 */
async function startFileServer(bulk: BulkSettings, operations: BulkOperationRecord[]) {
	const requests: Array<{ path: string; at: number; status: number; headers: IncomingMessage['headers'] }> = [];
	let bytes = 0;
	const serve = async (req: IncomingMessage, res: ServerResponse) => {
		const path = new URL(req.url ?? '/', 'http://files').pathname;
		const n = /^\/bulk\/(\d+)\.jsonl$/.exec(path)?.[1];
		const op = operations.find((o) => o.id === `gid://shopify/BulkOperation/${n}` && o.status === 'COMPLETED');
		const failWith = bulk.failFileWith;
		const status = !op ? 404 : (failWith ?? 200);
		requests.push({ path, at: Date.now(), status, headers: req.headers });
		if (!op || failWith) {
			bulk.failFileWith = undefined;
			res.writeHead(status, { 'content-type': 'application/xml' });
			res.end('<Error><Code>AccessDenied</Code></Error>');
			return;
		}
		const cut = bulk.cutAfterBytes;
		bulk.cutAfterBytes = undefined;
		res.writeHead(200, { 'content-type': 'application/jsonl' });
		let sent = 0;
		let pending: string[] = [];
		let pendingLength = 0;
		let index = 0;
		const flush = async (): Promise<boolean> => {
			let chunk = Buffer.from(pending.join(''), 'utf8');
			pending = [];
			pendingLength = 0;
			if (cut !== undefined && sent + chunk.length > cut) {
				chunk = chunk.subarray(0, Math.max(0, cut - sent));
				if (chunk.length) await write(res, chunk);
				sent += chunk.length;
				bytes += chunk.length;
				// Cut mid-body: the connection closes (after what was written) without the chunked body's end.
				res.socket?.end();
				return false;
			}
			sent += chunk.length;
			bytes += chunk.length;
			return write(res, chunk);
		};
		for (const raw of linesOf(bulk, op)) {
			const line = bulk.transformLine ? bulk.transformLine(raw, index) : raw;
			index++;
			pending.push(line, '\n');
			pendingLength += line.length + 1;
			if (pendingLength >= bulk.chunkBytes && !(await flush())) return;
		}
		if (pending.length && !(await flush())) return;
		res.end();
	};
	const server: Server = createServer((req, res) => {
		serve(req, res).catch(() => res.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		bytes: () => bytes,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** One write, resolved once the socket can take more; false when the reader went away. */
async function write(res: ServerResponse, chunk: Buffer): Promise<boolean> {
	if (res.destroyed) return false;
	if (res.write(chunk)) return true;
	return new Promise<boolean>((resolve) => {
		const done = (drained: boolean) => {
			res.off('drain', onDrain);
			res.off('close', onClose);
			resolve(drained);
		};
		const onDrain = () => done(true);
		const onClose = () => done(false);
		res.on('drain', onDrain);
		res.on('close', onClose);
	});
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
