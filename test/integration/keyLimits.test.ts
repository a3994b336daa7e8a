import { randomBytes } from 'node:crypto';
import { MAX_EVENT_BYTES } from '../../nodes/core/capi/limits';
import { signChatwootWebhook } from '../../nodes/core/signatures/chatwoot';
import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import orderFixture from '../fixtures/shopify/order-with-fbclid.json';
import { startRelay, type Backend, type TestRelay } from '../support/relayServer';
import { json } from '../support/http';

// Random text, so that Postgres cannot compress an index row under its limit (about 2,700 bytes):
// before the caps, each of these keys failed the whole request with a 500.
const text = (length: number) => randomBytes(length).toString('base64url').slice(0, length);
const digits = (length: number) => Array.from(randomBytes(length), (b) => String(b % 10)).join('');
const SHOP = 'limits.myshopify.com';

describe.each<Backend>(['pglite', 'postgres'])('stored keys and identifiers are capped at ingest (%s)', (backend) => {
	let relay: TestRelay;
	let sequence = 0;
	beforeAll(async () => {
		relay = await startRelay(backend, {
			META_PIXEL_ID: '123456',
			SHOPIFY_WEBHOOK_SECRETS: 'limits-shop-secret',
			SUPABASE_WEBHOOK_SECRET: 'limits-supabase-secret',
			CHATWOOT_WEBHOOK_SECRET: 'limits-chatwoot-secret',
		});
	});
	afterAll(() => relay.close());

	const auth = () => ({ authorization: `Bearer ${relay.apiSecret}` });
	const api = (body: unknown) =>
		fetch(`${relay.url}/v1/events`, {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	const count = async (): Promise<number> =>
		(await json(await fetch(`${relay.url}/v1/events?limit=500`, { headers: auth() }))).data.length;
	const good = () => ({ event_name: 'Lead', external_id: `good-${++sequence}`, event_id: `good-${sequence}` });

	/** Refused with a 4xx naming the field, and nothing stored. */
	async function refused(send: () => Promise<Response>, field: string) {
		const before = await count();
		const res = await send();
		const body = await json(res);
		expect({ status: res.status, field: body.error?.field }).toEqual({ status: 400, field });
		expect(await count()).toBe(before);
		return body;
	}

	// Each bad event, and the field its error must name.
	const bad: Array<[string, () => object, string]> = [
		['an event_id of 2,800 characters', () => ({ ...good(), event_id: text(2_800) }), 'event_id'],
		['a pixel_id of 20,000 digits', () => ({ ...good(), pixel_id: digits(20_000) }), 'pixel_id'],
		['an event_name of 101 characters', () => ({ ...good(), event_name: text(101) }), 'event_name'],
		['a phone of 60,002 characters', () => ({ ...good(), phone: `1${' '.repeat(60_000)}1` }), 'phone'],
		['21 e-mails', () => ({ ...good(), email: Array.from({ length: 21 }, (_, i) => `many${i}@example.com`) }), 'email'],
		[
			'a user_data.em value of 1,002 characters',
			() => ({ ...good(), user_data: { em: [`${text(990)}@example.com`] } }),
			'user_data.em',
		],
		['a user agent of 1,001 characters', () => ({ ...good(), client_user_agent: text(1_001) }), 'client_user_agent'],
		['an fbp of 1,001 characters', () => ({ ...good(), user_data: { fbp: text(1_001) } }), 'user_data.fbp'],
		[
			`an event above ${MAX_EVENT_BYTES} bytes once hashed`,
			() => ({
				...good(),
				custom_data: { contents: Array.from({ length: 700 }, () => ({ id: text(100), quantity: 1 })) },
			}),
			'custom_data',
		],
	];

	it.each(bad)('POST /v1/events: %s is a 400 naming it, nothing stored', async (_what, event, field) => {
		const started = Date.now();
		const body = await refused(() => api(event()), field);
		expect(body.errors).toEqual([expect.objectContaining({ index: 0, code: 'invalid_event', field })]);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('POST /v1/events: a batch keeps its good events and names each bad one by index', async () => {
		const before = await count();
		const events = [good(), ...bad.map(([, event]) => event()), good(), good()];
		const res = await api({ data: events });
		expect(res.status).toBe(202);
		const body = await json(res);
		expect(body.errors.map((e: { index: number; field: string }) => [e.index, e.field])).toEqual(
			bad.map(([, , field], i) => [i + 1, field]),
		);
		expect(body.data.map((a: { index: number; duplicate: boolean }) => [a.index, a.duplicate])).toEqual([
			[0, false],
			[bad.length + 1, false],
			[bad.length + 2, false],
		]);
		expect(await count()).toBe(before + 3);
	});

	it('POST /v1/events: 999 good events and one with a 2,800-character event_id: the 999 are kept', async () => {
		const before = await count();
		const events = Array.from({ length: 1_000 }, (_, i) => (i === 500 ? { ...good(), event_id: text(2_800) } : good()));
		const res = await api({ data: events });
		expect(res.status).toBe(202);
		const body = await json(res);
		expect(body.errors).toEqual([
			expect.objectContaining({
				index: 500,
				field: 'event_id',
				message: 'event_id: has 2,800 characters; at most 400 characters',
			}),
		]);
		expect(body.data).toHaveLength(999);
		const listed = await json(await fetch(`${relay.url}/v1/events?limit=500`, { headers: auth() }));
		expect(listed.data).toHaveLength(Math.min(500, before + 999));
	});

	function shopify(payload: object, headers: Record<string, string> = {}, topic = 'orders/paid') {
		const body = JSON.stringify(payload);
		return fetch(`${relay.url}/v1/webhooks/shopify`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-shopify-hmac-sha256': signShopifyWebhook(body, 'limits-shop-secret'),
				'x-shopify-topic': topic,
				'x-shopify-shop-domain': SHOP,
				'x-shopify-webhook-id': `limits-${++sequence}`,
				...headers,
			},
			body,
		});
	}
	const order = () => ({
		...orderFixture,
		id: 93_000 + ++sequence,
		created_at: new Date(Date.now() - 3_600_000).toISOString(),
		processed_at: new Date(Date.now() - 3_500_000).toISOString(),
	});

	it('Shopify: an 8 KB X-Shopify-Webhook-Id, X-Shopify-Event-Id or shop domain, or an id of 3,000 digits: 400 naming it', async () => {
		await refused(() => shopify(order(), { 'x-shopify-webhook-id': text(8_000) }), 'X-Shopify-Webhook-Id');
		await refused(() => shopify(order(), { 'x-shopify-event-id': text(8_000) }), 'X-Shopify-Event-Id');
		await refused(
			() =>
				shopify(order(), {
					'x-shopify-shop-domain': `${text(8_000)
						.toLowerCase()
						.replace(/[^a-z0-9]/g, 'x')}.myshopify.com`,
				}),
			'X-Shopify-Shop-Domain',
		);
		await refused(() => shopify({ ...order(), id: digits(3_000), admin_graphql_api_id: undefined }), 'id');
		// A privacy request's customer is capped as the events' identifiers are.
		await refused(
			() =>
				shopify(
					{
						shop_id: 1,
						shop_domain: SHOP,
						customer: { id: 1, phone: `1${' '.repeat(60_000)}1` },
						orders_requested: [],
						data_request: { id: 1 },
					},
					{},
					'customers/data_request',
				),
			'customer.phone',
		);
		// The same order with sane headers is stored.
		expect((await json(await shopify(order()))).data[0]).toMatchObject({ duplicate: false });
	});

	const supabase = (body: object) =>
		fetch(`${relay.url}/v1/webhooks/supabase`, {
			method: 'POST',
			headers: { authorization: 'Bearer limits-supabase-secret', 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	const change = (record: object, extra: object = {}) => ({
		type: 'UPDATE',
		table: 'leads',
		record: { id: ++sequence, status: 'qualified', email: `lead${sequence}@example.com`, ...record },
		old_record: { status: 'new' },
		...extra,
	});

	it('Supabase: a record id, updated_at or schema of 3,000 characters: 400 naming it', async () => {
		await refused(() => supabase(change({ id: text(3_000) })), 'record.id');
		await refused(() => supabase(change({ updated_at: text(3_000) })), 'record.updated_at');
		await refused(() => supabase(change({}, { schema: text(3_000) })), 'schema');
		await refused(() => supabase(change({}, { table: text(3_000) })), 'table');
		expect((await json(await supabase(change({})))).data[0]).toMatchObject({ duplicate: false });
	});

	function chatwoot(payload: object, delivery = `cw-limits-${++sequence}`) {
		const body = JSON.stringify(payload);
		const t = Math.floor(Date.now() / 1000);
		return fetch(`${relay.url}/v1/webhooks/chatwoot`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-chatwoot-signature': signChatwootWebhook(body, 'limits-chatwoot-secret', t),
				'x-chatwoot-timestamp': String(t),
				'x-chatwoot-delivery': delivery,
			},
			body,
		});
	}
	const conversation = (extra: object = {}) => ({
		event: 'conversation_created',
		id: ++sequence,
		account: { id: 7 },
		meta: { sender: { id: 90, email: `cw${sequence}@example.com` } },
		...extra,
	});

	it('Chatwoot: an account id or conversation id of 3,000 characters, or an 8 KB X-Chatwoot-Delivery: 400 naming it', async () => {
		await refused(() => chatwoot(conversation({ account: { id: text(3_000) } })), 'account.id');
		await refused(() => chatwoot(conversation({ id: text(3_000) })), 'id');
		await refused(() => chatwoot(conversation(), text(8_000)), 'X-Chatwoot-Delivery');
		expect((await json(await chatwoot(conversation()))).data[0]).toMatchObject({ duplicate: false });
	});
});
