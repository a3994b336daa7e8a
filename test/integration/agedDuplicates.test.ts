import { signChatwootWebhook } from '../../nodes/core/signatures/chatwoot';
import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import orderFixture from '../fixtures/shopify/order-with-fbclid.json';
import { json } from '../support/http';
import { startRelay, type TestRelay } from '../support/relayServer';

const DAY = 86_400_000;
const SHOP = 'linen.myshopify.com';

/**
 * A source retrying after its event has aged past Meta's 7 days gets "duplicate, already stored"
 * (2xx, nothing written), from every endpoint. The service's clock is the test's: it moves 8 days.
 */
describe('a repeat of a stored event that has since aged past Meta’s window', () => {
	let relay: TestRelay;
	const start = Date.now();
	let offset = 0;
	const now = () => start + offset;
	const later = () => {
		offset = 8 * DAY;
	};
	beforeAll(async () => {
		relay = await startRelay(
			'pglite',
			{
				META_PIXEL_ID: '123456',
				SHOPIFY_WEBHOOK_SECRETS: 'shop-secret',
				SUPABASE_WEBHOOK_SECRET: 'sb-secret',
				CHATWOOT_WEBHOOK_SECRET: 'cw-secret',
			},
			undefined,
			{ clock: now },
		);
	});
	afterAll(() => relay.close());
	beforeEach(() => {
		offset = 0;
	});

	const read = { authorization: () => `Bearer ${relay.apiSecret}` };
	const count = async () =>
		(await json(await fetch(`${relay.url}/v1/events?limit=200`, { headers: { authorization: read.authorization() } })))
			.data.length as number;
	const api = (body: unknown) =>
		fetch(`${relay.url}/v1/events`, {
			method: 'POST',
			headers: { authorization: read.authorization(), 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});

	it('POST /v1/events: 202 duplicate with the stored id; a new event as old is still refused', async () => {
		const event = {
			event_name: 'Lead',
			event_id: 'api-aged-1',
			event_time: Math.floor(start / 1000),
			email: 'aged@example.com',
		};
		const first = await json(await api(event));
		expect(first.data[0]).toMatchObject({ duplicate: false, status: 'queued' });
		later();
		const before = await count();
		const again = await api(event);
		expect(again.status).toBe(202);
		expect(await json(again)).toEqual({
			data: [{ index: 0, id: first.data[0].id, status: 'queued', duplicate: true }],
			errors: [],
		});
		const fresh = { ...event, event_id: 'api-fresh-1', event_time: undefined };
		const mixed = await json(await api({ data: [event, { ...event, event_id: 'api-aged-never-stored' }, fresh] }));
		expect(mixed.data.map((d: { index: number; duplicate: boolean }) => [d.index, d.duplicate])).toEqual([
			[0, true],
			[2, false],
		]);
		expect(mixed.errors).toEqual([
			expect.objectContaining({ index: 1, field: 'event_time', message: expect.stringContaining('8 days old') }),
		]);
		const alone = await api({ ...event, event_id: 'api-aged-never-stored' });
		expect(alone.status).toBe(400);
		expect((await json(alone)).error.field).toBe('event_time');
		expect(await count()).toBe(before + 1);
	});

	function shopify(payload: object, id: string) {
		const body = JSON.stringify(payload);
		return fetch(`${relay.url}/v1/webhooks/shopify`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-shopify-hmac-sha256': signShopifyWebhook(body, 'shop-secret'),
				'x-shopify-topic': 'orders/paid',
				'x-shopify-shop-domain': SHOP,
				'x-shopify-webhook-id': id,
			},
			body,
		});
	}

	it('Shopify: the same delivery and another delivery of the same order are duplicates', async () => {
		const order = {
			...orderFixture,
			id: 7100000000001,
			created_at: new Date(start - 3_600_000).toISOString(),
			processed_at: new Date(start - 3_500_000).toISOString(),
		};
		const first = await json(await shopify(order, 'aged-wh-1'));
		expect(first.data[0]).toMatchObject({ duplicate: false });
		later();
		const before = await count();
		for (const id of ['aged-wh-1', 'aged-wh-2']) {
			const res = await shopify(order, id);
			expect(res.status).toBe(200);
			expect(await json(res)).toEqual({
				duplicate_delivery: false,
				data: [{ index: 0, id: first.data[0].id, status: 'queued', duplicate: true }],
				errors: [],
			});
		}
		const unseen = await json(await shopify({ ...order, id: 7100000000002 }, 'aged-wh-3'));
		expect(unseen.data).toEqual([]);
		expect(unseen.errors[0].field).toBe('event_time');
		expect(await count()).toBe(before);
	});

	const supabase = (body: unknown) =>
		fetch(`${relay.url}/v1/webhooks/supabase`, {
			method: 'POST',
			headers: { authorization: 'Bearer sb-secret', 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});

	it('Supabase: a database webhook fired again for the same transition is a duplicate', async () => {
		const lead = (status: string) => ({
			id: 4242,
			email: 'aged.lead@example.com',
			status,
			updated_at: new Date(start).toISOString(),
		});
		const change = {
			type: 'UPDATE',
			table: 'leads',
			schema: 'public',
			record: lead('qualified'),
			old_record: lead('new'),
		};
		const first = await json(await supabase(change));
		expect(first.data[0]).toMatchObject({ duplicate: false });
		later();
		const before = await count();
		const again = await supabase(change);
		expect(again.status).toBe(200);
		expect(await json(again)).toEqual({
			matched: 1,
			duplicate_delivery: false,
			data: [{ index: 0, id: first.data[0].id, status: 'queued', duplicate: true }],
			errors: [],
		});
		expect(await count()).toBe(before);
	});

	function chatwoot(payload: object, delivery: string) {
		const body = JSON.stringify(payload);
		// Signed at the service's now, as Chatwoot would sign a retry.
		const ts = Math.floor(now() / 1000);
		return fetch(`${relay.url}/v1/webhooks/chatwoot`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-chatwoot-signature': signChatwootWebhook(body, 'cw-secret', ts),
				'x-chatwoot-timestamp': String(ts),
				'x-chatwoot-delivery': delivery,
			},
			body,
		});
	}

	it('Chatwoot: a conversation delivered again days later is a duplicate', async () => {
		const conversation = {
			event: 'conversation_created',
			id: 9311,
			account: { id: 7 },
			labels: [],
			meta: { sender: { id: 990, email: 'aged.chat@example.com' } },
		};
		const first = await json(await chatwoot(conversation, 'aged-cw-1'));
		expect(first.data[0]).toMatchObject({ duplicate: false });
		later();
		const before = await count();
		// Chatwoot sends no event time, so the event is as fresh as the delivery: the receipt and
		// the event key still recognise it.
		const same = await chatwoot(conversation, 'aged-cw-1');
		expect(same.status).toBe(200);
		expect(await json(same)).toEqual({ matched: 1, duplicate_delivery: true, data: [], errors: [] });
		const other = await chatwoot(conversation, 'aged-cw-2');
		expect(other.status).toBe(200);
		expect((await json(other)).data).toEqual([{ index: 0, id: first.data[0].id, status: 'queued', duplicate: true }]);
		expect(await count()).toBe(before);
	});
});
