import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import orderFixture from '../fixtures/shopify/order-with-fbclid.json';
import { startRelay, type TestRelay } from '../support/relayServer';
import { json } from '../support/http';

// Bodies are written as text: JSON.stringify cannot write 9007199254740993 or 1e309, which is
// exactly what a sender can.
const SHOP = 'exact.myshopify.com';
const SECRET = 'exact-shop-secret';

describe('ids past 2^53, and numbers no id can be', () => {
	let relay: TestRelay;
	let sequence = 0;
	beforeAll(async () => {
		relay = await startRelay('pglite', {
			META_PIXEL_ID: '123456',
			SHOPIFY_WEBHOOK_SECRETS: SECRET,
			SUPABASE_WEBHOOK_SECRET: 'exact-supabase-secret',
		});
	});
	afterAll(() => relay.close());

	const api = (body: string) =>
		fetch(`${relay.url}/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' },
			body,
		});
	const stored = async (id: string) =>
		json(await fetch(`${relay.url}/v1/events/${id}`, { headers: { authorization: `Bearer ${relay.apiSecret}` } }));
	const shopify = (topic: string, body: string) =>
		fetch(`${relay.url}/v1/webhooks/shopify`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
				'x-shopify-topic': topic,
				'x-shopify-shop-domain': SHOP,
				'x-shopify-webhook-id': `exact-${++sequence}`,
			},
			body,
		});
	/** The order fixture, recent, with its id (and its customer's) written as raw JSON text. */
	function orderText(id: string, { gid = true, customerId = '7001', email = 'mary.jones@example.com' } = {}): string {
		const at = new Date(Date.now() - 3_600_000).toISOString();
		const order = {
			...orderFixture,
			id: 0,
			admin_graphql_api_id: gid ? `gid://shopify/Order/${id}` : undefined,
			email,
			created_at: at,
			processed_at: at,
			customer: { ...orderFixture.customer, id: 0, email, phone: null },
		};
		const body = JSON.stringify(order);
		return body.replace('"id":0', `"id":${id}`).replace('"customer":{"id":0', `"customer":{"id":${customerId}`);
	}

	it('/v1/events: two event ids past 2^53 are two events, stored with the digits sent', async () => {
		const a = await json(await api('{"event_name":"Lead","external_id":"n-1","event_id":9007199254740993}'));
		const b = await json(await api('{"event_name":"Lead","external_id":"n-1","event_id":9007199254740992}'));
		expect([a.data[0].duplicate, b.data[0].duplicate]).toEqual([false, false]);
		expect([(await stored(a.data[0].id)).event_id, (await stored(b.data[0].id)).event_id]).toEqual([
			'9007199254740993',
			'9007199254740992',
		]);
		// The same id as text is the same event.
		expect(
			(await json(await api('{"event_name":"Lead","external_id":"n-1","event_id":"9007199254740993"}'))).data[0],
		).toMatchObject({ id: a.data[0].id, duplicate: true });
		// In a batch too.
		const batch = await json(
			await api(
				'{"data":[{"event_name":"Lead","external_id":"n-2","event_id":12345678901234567890},{"event_name":"Lead","external_id":"n-2","event_id":12345678901234567891}]}',
			),
		);
		expect(batch.data.map((e: { duplicate: boolean }) => e.duplicate)).toEqual([false, false]);
	});

	it('/v1/events: a number event_id that is not a whole number of at most 2^53 − 1 is refused naming event_id', async () => {
		for (const id of ['1e400', '1.5', '1e300']) {
			const res = await api(`{"event_name":"Lead","external_id":"n-3","event_id":${id}}`);
			expect(res.status).toBe(400);
			expect((await json(res)).error.field).toBe('event_id');
		}
		const mixed = await json(
			await api(
				'{"data":[{"event_name":"Lead","external_id":"n-4","event_id":1e400},{"event_name":"Lead","external_id":"n-4","event_id":"n-4"}]}',
			),
		);
		expect(mixed.errors).toEqual([expect.objectContaining({ index: 0, field: 'event_id' })]);
		expect(mixed.data).toEqual([expect.objectContaining({ index: 1, duplicate: false })]);
	});

	it('Shopify: "id": 1e309 without admin_graphql_api_id is refused naming id; with it, the GraphQL id is the event id', async () => {
		const res = await shopify('orders/paid', orderText('1e309', { gid: false }));
		expect(res.status).toBe(400);
		expect((await json(res)).error.field).toBe('id');
		const withGid = await json(
			await shopify(
				'orders/paid',
				orderText('1e309').replace('gid://shopify/Order/1e309', 'gid://shopify/Order/5900000000001'),
			),
		);
		expect((await stored(withGid.data[0].id)).event_id).toBe('5900000000001');
		const fractional = await shopify('orders/paid', orderText('5900000000002.5', { gid: false }));
		expect((await json(fractional)).error.field).toBe('id');
	});

	it('Shopify: two orders whose ids differ past 2^53 are two events, with the digits sent', async () => {
		const ids = ['706405506930370084', '706405506930370085'];
		const answers = [];
		for (const id of ids)
			answers.push(
				await json(
					await shopify(
						'orders/paid',
						orderText(id, { gid: false, customerId: id.replace('7064', '8064'), email: `buyer-${id}@example.com` }),
					),
				),
			);
		expect(answers.map((a) => a.data[0].duplicate)).toEqual([false, false]);
		expect(await Promise.all(answers.map(async (a) => (await stored(a.data[0].id)).event_id))).toEqual(ids);
		// customers/data_request by the customer's id alone finds that customer's order, not the other's.
		const request = `{"shop_id":1,"shop_domain":"${SHOP}","orders_requested":[],"customer":{"id":806405506930370085},"data_request":{"id":1}}`;
		const found = await json(await shopify('customers/data_request', request));
		expect(found.events.map((e: { event_id: string }) => e.event_id)).toEqual(['706405506930370085']);
	});

	it('Supabase: two records whose ids differ past 2^53 are two events', async () => {
		const post = (id: string) =>
			fetch(`${relay.url}/v1/webhooks/supabase`, {
				method: 'POST',
				headers: { authorization: 'Bearer exact-supabase-secret', 'content-type': 'application/json' },
				body: `{"type":"UPDATE","table":"leads","record":{"id":${id},"status":"qualified","email":"lead-${id}@example.com"},"old_record":{"id":${id},"status":"new"}}`,
			}).then(json);
		const [a, b] = [await post('9007199254740993'), await post('9007199254740992')];
		expect([(await stored(a.data[0].id)).event_id, (await stored(b.data[0].id)).event_id]).toEqual([
			'leads:9007199254740993:Lead',
			'leads:9007199254740992:Lead',
		]);
	});
});
