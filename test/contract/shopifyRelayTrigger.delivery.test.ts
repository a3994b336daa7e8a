import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { ShopifyRelayTrigger } from '../../nodes/ShopifyRelayTrigger/ShopifyRelayTrigger.node';
import { webhookContext } from '../support/webhookContext';

const SECRET = 'client-secret-of-the-app';
const SHOP = 'relay-test.myshopify.com';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const sign = (raw: Buffer, secret = SECRET) => createHmac('sha256', secret).update(raw).digest('base64');
const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/shopify', name));

const ORDER = fixture('order-450789469.json');
const CUSTOMER = fixture('customer-706405506930370084.json');

interface Delivery {
	raw: Buffer;
	topic?: string;
	hmac?: string;
	webhookId?: string;
	eventId?: string;
	params?: IDataObject;
	staticData?: IDataObject;
	previousSecret?: string;
	workflowId?: string;
}

function deliver(d: Delivery) {
	const headers: Record<string, string> = {
		'X-Shopify-Topic': d.topic ?? 'orders/paid',
		'X-Shopify-Shop-Domain': SHOP,
		'X-Shopify-API-Version': '2025-10',
		'X-Shopify-Triggered-At': '2026-03-02T10:00:00.000Z',
		'Content-Type': 'application/json',
	};
	if (d.hmac !== '') headers['X-Shopify-Hmac-Sha256'] = d.hmac ?? sign(d.raw);
	if (d.webhookId) headers['X-Shopify-Webhook-Id'] = d.webhookId;
	if (d.eventId) headers['X-Shopify-Event-Id'] = d.eventId;
	const ctx = webhookContext({
		params: {
			topics: ['orders/paid', 'orders/create', 'customers/create', 'refunds/create', 'customers/redact', 'shop/redact'],
			options: {},
			...d.params,
		},
		credentials: {
			shopDomain: SHOP,
			apiVersion: '2025-10',
			authMethod: 'accessToken',
			accessToken: 'shpat_TOKEN',
			clientSecret: SECRET,
			previousClientSecret: d.previousSecret ?? '',
			baseUrl: '',
		},
		staticData: d.staticData,
		workflowId: d.workflowId,
		headers,
		rawBody: d.raw,
	});
	return { ctx, run: () => new ShopifyRelayTrigger().webhook.call(ctx) };
}

const viewsParams = (options: IDataObject = {}) => ({
	options: { views: ['metaUserData', 'metaCustomData', 'metaEventId', 'hubspotProperties'], ...options },
});

describe('a delivery with a valid HMAC', () => {
	it('starts one run with topic, shop, ids and the payload, paired to item 0; n8n answers', async () => {
		const { ctx, run } = deliver({ raw: ORDER, webhookId: 'wh-1', eventId: 'ev-1' });
		const result = await run();
		expect(result.workflowData).toEqual([
			[
				{
					json: {
						topic: 'orders/paid',
						shop: SHOP,
						webhookId: 'wh-1',
						eventId: 'ev-1',
						apiVersion: '2025-10',
						triggeredAt: '2026-03-02T10:00:00.000Z',
						payload: JSON.parse(ORDER.toString('utf8')),
						orderKind: 'partially_refunded',
					},
					pairedItem: { item: 0 },
				},
			],
		]);
		expect(result.noWebhookResponse).toBeUndefined();
		expect(ctx.response.statusCode).toBeUndefined();
	});

	it('is verified on the raw bytes, whatever their layout (not on re-serialized JSON)', async () => {
		const raw = Buffer.from(JSON.stringify(JSON.parse(ORDER.toString('utf8')), null, 4) + '\n');
		const result = await deliver({ raw, webhookId: 'wh-layout' }).run();
		expect(result.workflowData?.[0]).toHaveLength(1);
	});
});

describe('a delivery that fails verification: 401, no run, nothing remembered', () => {
	const oneByteChanged = Buffer.from(ORDER.toString('utf8').replace('"598.94"', '"598.95"'));
	const cases: Array<[string, Delivery]> = [
		['signed with another secret', { raw: ORDER, hmac: sign(ORDER, 'someone-else') }],
		['body changed after signing', { raw: oneByteChanged, hmac: sign(ORDER) }],
		['no signature header', { raw: ORDER, hmac: '' }],
		['a signature that is not base64', { raw: ORDER, hmac: 'not*base64!' }],
		['a truncated signature', { raw: ORDER, hmac: sign(ORDER).slice(0, 20) }],
	];
	it.each(cases)('%s', async (_name, delivery) => {
		const { ctx, run } = deliver({ ...delivery, webhookId: 'wh-bad' });
		const result = await run();
		expect(result).toEqual({ noWebhookResponse: true });
		expect(ctx.response.statusCode).toBe(401);
		expect(ctx.staticData.deliveries).toBeUndefined();
	});
});

describe('a client secret rotation', () => {
	it('accepts the previous secret while it is set, and only then', async () => {
		const old = sign(ORDER, 'the-old-client-secret');
		expect(
			(await deliver({ raw: ORDER, hmac: old, webhookId: 'wh-rot-1', previousSecret: 'the-old-client-secret' }).run())
				.workflowData?.[0],
		).toHaveLength(1);
		const refused = deliver({ raw: ORDER, hmac: old, webhookId: 'wh-rot-2' });
		expect(await refused.run()).toEqual({ noWebhookResponse: true });
		expect(refused.ctx.response.statusCode).toBe(401);
	});
});

describe('duplicates and topics', () => {
	it('drops a redelivery (same X-Shopify-Webhook-Id) with 200 and no run', async () => {
		const staticData: IDataObject = {};
		const first = await deliver({ raw: ORDER, webhookId: 'wh-dup', staticData }).run();
		const again = deliver({ raw: ORDER, webhookId: 'wh-dup', staticData });
		const second = await again.run();
		expect(first.workflowData?.[0]).toHaveLength(1);
		expect(second).toEqual({ webhookResponse: { received: true, duplicate: true } });
		expect(again.ctx.response.statusCode).toBeUndefined();
	});

	it('runs once for copies that arrive together, each with its own copy of the static data (as n8n gives them)', async () => {
		const copies = Array.from({ length: 20 }, () =>
			deliver({ raw: ORDER, webhookId: 'wh-burst', staticData: {}, workflowId: 'wf-burst' }).run(),
		);
		const results = await Promise.all(copies);
		expect(results.filter((r) => r.workflowData)).toHaveLength(1);
		expect(results.filter((r) => r.webhookResponse?.duplicate === true)).toHaveLength(19);
		// Another workflow with the same trigger is not affected.
		expect(
			(await deliver({ raw: ORDER, webhookId: 'wh-burst', staticData: {}, workflowId: 'wf-other' }).run()).workflowData,
		).toBeDefined();
	});

	it('keys on X-Shopify-Event-Id when present: two deliveries of one event run once', async () => {
		const staticData: IDataObject = {};
		const a = await deliver({ raw: ORDER, webhookId: 'wh-a', eventId: 'ev-9', staticData }).run();
		const b = await deliver({ raw: ORDER, webhookId: 'wh-b', eventId: 'ev-9', staticData }).run();
		const c = await deliver({ raw: ORDER, webhookId: 'wh-c', eventId: 'ev-10', staticData }).run();
		expect([a, b, c].map((r) => Boolean(r.workflowData))).toEqual([true, false, true]);
	});

	it('does not confuse one id under two topics', async () => {
		const staticData: IDataObject = {};
		const paid = await deliver({ raw: ORDER, topic: 'orders/paid', webhookId: 'wh-same', staticData }).run();
		const created = await deliver({ raw: ORDER, topic: 'orders/create', webhookId: 'wh-same', staticData }).run();
		expect([paid, created].map((r) => Boolean(r.workflowData))).toEqual([true, true]);
	});

	it('remembers the last 1,000 deliveries only', async () => {
		const staticData: IDataObject = {
			deliveries: Array.from({ length: 1000 }, (_, i) => `${SHOP}|orders/paid|webhook:old-${i}`),
		};
		await deliver({ raw: ORDER, webhookId: 'newest', staticData }).run();
		const kept = staticData.deliveries as string[];
		expect(kept).toHaveLength(1000);
		expect(kept[0]).toBe(`${SHOP}|orders/paid|webhook:old-1`);
		expect(kept[999]).toBe(`${SHOP}|orders/paid|webhook:newest`);
		// old-0 fell out of the window: it would run again; old-1 is still a duplicate.
		expect(Boolean((await deliver({ raw: ORDER, webhookId: 'old-0', staticData }).run()).workflowData)).toBe(true);
		expect(Boolean((await deliver({ raw: ORDER, webhookId: 'old-2', staticData }).run()).workflowData)).toBe(false);
	});

	it('answers 200 without a run for a topic that is not selected', async () => {
		const { ctx, run } = deliver({
			raw: ORDER,
			topic: 'orders/updated',
			webhookId: 'wh-topic',
			params: { topics: ['orders/paid'] },
		});
		expect(await run()).toEqual({ webhookResponse: { received: true, ignored: 'orders/updated' } });
		expect(ctx.staticData.deliveries).toBeUndefined();
	});
});

describe('ready-made views', () => {
	// Normalized by Meta's rules by hand: lowercase e-mail and names, phone digits with the
	// country code, city without spaces, two-letter state, five-digit US zip, ISO country.
	const orderUserData = {
		em: [sha('bob.norman@mail.example.com')],
		ph: [sha('557734881234')],
		fn: [sha('bob')],
		ln: [sha('norman')],
		ct: [sha('louisville')],
		st: [sha('ky')],
		zp: [sha('40202')],
		country: [sha('us')],
		external_id: [sha('207119551')],
	};

	it('gives an order’s user_data (hashed), custom_data, event_id and HubSpot properties', async () => {
		const result = await deliver({ raw: ORDER, webhookId: 'wh-v1', params: viewsParams() }).run();
		const json = result.workflowData?.[0][0].json as IDataObject;
		expect(json.meta).toEqual({
			user_data: orderUserData,
			custom_data: {
				value: 598.94,
				currency: 'USD',
				contents: [
					{ id: '39072856', quantity: 1, item_price: 199 },
					{ id: '49148385', quantity: 1, item_price: 199 },
					{ id: '457924702', quantity: 1, item_price: 199 },
				],
				content_ids: ['39072856', '49148385', '457924702'],
				content_type: 'product',
				num_items: 3,
				order_id: '450789469',
			},
			event_id: '450789469',
		});
		expect(json.hubspot).toEqual({
			properties: {
				email: 'bob.norman@mail.example.com',
				firstname: 'Bob',
				lastname: 'Norman',
				phone: '+557734881234',
				city: 'Louisville',
				state: 'KY',
				zip: '40202',
				country: 'US',
				shopify_customer_id: '207119551',
				shopify_last_order_id: '450789469',
				shopify_last_order_date: '2008-01-10',
			},
		});
	});

	it('follows the options: unhashed user_data, event id template, value field', async () => {
		const params = viewsParams({
			views: ['metaUserData', 'metaCustomData', 'metaEventId'],
			hashUserData: false,
			eventIdTemplate: 'order_{order_number}',
			valueField: 'current_total_price',
		});
		const result = await deliver({ raw: ORDER, webhookId: 'wh-v2', params }).run();
		const meta = (result.workflowData?.[0][0].json as IDataObject).meta as IDataObject;
		expect(meta.user_data).toEqual({
			em: ['bob.norman@mail.example.com'],
			ph: ['557734881234'],
			fn: ['bob'],
			ln: ['norman'],
			ct: ['louisville'],
			st: ['ky'],
			zp: ['40202'],
			country: ['us'],
			external_id: ['207119551'],
		});
		expect(meta.event_id).toBe('order_1001');
		expect((meta.custom_data as IDataObject).value).toBe(199.65);
	});

	it('gives each line the content id of the Content ID option (Shopify’s sample shop ships to the US)', async () => {
		const contents = async (contentId: string, webhookId: string) => {
			const params = viewsParams({ views: ['metaCustomData'], contentId });
			const result = await deliver({ raw: ORDER, webhookId, params }).run();
			const data = ((result.workflowData?.[0][0].json as IDataObject).meta as IDataObject).custom_data as IDataObject;
			return { ids: data.content_ids, contents: (data.contents as IDataObject[]).map((c) => c.id) };
		};
		expect(await contents('shopify_{country}_{product_id}_{variant_id}', 'wh-c1')).toEqual({
			ids: ['shopify_US_632910392_39072856', 'shopify_US_632910392_49148385', 'shopify_US_632910392_457924702'],
			contents: ['shopify_US_632910392_39072856', 'shopify_US_632910392_49148385', 'shopify_US_632910392_457924702'],
		});
		expect(await contents('sku', 'wh-c2')).toEqual({
			ids: ['IPOD2008GREEN', 'IPOD2008RED', 'IPOD2008BLACK'],
			contents: ['IPOD2008GREEN', 'IPOD2008RED', 'IPOD2008BLACK'],
		});
		expect(await contents('product_id', 'wh-c3')).toEqual({
			ids: ['632910392'],
			contents: ['632910392', '632910392', '632910392'],
		});
	});

	it('reads a new customer from its default address, with its exact id despite JSON’s 2^53 limit', async () => {
		const result = await deliver({
			raw: CUSTOMER,
			topic: 'customers/create',
			webhookId: 'wh-v3',
			params: viewsParams(),
		}).run();
		const json = result.workflowData?.[0][0].json as IDataObject;
		expect(json.meta).toEqual({
			user_data: {
				em: [sha('bob@biller.com')],
				ph: [sha('15555555555')],
				fn: [sha('bob')],
				ln: [sha('biller')],
				ct: [sha('ottawa')],
				st: [sha('on')],
				zp: [sha('k2p2l8')],
				country: [sha('ca')],
				external_id: [sha('706405506930370084')],
			},
			event_id: 'customer_706405506930370084',
		});
		expect((json.hubspot as IDataObject).properties).toMatchObject({
			email: 'bob@biller.com',
			shopify_customer_id: '706405506930370084',
		});
		expect(json.orderKind).toBeUndefined();
	});

	it('gives a refund its money returned (successful refund transactions only) and no buyer', async () => {
		const refund = JSON.parse(fixture('refund-create.json').toString('utf8'));
		const raw = Buffer.from(JSON.stringify({ ...refund, order_id: 450789469 }));
		const result = await deliver({ raw, topic: 'refunds/create', webhookId: 'wh-v4', params: viewsParams() }).run();
		const json = result.workflowData?.[0][0].json as IDataObject;
		expect(json.meta).toEqual({
			custom_data: { value: 89.99, currency: 'USD', order_id: '450789469' },
			event_id: 'refund_890088186047892319',
		});
		expect(json.hubspot).toBeUndefined();
	});

	it('identifies the customer of a privacy request; shop/redact has nothing to identify', async () => {
		const redact = Buffer.from(
			JSON.stringify({
				shop_id: 954889,
				shop_domain: SHOP,
				customer: { id: 191167, email: 'John@Example.com', phone: '555-625-1199' },
				orders_to_redact: [299938, 280263],
			}),
		);
		const customer = await deliver({
			raw: redact,
			topic: 'customers/redact',
			webhookId: 'wh-v5',
			params: viewsParams(),
		}).run();
		expect((customer.workflowData?.[0][0].json as IDataObject).meta).toEqual({
			user_data: { em: [sha('john@example.com')], ph: [sha('5556251199')], external_id: [sha('191167')] },
		});
		const shop = await deliver({
			raw: Buffer.from(JSON.stringify({ shop_id: 954889, shop_domain: SHOP })),
			topic: 'shop/redact',
			webhookId: 'wh-v6',
			params: viewsParams(),
		}).run();
		const json = shop.workflowData?.[0][0].json as IDataObject;
		expect(json.topic).toBe('shop/redact');
		expect(json.meta).toBeUndefined();
	});
});
