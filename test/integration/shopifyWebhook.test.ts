import { createHash } from 'node:crypto';
import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import customerFixture from '../fixtures/shopify/customer-706405506930370084.json';
import orderFixture from '../fixtures/shopify/order-with-fbclid.json';
import testOrder from '../fixtures/shopify/order-test-notification.json';
import { startRelay, type TestRelay } from '../support/relayServer';
import { json } from '../support/http';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SHOP = 'linen.myshopify.com';

describe('POST /v1/webhooks/shopify', () => {
	let relay: TestRelay;
	let delivery = 0;

	beforeAll(async () => {
		relay = await startRelay('pglite', { META_PIXEL_ID: '123456', SHOPIFY_WEBHOOK_SECRETS: 'new-secret,old-secret' });
	});
	afterAll(() => relay.close());

	function deliver(
		topic: string,
		payload: unknown,
		options: { secret?: string; id?: string; tamper?: boolean; headers?: Record<string, string> } = {},
	) {
		const body = JSON.stringify(payload);
		const hmac = signShopifyWebhook(body, options.secret ?? 'new-secret');
		return fetch(`${relay.url}/v1/webhooks/shopify`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-shopify-hmac-sha256': hmac,
				'x-shopify-topic': topic,
				'x-shopify-shop-domain': SHOP,
				'x-shopify-webhook-id': options.id ?? `wh-${++delivery}`,
				'x-shopify-api-version': '2026-10',
				...options.headers,
			},
			body: options.tamper ? body.replace('89.90', '8.99') : body,
		});
	}

	const recent = (order: object) => ({
		...order,
		created_at: new Date(Date.now() - 3_600_000).toISOString(),
		processed_at: new Date(Date.now() - 3_500_000).toISOString(),
	});
	const events = async () =>
		(
			await json(
				await fetch(`${relay.url}/v1/events?limit=100`, { headers: { authorization: `Bearer ${relay.apiSecret}` } }),
			)
		).data;

	it('when a signed orders/paid arrives, then a hashed Purchase is stored and Shopify gets 200', async () => {
		const res = await deliver('orders/paid', recent(orderFixture), { id: 'wh-paid-1' });
		expect(res.status).toBe(200);
		const body = await json(res);
		expect(body).toMatchObject({
			duplicate_delivery: false,
			errors: [],
			data: [{ index: 0, status: 'queued', duplicate: false }],
		});
		const stored = (await events()).find((e: { id: string }) => e.id === body.data[0].id);
		expect(stored).toMatchObject({ event_name: 'Purchase', event_id: '5847392847', source: 'shopify' });
		expect(stored.payload.action_source).toBe('website');
		expect(stored.payload.event_source_url).toMatch(/^https:\/\/linen\.myshopify\.com\/products\/linen-shirt/);
		expect(stored.payload.user_data.em).toEqual([sha('mary.jones@example.com')]);
		expect(stored.payload.custom_data).toMatchObject({ value: 89.9, currency: 'EUR', order_id: '5847392847' });
	});

	it('when the same delivery comes again, then nothing is stored twice', async () => {
		const again = await json(await deliver('orders/paid', recent(orderFixture), { id: 'wh-paid-1' }));
		expect(again).toEqual({ duplicate_delivery: true, data: [], errors: [] });
		// A different delivery of the same order: stored once, reported as a duplicate event.
		const other = await json(await deliver('orders/paid', recent(orderFixture), { id: 'wh-paid-2' }));
		expect(other.data[0].duplicate).toBe(true);
	});

	it('accepts the old secret during a rotation; refuses a forged or tampered delivery with 401 and stores nothing', async () => {
		const before = (await events()).length;
		const signedUp = { ...customerFixture, created_at: new Date(Date.now() - 60_000).toISOString() };
		expect((await deliver('customers/create', signedUp, { secret: 'old-secret' })).status).toBe(200);
		expect((await deliver('orders/paid', recent({ ...orderFixture, id: 1 }), { secret: 'guess' })).status).toBe(401);
		const tampered = await deliver('orders/paid', recent({ ...orderFixture, id: 2 }), { tamper: true });
		expect(tampered.status).toBe(401);
		expect(await json(tampered)).toEqual({
			error: { code: 'unauthorized', message: 'X-Shopify-Hmac-Sha256 does not match the body' },
		});
		expect((await events()).length).toBe(before + 1);
	});

	it('turns customers/create into a Lead and ignores test orders and other topics', async () => {
		const lead = (await events()).find((e: { event_name: string }) => e.event_name === 'Lead');
		expect(lead).toMatchObject({ event_id: 'customer_706405506930370084', source: 'shopify' });
		expect(lead.payload.action_source).toBe('system_generated');
		expect(await json(await deliver('orders/paid', testOrder))).toEqual({ ignored: 'test order' });
		// A customer not stored yet who signed up in 2021 (Shopify's sample): too old for Meta,
		// acknowledged with the reason. (The same customer as above would be a stored duplicate.)
		const old = await json(await deliver('customers/create', { ...customerFixture, id: 9100000000001 }));
		expect(old.data).toEqual([]);
		expect(old.errors[0]).toMatchObject({ field: 'event_time', code: 'invalid_event' });
		expect(await json(await deliver('orders/updated', recent(orderFixture)))).toEqual({
			ignored: 'topic orders/updated is not turned into events',
		});
	});

	it('names a missing header', async () => {
		const res = await deliver('orders/paid', recent(orderFixture), { headers: { 'x-shopify-shop-domain': '' } });
		expect(res.status).toBe(400);
		expect((await json(res)).error.field).toBe('X-Shopify-Shop-Domain');
	});

	it('answers customers/data_request with hashes only, and erases on customers/redact and shop/redact', async () => {
		const customer = { id: 7001, email: 'mary.jones@example.com', phone: '+49 170 1234567' };
		const request = await json(
			await deliver('customers/data_request', {
				shop_id: 1,
				shop_domain: SHOP,
				orders_requested: [5847392847],
				customer,
				data_request: { id: 9999 },
			}),
		);
		expect(request.events).toHaveLength(1);
		expect(JSON.stringify(request)).not.toContain('mary.jones@example.com');
		expect(request.events[0].user_data.em).toEqual([sha('mary.jones@example.com')]);
		expect(
			await json(
				await deliver('customers/redact', { shop_id: 1, shop_domain: SHOP, customer, orders_to_redact: [5847392847] }),
			),
		).toEqual({ redacted: 1 });
		expect((await events()).some((e: { event_name: string }) => e.event_name === 'Purchase')).toBe(false);
		expect(await json(await deliver('shop/redact', { shop_id: 1, shop_domain: SHOP }))).toEqual({ redacted: 1 });
		expect(await events()).toEqual([]);
	});

	it('when the same delivery arrives 20 times at once (one group commit), then one event is stored', async () => {
		// Last in the file: the privacy test above counts this customer's events.
		const order = recent({
			...orderFixture,
			id: 777_000_001,
			email: 'burst@example.com',
			phone: null,
			customer: { ...orderFixture.customer, id: 4242, email: 'burst@example.com', phone: null },
		});
		const answers = await Promise.all(
			Array.from({ length: 20 }, () => deliver('orders/paid', order, { id: 'wh-burst' }).then(json)),
		);
		expect(answers.filter((a) => a.duplicate_delivery === false)).toHaveLength(1);
		expect(answers.filter((a) => a.duplicate_delivery === true)).toHaveLength(19);
		const stored = (await events()).filter((e: { event_id: string }) => e.event_id === '777000001');
		expect(stored).toHaveLength(1);
	});
});
