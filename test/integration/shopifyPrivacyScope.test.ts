import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import customerFixture from '../fixtures/shopify/customer-706405506930370084.json';
import orderFixture from '../fixtures/shopify/order-with-fbclid.json';
import { startRelay, type TestRelay } from '../support/relayServer';
import { json } from '../support/http';

// Shopify signs the body only: X-Shopify-Topic and X-Shopify-Shop-Domain can be changed on a
// signed body. The action of a delivery must follow from what its body says, never from them.
const SECRET = 'app-client-secret';
const VICTIM = 'victim.myshopify.com';
const ATTACKER = 'attacker.myshopify.com';

const mary = { id: 7001, email: 'mary.jones@example.com', phone: '+49 170 1234567' };
const hour = () => new Date(Date.now() - 3_600_000).toISOString();
const order = (id: number, customer: { id: number; email: string; phone: string }) => ({
	...orderFixture,
	id,
	admin_graphql_api_id: `gid://shopify/Order/${id}`,
	email: customer.email,
	customer: { ...orderFixture.customer, ...customer },
	created_at: hour(),
	processed_at: hour(),
});

describe('Shopify privacy topics act only on what the signed body names', () => {
	let relay: TestRelay;
	let sequence = 0;

	beforeAll(async () => {
		relay = await startRelay('pglite', { META_PIXEL_ID: '123456', SHOPIFY_WEBHOOK_SECRETS: SECRET });
		// The victim shop holds Mary's order and another customer's; the attacker's shop one order.
		for (const [shop, body] of [
			[VICTIM, order(91001, mary)],
			[VICTIM, order(91002, { id: 7002, email: 'other.buyer@example.com', phone: '+49 170 7654321' })],
			[ATTACKER, order(92001, { id: 8001, email: 'eve.attacker@example.com', phone: '+49 170 5550000' })],
		] as const) {
			expect((await deliver('orders/paid', body, shop)).status).toBe(200);
		}
	});
	afterAll(() => relay.close());

	function deliver(topic: string, payload: unknown, shop: string) {
		const body = JSON.stringify(payload);
		return fetch(`${relay.url}/v1/webhooks/shopify`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
				'x-shopify-topic': topic,
				'x-shopify-shop-domain': shop,
				'x-shopify-webhook-id': `scope-${++sequence}`,
			},
			body,
		});
	}
	const storedIds = async (): Promise<string[]> =>
		(
			await json(
				await fetch(`${relay.url}/v1/events?limit=100`, { headers: { authorization: `Bearer ${relay.apiSecret}` } }),
			)
		).data
			.map((e: { event_id: string }) => e.event_id)
			.sort();

	async function refused(topic: string, payload: unknown, shop: string, field: string) {
		const res = await deliver(topic, payload, shop);
		const body = await json(res);
		expect({ status: res.status, field: body.error?.field }).toEqual({ status: 400, field });
		// Nothing erased, nothing of anyone's events in the answer.
		expect(body.events).toBeUndefined();
		expect(body.redacted).toBeUndefined();
		expect(await storedIds()).toEqual(['91001', '91002', '92001']);
	}

	it('a signed order body resent as shop/redact for another shop erases nothing: 400', async () => {
		await refused('shop/redact', order(92001, mary), VICTIM, 'shop_id');
	});

	it('a signed order body resent as customers/data_request returns nothing: 400', async () => {
		await refused('customers/data_request', order(92001, mary), VICTIM, 'shop_id');
	});

	it('a signed order body resent as customers/redact erases nothing: 400', async () => {
		await refused('customers/redact', order(92001, mary), VICTIM, 'shop_id');
	});

	it('a privacy body that names one shop, sent with another shop header: 400 naming shop_domain', async () => {
		await refused('shop/redact', { shop_id: 2, shop_domain: ATTACKER }, VICTIM, 'shop_domain');
		await refused(
			'customers/data_request',
			{ shop_id: 2, shop_domain: ATTACKER, customer: mary, orders_requested: [91001], data_request: { id: 1 } },
			VICTIM,
			'shop_domain',
		);
		await refused(
			'customers/redact',
			{ shop_id: 2, shop_domain: ATTACKER, customer: mary, orders_to_redact: [91001] },
			VICTIM,
			'shop_domain',
		);
	});

	it('a privacy body resent under another privacy topic: 400', async () => {
		// One customer's redaction resent as the whole shop's.
		await refused(
			'shop/redact',
			{ shop_id: 1, shop_domain: VICTIM, customer: mary, orders_to_redact: [91001] },
			VICTIM,
			'customer',
		);
		// A request to see data resent as a request to erase it, and the other way round.
		await refused(
			'customers/redact',
			{ shop_id: 1, shop_domain: VICTIM, customer: mary, orders_requested: [91001], data_request: { id: 1 } },
			VICTIM,
			'orders_to_redact',
		);
		await refused(
			'customers/data_request',
			{ shop_id: 1, shop_domain: VICTIM, customer: mary, orders_to_redact: [91001] },
			VICTIM,
			'orders_requested',
		);
		// A shop's redaction resent as a customer's.
		await refused('customers/redact', { shop_id: 1, shop_domain: VICTIM }, VICTIM, 'customer');
	});

	it('an order body as customers/create, a customer body as orders/paid: 400, nothing stored', async () => {
		await refused('customers/create', order(91003, mary), VICTIM, 'admin_graphql_api_id');
		await refused('orders/paid', { ...customerFixture, created_at: hour() }, VICTIM, 'admin_graphql_api_id');
		// Without the GraphQL id, an order still shows by its line items.
		await refused('customers/create', { ...order(91004, mary), admin_graphql_api_id: undefined }, VICTIM, 'line_items');
	});

	it("Shopify's own privacy bodies act on their shop and customer only", async () => {
		const request = await json(
			await deliver(
				'customers/data_request',
				{ shop_id: 1, shop_domain: VICTIM, orders_requested: [91001], customer: mary, data_request: { id: 9999 } },
				VICTIM,
			),
		);
		expect(request.events.map((e: { event_id: string }) => e.event_id)).toEqual(['91001']);
		expect(
			await json(
				await deliver(
					'customers/redact',
					{ shop_id: 1, shop_domain: VICTIM, customer: mary, orders_to_redact: [91001] },
					VICTIM,
				),
			),
		).toEqual({ redacted: 1 });
		expect(await storedIds()).toEqual(['91002', '92001']);
		expect(await json(await deliver('shop/redact', { shop_id: 2, shop_domain: ATTACKER }, ATTACKER))).toEqual({
			redacted: 1,
		});
		expect(await storedIds()).toEqual(['91002']);
	});
});
