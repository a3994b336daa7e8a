import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import nock from 'nock';
import { sha256Hex } from '../../nodes/core/normalize/hash';
import { audienceRow } from '../../nodes/core/normalize/audience';
import { bulkCustomersQuery, bulkOrdersQuery } from '../../nodes/core/shopify/graphql';
import { ShopifyAdminClient, ShopifyAdminError } from '../../service/src/shopify/adminClient';
import {
	BulkExportError,
	bulkOperationStatus,
	bulkRecords,
	customersFrom,
	ordersFrom,
	startBulkExport,
	waitForBulkOperation,
	type BulkRecord,
} from '../../service/src/shopify/bulkExport';
import { SourceLineError, type SyncRecord } from '../../service/src/usecases/jobs/types';
import { startShopifyDouble, type ShopifyDouble } from '../support/shopifyDouble';
import { customerAt, customerTruth, orderAt, orderFileCounts, orderLineCount } from '../support/shopifyCustomers';

const TOKEN = 'shpat_fixed_admin_token_for_tests';
const NOW = Date.now();
const shop = { seed: 7, nowMs: NOW };

let double: ShopifyDouble;

beforeEach(async () => {
	double = await startShopifyDouble({
		clientSecret: 'client-secret-bulk',
		clientId: 'client-id-bulk',
		accessToken: TOKEN,
		bulk: { customers: 20_000, orders: 400, seed: shop.seed, nowMs: NOW, runningPolls: 2 },
	});
});
afterEach(async () => {
	await double.close();
	nock.cleanAll();
});

const adminClient = (extra: Partial<ConstructorParameters<typeof ShopifyAdminClient>[0]> = {}) =>
	new ShopifyAdminClient(
		{ shop: double.shop, adminUrl: double.url, apiVersion: '2025-10', accessToken: TOKEN, timeoutMs: 5_000, ...extra },
		{ backoffMs: 5 },
	);

async function completedExport(client: ShopifyAdminClient, query = bulkCustomersQuery()) {
	const { id } = await startBulkExport(client, query);
	const state = await waitForBulkOperation(client, id, { pollMs: 20, firstPollMs: 2 });
	return { id, state };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const item of items) out.push(item);
	return out;
}

/** What an iteration threw (and how many items it gave before). */
async function failureOf<T>(items: AsyncIterable<T>): Promise<{ error: unknown; count: number }> {
	let count = 0;
	try {
		for await (const item of items) {
			void item;
			count++;
		}
	} catch (error) {
		return { error, count };
	}
	throw new Error(`no error after ${count} items`);
}

describe('Shopify bulk export: start, wait, stream', () => {
	test('20,000 customers: started as a grouped bulk query, polled to COMPLETED, streamed whole and then resumed with skip', async () => {
		const client = adminClient();
		const { id } = await startBulkExport(client, bulkCustomersQuery());
		expect(double.bulkOperations).toHaveLength(1);
		expect(double.bulkOperations[0]).toMatchObject({ id, kind: 'customers', groupObjects: true });
		const seen: string[] = [];
		const state = await waitForBulkOperation(client, id, {
			pollMs: 20,
			firstPollMs: 2,
			onStatus: (s) => seen.push(s.status),
		});
		expect(seen).toEqual(['RUNNING', 'RUNNING', 'COMPLETED']);
		expect(state).toMatchObject({ id, status: 'COMPLETED', objectCount: 20_000, rootObjectCount: 20_000 });
		expect(state.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/bulk\/\d+\.jsonl\?sig=/);

		const records = await collect(
			customersFrom(bulkRecords(state.url as string, { expectedLines: state.objectCount }), { now: NOW }),
		);
		expect(records).toHaveLength(20_000);
		// Exactly the hashes a correct normalizer gives the generator's truth, for every customer.
		const counts = { email: 0, phone: 0, none: 0 };
		records.forEach((record: SyncRecord, i) => {
			const truth = customerTruth(i, shop);
			const row = record.audience ? audienceRow(['EMAIL', 'PHONE', 'EXTERN_ID'], record.audience) : undefined;
			expect({ i, email: row?.[0], phone: row?.[1], extern: row?.[2] }).toEqual({
				i,
				email: truth.email ? sha256Hex(truth.email) : '',
				phone: truth.phone ? sha256Hex(truth.phone) : '',
				extern: truth.legacyId, // Meta takes EXTERN_ID as it is
			});
			expect([i, record.segment]).toEqual([i, truth.segment]);
			expect([i, record.contact?.email?.trim().toLowerCase()]).toEqual([i, truth.email]);
			if (truth.email) counts.email++;
			if (truth.phone) counts.phone++;
			if (!truth.email && !truth.phone) counts.none++;
		});
		// The generator covers what it claims: most have an e-mail, many a phone, some neither.
		expect(counts.email).toBeGreaterThan(17_000);
		expect(counts.phone).toBeGreaterThan(10_000);
		expect(counts.none).toBeGreaterThan(100);
		const segments = new Set(records.map((r) => r.segment));
		expect([...segments].sort()).toEqual(['engaged', 'existing', 'new', 'other']);

		// A resume polls the operation again for a fresh URL and skips what was handled.
		const again = await bulkOperationStatus(client, id);
		expect(again.status).toBe('COMPLETED');
		const rest = await collect(bulkRecords(again.url as string, { skip: 12_345 }));
		expect(rest).toHaveLength(20_000 - 12_345);
		expect(rest[0]).toMatchObject({ index: 12_345, line: 12_346, children: [] });
		expect(rest[0].value.id).toBe(customerTruth(12_345, shop).gid);
		expect(rest[rest.length - 1].value.id).toBe(customerTruth(19_999, shop).gid);
		expect(double.fileRequests).toHaveLength(2);
		// The signed file URL gets no Shopify token: it is not the shop's.
		for (const request of double.fileRequests) expect(request.headers['x-shopify-access-token']).toBeUndefined();
		// Every Admin request carried the token.
		const admin = double.received.filter((r) => r.path.endsWith('/graphql.json'));
		expect(admin.every((r) => r.headers['x-shopify-access-token'] === TOKEN)).toBe(true);
		expect(admin.map((r) => r.path)).toEqual(admin.map(() => '/admin/api/2025-10/graphql.json'));
	});

	test('orders since a time: line items grouped under their order, Purchase events and contacts from them', async () => {
		const sinceMs = NOW - 3 * 86_400_000;
		const client = adminClient();
		const { state } = await completedExport(client, bulkOrdersQuery(new Date(sinceMs).toISOString()));
		const expected = orderFileCounts(400, { ...shop, sinceMs });
		expect(expected.lines).toBeGreaterThan(expected.roots); // the file has child lines to group
		expect(state.objectCount).toBe(expected.lines);

		const objects = await collect(bulkRecords(state.url as string, { expectedLines: state.objectCount }));
		expect(objects).toHaveLength(expected.roots);
		for (const object of objects) {
			const i = Number(String(object.value.id).split('/').pop()) - 5_900_000_000_000;
			expect(object.children).toHaveLength(orderLineCount(i, shop));
			expect(object.children).toEqual(orderAt(i, { ...shop, customers: 20_000 }).lineItems);
			expect(Date.parse(String(object.value.createdAt))).toBeGreaterThanOrEqual(sinceMs);
		}

		// The mapping, over the same objects.
		const replay = async function* () {
			yield* objects;
		};
		const records = await collect(ordersFrom(replay(), { now: Math.floor(NOW / 1000) }));
		expect(records).toHaveLength(objects.length);
		let purchases = 0;
		records.forEach((record, k) => {
			const value = objects[k].value as { legacyResourceId: string; test: boolean; cancelledAt: string | null };
			const lines = objects[k].children as Array<{ quantity: number; variant: { legacyResourceId: string } }>;
			if (value.test || value.cancelledAt) {
				expect(record.purchase).toBeUndefined();
				return;
			}
			purchases++;
			expect(record.purchase).toMatchObject({ event_name: 'Purchase', event_id: value.legacyResourceId });
			expect(record.purchase?.custom_data?.order_id).toBe(value.legacyResourceId);
			expect(record.purchase?.custom_data?.contents ?? []).toEqual(
				lines.map((l) => expect.objectContaining({ id: l.variant.legacyResourceId, quantity: l.quantity })),
			);
			if (record.contact) expect(record.contact.shopify_last_order_id).toBe(value.legacyResourceId);
		});
		expect(purchases).toBeGreaterThan(objects.length / 2);
	});

	test('a FAILED operation is an error naming its errorCode', async () => {
		double.bulk.failWith = 'ACCESS_DENIED';
		const client = adminClient();
		const { id } = await startBulkExport(client, bulkCustomersQuery());
		const error = await waitForBulkOperation(client, id, { pollMs: 20, firstPollMs: 2 }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(BulkExportError);
		expect(error).toMatchObject({ reason: 'failed', errorCode: 'ACCESS_DENIED', operationId: id });
		expect((error as Error).message).toMatch(
			/bulk operation gid:\/\/shopify\/BulkOperation\/\d+ failed: ACCESS_DENIED/,
		);
		expect((error as Error).message).toMatch(/access scope/);
	});

	test('a second export while one runs is refused, naming the one that runs', async () => {
		double.bulk.runningPolls = 1_000;
		const client = adminClient();
		const first = await startBulkExport(client, bulkCustomersQuery());
		const error = await startBulkExport(client, bulkOrdersQuery(new Date(NOW - 86_400_000).toISOString())).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(BulkExportError);
		expect(error).toMatchObject({ reason: 'in_progress', operationId: first.id });
		expect((error as Error).message).toContain(`already running for this app on ${double.shop} (${first.id}, RUNNING)`);
		expect(double.bulkOperations).toHaveLength(1);
	});

	test('wake() and a wake-up emitter end the pause at once (the bulk_operations/finish webhook)', async () => {
		const client = adminClient();
		const { id } = await startBulkExport(client, bulkCustomersQuery());
		const started = Date.now();
		const wait = waitForBulkOperation(client, id, { pollMs: 60_000, firstPollMs: 60_000 });
		const wakeups = new EventEmitter();
		const waking = setInterval(() => wait.wake(), 50);
		const state = await wait.finally(() => clearInterval(waking));
		expect(state.status).toBe('COMPLETED');
		expect(Date.now() - started).toBeLessThan(10_000);

		const second = await startBulkExport(client, bulkCustomersQuery());
		const viaEmitter = waitForBulkOperation(client, second.id, { pollMs: 60_000, firstPollMs: 60_000, wakeups });
		const timer = setInterval(() => wakeups.emit(second.id), 50);
		await expect(viaEmitter.finally(() => clearInterval(timer))).resolves.toMatchObject({ status: 'COMPLETED' });
		expect(wakeups.listenerCount(second.id)).toBe(0);
	});

	test('an abort ends the wait with the signal reason', async () => {
		double.bulk.runningPolls = 1_000;
		const client = adminClient();
		const { id } = await startBulkExport(client, bulkCustomersQuery());
		const controller = new AbortController();
		setTimeout(() => controller.abort(new Error('job cancelled')), 50);
		await expect(
			waitForBulkOperation(client, id, { pollMs: 10_000, firstPollMs: 10_000, signal: controller.signal }),
		).rejects.toThrow('job cancelled');
	});
});

describe('Shopify bulk file: refusals', () => {
	test('a line over 1 MB is refused, naming the line', async () => {
		double.bulk.customers = 50;
		// Line 7 (0-based 6) grows past 1 MiB: a note no real customer has.
		double.bulk.transformLine = (line, i) =>
			i === 6 ? JSON.stringify({ ...JSON.parse(line), note: 'x'.repeat(1_100_000) }) : line;
		const { state } = await completedExport(adminClient());
		const { error, count } = await failureOf(bulkRecords(state.url as string));
		expect(error).toBeInstanceOf(SourceLineError);
		expect(error).toMatchObject({ line: 7 });
		expect((error as Error).message).toBe('line 7: is longer than 1048576 bytes');
		expect(count).toBe(5); // objects 1..5 were complete; 6 waits for its children, which never come
	});

	test('a line that is not JSON is refused by number, without quoting it', async () => {
		double.bulk.customers = 20;
		double.bulk.transformLine = (line, i) => (i === 3 ? line.slice(0, -10) : line);
		const { state } = await completedExport(adminClient());
		const { error } = await failureOf(bulkRecords(state.url as string));
		expect(error).toBeInstanceOf(SourceLineError);
		expect((error as Error).message).toBe('line 4: is not valid JSON');
	});

	test('a download cut off mid-line or at a line boundary is an error, and a resume with skip reads the rest', async () => {
		double.bulk.customers = 20_000;
		const client = adminClient();
		const { id, state } = await completedExport(client);
		double.bulk.cutAfterBytes = 300_001;
		const first = await failureOf(bulkRecords(state.url as string, { expectedLines: state.objectCount }));
		expect(first.error).toBeInstanceOf(BulkExportError);
		expect(first.error).toMatchObject({ reason: 'file' });
		expect((first.error as Error).message).toMatch(/^the bulk file broke off after line \d+ \(\d+ top-level objects\)/);
		expect(first.count).toBeGreaterThan(100);
		expect(first.count).toBeLessThan(20_000);

		// Cut exactly after a whole line: still not a complete file.
		const lineBytes = Buffer.byteLength(`${JSON.stringify(customerAt(0, shop))}\n`);
		double.bulk.cutAfterBytes = lineBytes;
		const second = await failureOf(bulkRecords((await bulkOperationStatus(client, id)).url as string));
		expect((second.error as Error).message).toMatch(/^the bulk file broke off after line 1 /);

		// The resume: skip what the cut-off run handled, read the rest.
		const rest = await collect(
			bulkRecords((await bulkOperationStatus(client, id)).url as string, { skip: first.count }),
		);
		expect(first.count + rest.length).toBe(20_000);
		expect(rest[0].value.id).toBe(customerTruth(first.count, shop).gid);
	});

	test('a file that ends cleanly but short of objectCount is refused, not read as complete', async () => {
		nock.disableNetConnect();
		nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
		try {
			const lines = ['{"id":"gid://shopify/Customer/1"}', '{"id":"gid://shopify/Customer/2"}'];
			nock('https://storage.example')
				.get('/bulk.jsonl')
				.reply(200, `${lines.join('\n')}\n`);
			const { error, count } = await failureOf(bulkRecords('https://storage.example/bulk.jsonl', { expectedLines: 3 }));
			expect(count).toBe(2);
			expect((error as Error).message).toBe('the bulk file ended after 2 lines, Shopify counted 3: it was cut short');
			// An expired signed URL says so.
			nock('https://storage.example').get('/old.jsonl').reply(403, '<Error><Code>ExpiredToken</Code></Error>');
			const expired = await failureOf(bulkRecords('https://storage.example/old.jsonl'));
			expect((expired.error as Error).message).toMatch(/HTTP 403 \(its signed URL may have expired/);
		} finally {
			nock.enableNetConnect();
		}
	});

	test('lines split across chunks, multi-byte characters cut in two, grandchildren, CRLF and a last line without \\n', async () => {
		const text =
			'{"id":"gid://shopify/Order/1","name":"Zoë 東京"}\r\n' +
			'{"id":"gid://shopify/LineItem/11","title":"Mug été","__parentId":"gid://shopify/Order/1"}\n' +
			'{"id":"gid://shopify/Discount/111","__parentId":"gid://shopify/LineItem/11"}\n' +
			'\n' +
			'{"id":"gid://shopify/Order/2","note":"__parentId","tags":["__parentId"],"x":"a,\\"__parentId\\":1"}';
		const bytes = Buffer.from(text, 'utf8');
		{
			// One byte per chunk: every boundary, inside every character.
			const stream = new ReadableStream<Uint8Array>({
				start(controller) {
					for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
					controller.close();
				},
			});
			const realFetch = globalThis.fetch;
			globalThis.fetch = (async () => new Response(stream, { status: 200 })) as typeof fetch;
			let objects: BulkRecord[];
			try {
				objects = await collect(bulkRecords('https://storage.example/f.jsonl', { expectedLines: 4 }));
			} finally {
				globalThis.fetch = realFetch;
			}
			expect(objects.map((o) => [o.value.id, o.line, o.index, o.children.map((c) => c.id)])).toEqual([
				['gid://shopify/Order/1', 1, 0, ['gid://shopify/LineItem/11', 'gid://shopify/Discount/111']],
				['gid://shopify/Order/2', 5, 1, []],
			]);
			expect(objects[0].value.name).toBe('Zoë 東京');
			expect(objects[0].children[0].title).toBe('Mug été');
		}
	});

	test('a child line that does not follow its parent is refused (an ungrouped file)', async () => {
		double.bulk.lines = () => [
			'{"id":"gid://shopify/Order/1"}',
			'{"id":"gid://shopify/Order/2"}',
			'{"id":"gid://shopify/LineItem/11","__parentId":"gid://shopify/Order/1"}',
		];
		const { state } = await completedExport(adminClient(), bulkOrdersQuery(new Date(NOW - 86_400_000).toISOString()));
		const { error } = await failureOf(bulkRecords(state.url as string));
		expect((error as Error).message).toBe(
			'line 3: its __parentId "gid://shopify/Order/1" is not the object before it (the file must be grouped: groupObjects)',
		);
	});
});

describe('Shopify Admin client', () => {
	test('client credentials: one grant for many calls, renewed once when Shopify answers 401', async () => {
		const client = adminClient({
			accessToken: undefined,
			clientId: 'client-id-bulk',
			clientSecret: 'client-secret-bulk',
		});
		const { id } = await startBulkExport(client, bulkCustomersQuery());
		await bulkOperationStatus(client, id);
		const grants = () => double.received.filter((r) => r.path === '/admin/oauth/access_token');
		expect(grants()).toHaveLength(1);
		expect(grants()[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(Object.fromEntries(new URLSearchParams(grants()[0].raw))).toEqual({
			grant_type: 'client_credentials',
			client_id: 'client-id-bulk',
			client_secret: 'client-secret-bulk',
		});
		const firstToken = double.received.filter((r) => r.path.endsWith('graphql.json')).pop()?.headers[
			'x-shopify-access-token'
		];

		// Shopify revokes it: the next call gets 401, takes a new token and goes through.
		double.tokens.clear();
		await expect(bulkOperationStatus(client, id)).resolves.toMatchObject({ id });
		expect(grants()).toHaveLength(2);
		const calls = double.received.filter((r) => r.path.endsWith('graphql.json'));
		const [denied, retried] = calls.slice(-2);
		expect(denied.headers['x-shopify-access-token']).toBe(firstToken);
		expect(retried.headers['x-shopify-access-token']).not.toBe(firstToken);

		// A 401 that a fresh token does not cure stands, after one renewal.
		double.tokens.clear();
		const realAdd = double.tokens.add.bind(double.tokens);
		double.tokens.add = () => double.tokens; // grants hand out tokens Shopify does not accept
		try {
			const error = await bulkOperationStatus(client, id).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(ShopifyAdminError);
			expect(error).toMatchObject({ reason: 'auth', status: 401 });
			expect(grants()).toHaveLength(3);
		} finally {
			double.tokens.add = realAdd;
		}
	});

	test('a wrong client secret is an auth error naming the settings, without the secret', async () => {
		const client = adminClient({
			accessToken: undefined,
			clientId: 'client-id-bulk',
			clientSecret: 'wrong-secret-123',
		});
		const error = await bulkOperationStatus(client, 'gid://shopify/BulkOperation/1').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ShopifyAdminError);
		expect(error).toMatchObject({ reason: 'auth', status: 400 });
		expect((error as Error).message).toMatch(/invalid_client.*check SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET/);
		expect((error as Error).message).not.toContain('wrong-secret-123');
	});

	describe('against nock', () => {
		const origin = 'https://relay-nock.myshopify.com';
		const path = '/admin/api/2025-10/graphql.json';
		const nockClient = () =>
			new ShopifyAdminClient(
				{ shop: 'relay-nock.myshopify.com', apiVersion: '2025-10', accessToken: TOKEN, timeoutMs: 2_000 },
				{ backoffMs: 1 },
			);
		beforeAll(() => nock.disableNetConnect());
		afterAll(() => nock.enableNetConnect());

		test('THROTTLED, 429 and 5xx are retried; the mutation is not retried after a 5xx', async () => {
			const throttled = {
				errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
				extensions: { cost: { requestedQueryCost: 10, throttleStatus: { currentlyAvailable: 9, restoreRate: 100 } } },
			};
			const scope = nock(origin, { reqheaders: { 'x-shopify-access-token': TOKEN } })
				.post(path)
				.reply(200, throttled)
				.post(path)
				.reply(429, {}, { 'retry-after': '0' })
				.post(path)
				.reply(502, 'Bad gateway')
				.post(path)
				.reply(200, { data: { node: { id: 'gid://shopify/BulkOperation/9', status: 'RUNNING', objectCount: '42' } } });
			await expect(bulkOperationStatus(nockClient(), 'gid://shopify/BulkOperation/9')).resolves.toEqual({
				id: 'gid://shopify/BulkOperation/9',
				status: 'RUNNING',
				objectCount: 42,
			});
			scope.done();

			nock(origin).post(path).reply(503, 'unavailable');
			const error = await startBulkExport(nockClient(), bulkCustomersQuery()).catch((e: unknown) => e);
			expect(error).toMatchObject({ reason: 'retry', status: 503 });
			expect(nock.pendingMocks()).toEqual([]);
		});

		test("an invalid query throws Shopify's words, redacted, with no retry", async () => {
			nock(origin)
				.post(path)
				.reply(200, {
					errors: [
						{ message: "Field 'statusPageUrl' doesn't exist; search was email:Jane.Doe@example.com +1 415 555 0100" },
					],
				});
			const error = await bulkOperationStatus(nockClient(), 'gid://shopify/BulkOperation/1').catch((e: unknown) => e);
			expect(error).toBeInstanceOf(ShopifyAdminError);
			expect(error).toMatchObject({ reason: 'invalid', status: 200 });
			expect((error as Error).message).toBe(
				"Shopify Admin GraphQL HTTP 200: Field 'statusPageUrl' doesn't exist; search was email:[redacted] [redacted]",
			);
		});

		test('userErrors of bulkOperationRunQuery are a clear error', async () => {
			nock(origin)
				.post(path)
				.reply(200, {
					data: {
						bulkOperationRunQuery: {
							bulkOperation: null,
							userErrors: [{ field: ['query'], message: 'Invalid bulk query: no connection', code: 'INVALID' }],
						},
					},
				});
			const error = await startBulkExport(nockClient(), '{ shop { name } }').catch((e: unknown) => e);
			expect(error).toMatchObject({ reason: 'invalid' });
			expect((error as Error).message).toBe('Shopify refused the bulk query: query: Invalid bulk query: no connection');
		});

		test('no answer within timeoutMs is retried, then reported', async () => {
			nock(origin).post(path).times(5).delay(500).reply(200, { data: {} });
			const client = new ShopifyAdminClient(
				{ shop: 'relay-nock.myshopify.com', apiVersion: '2025-10', accessToken: TOKEN, timeoutMs: 50 },
				{ backoffMs: 1, maxAttempts: 2 },
			);
			const error = await bulkOperationStatus(client, 'gid://shopify/BulkOperation/1').catch((e: unknown) => e);
			expect(error).toMatchObject({ reason: 'retry', status: null });
			expect((error as Error).message).toBe('Shopify Admin GraphQL: no answer within 50 ms (after 2 tries)');
			nock.abortPendingRequests();
		});
	});
});

describe('Shopify bulk file: memory', () => {
	test('streaming 200,000 customers keeps the heap flat: no growth with the number of lines', async () => {
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as () => void;
		const heap = () => {
			gc();
			return process.memoryUsage().heapUsed;
		};
		double.bulk.customers = 200_000;
		const { state } = await completedExport(adminClient());
		const baseline = heap();
		const samples: Array<{ at: number; growth: number }> = [];
		let count = 0;
		for await (const record of customersFrom(bulkRecords(state.url as string, { expectedLines: 200_000 }), {
			now: NOW,
		})) {
			void record;
			count++;
			if (count % 20_000 === 0) samples.push({ at: count, growth: heap() - baseline });
		}
		expect(count).toBe(200_000);
		console.log(
			`heap growth over a 200,000-line stream (MB): ${samples.map((s) => `${s.at}: ${(s.growth / 1048576).toFixed(1)}`).join(', ')}`,
		);
		// Holding the records would take hundreds of MB (about 1 KB each); streaming stays within a few chunks.
		const early = samples[0].growth;
		const late = Math.max(...samples.slice(-3).map((s) => s.growth));
		expect(late).toBeLessThan(24 * 1024 * 1024);
		expect(late - early).toBeLessThan(8 * 1024 * 1024);
		expect(double.fileBytes()).toBeGreaterThan(100 * 1024 * 1024);
	}, 240_000);
});
