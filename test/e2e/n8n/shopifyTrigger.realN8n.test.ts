import { createHash, createHmac } from 'node:crypto';
import { startHttpDouble, type HttpDouble } from '../../support/httpDouble';
import { ownerSession, type OwnerSession } from '../../support/n8nRest';
import { startRealN8n, type N8nServer, type RealN8n } from '../../support/realN8n';
import { eventually } from '../../support/relayServer';
import { startShopifyDouble, type ShopifyDouble } from '../../support/shopifyDouble';

/**
 * The Shopify (Conversion Relay) Trigger live in a real n8n 2.40.7 (`n8n start`), against the
 * Shopify double with the client-credentials grant:
 * - activation registers one orders/paid subscription at n8n's production URL of the node;
 * - a signed delivery runs the workflow once, with the Meta and HubSpot views of the order;
 * - a forged delivery is answered 401 and runs nothing; a redelivery (same X-Shopify-Webhook-Id)
 *   runs nothing more; an order without a customer runs and its views carry no personal data;
 * - deactivation deletes the subscription at the shop.
 *
 * Runs started by `n8n start` are not printed by the CLI, so the workflow's second node (HTTP
 * Request) posts the trigger's item to a recording double, and n8n's own execution list (REST API,
 * as the editor reads it) counts the runs.
 *
 * Deactivation: the CLI cannot do it in 2.40.7. `n8n unpublish:workflow` only flips the flag in
 * the database ("Changes will not take effect if n8n is running"), and `n8n start` does not call
 * a webhook's delete method for workflows that are not active, nor on shutdown (webhooks are meant
 * to survive restarts). So the test deactivates the way the editor does: it sets up the instance
 * owner (POST /rest/owner/setup, open while there is none), then POST
 * /rest/workflows/<id>/deactivate with that session, which makes the running n8n remove the
 * webhook and call the node's delete method.
 */
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const CLIENT_ID = 'e2e-client-id-7f3a';
const CLIENT_SECRET = 'shpss_e2e_trigger_secret_5b2c9d';
const WEBHOOK_ID = 'shopify-trigger-e2e';
const WORKFLOW_ID = 'e2eShopTrigger1';

const FBCLID = 'IwAR2xYz_Lk9-Qm3';
const FBP = 'fb.1.1773496000000.1234567890';
const UA =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

// An orders/paid body as Shopify sends it (REST webhook shape), trimmed to the fields that matter.
// The customer id is past 2^53, as in Shopify's own samples: JSON parsing loses its last digits,
// the GraphQL id keeps them.
const paidOrder = {
	id: 5861234567890,
	admin_graphql_api_id: 'gid://shopify/Order/5861234567890',
	name: '#1042',
	order_number: 1042,
	email: ' Mary.Smith@Example.COM ',
	phone: null,
	created_at: '2026-03-14T10:15:02-04:00',
	processed_at: '2026-03-14T10:15:02-04:00',
	updated_at: '2026-03-14T10:15:05-04:00',
	currency: 'USD',
	presentment_currency: 'USD',
	total_price: '129.90',
	subtotal_price: '129.90',
	current_total_price: '129.90',
	financial_status: 'paid',
	test: false,
	cancelled_at: null,
	browser_ip: '203.0.113.7',
	landing_site: `/products/linen-shirt?fbclid=${FBCLID}&utm_source=facebook`,
	referring_site: 'https://l.facebook.com/',
	client_details: { browser_ip: '203.0.113.7', user_agent: UA, accept_language: 'en-US' },
	note_attributes: [{ name: '_fbp', value: FBP }],
	line_items: [
		{
			id: 14001,
			variant_id: 44556677001,
			product_id: 8899001,
			sku: 'LS-M-WHT',
			title: 'Linen shirt',
			quantity: 2,
			price: '49.95',
		},
		{
			id: 14002,
			variant_id: 44556677002,
			product_id: 8899002,
			sku: 'CAP-NVY',
			title: 'Cap',
			quantity: 1,
			price: '30.00',
		},
	],
	billing_address: {
		first_name: 'Mary',
		last_name: "O'Neil",
		address1: '500 Howard St',
		city: 'San Francisco',
		province: 'California',
		province_code: 'CA',
		zip: '94103-1234',
		country: 'United States',
		country_code: 'US',
		phone: '(415) 555-0132',
	},
	shipping_address: {
		first_name: 'Mary',
		last_name: "O'Neil",
		address1: '500 Howard St',
		city: 'San Francisco',
		province_code: 'CA',
		zip: '94103',
		country_code: 'US',
	},
	customer: {
		id: 207119551234567891,
		admin_graphql_api_id: 'gid://shopify/Customer/207119551234567891',
		email: 'mary.smith@example.com',
		first_name: 'Mary',
		last_name: "O'Neil",
		phone: '+1 415-555-0132',
		orders_count: 3,
		total_spent: '389.70',
		state: 'enabled',
	},
};

// A point-of-sale order rung up without a customer: no e-mail, no addresses, no browser.
const anonymousOrder = {
	id: 5861234567999,
	admin_graphql_api_id: 'gid://shopify/Order/5861234567999',
	name: '#1043',
	order_number: 1043,
	email: '',
	phone: null,
	created_at: '2026-03-15T09:00:00+01:00',
	processed_at: '2026-03-15T09:00:00+01:00',
	currency: 'EUR',
	total_price: '12.50',
	subtotal_price: '12.50',
	financial_status: 'paid',
	source_name: 'pos',
	test: false,
	browser_ip: null,
	client_details: null,
	landing_site: null,
	note_attributes: [],
	line_items: [
		{ id: 14003, variant_id: 44556677003, product_id: 8899003, title: 'Tote bag', quantity: 1, price: '12.50' },
	],
	billing_address: null,
	shipping_address: null,
	customer: null,
};

function workflow(recorderUrl: string) {
	return {
		id: WORKFLOW_ID,
		name: 'Shopify trigger (e2e)',
		active: false,
		settings: {},
		nodes: [
			{
				id: 't1',
				name: 'Shopify Trigger',
				type: 'n8n-nodes-conversion-relay.shopifyRelayTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				credentials: { shopifyRelayApi: { id: 'shop-cc', name: 'Shop (client credentials)' } },
				parameters: {
					topics: ['orders/paid'],
					options: { views: ['metaUserData', 'metaCustomData', 'metaEventId', 'hubspotProperties'] },
				},
			},
			{
				id: 't2',
				name: 'Observe',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				parameters: {
					method: 'POST',
					url: `${recorderUrl}/observed`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($json) }}',
					options: {},
				},
			},
		],
		connections: { 'Shopify Trigger': { main: [[{ node: 'Observe', type: 'main', index: 0 }]] } },
	};
}

/** The trigger's item, as the HTTP Request node posted it. */
interface Observed {
	payload: unknown;
	orderKind?: string;
	meta: { user_data?: object; custom_data?: object; event_id?: string };
	hubspot?: object;
	[key: string]: unknown;
}

describe('Shopify (Conversion Relay) Trigger in a live n8n', () => {
	let n8n: RealN8n;
	let server: N8nServer;
	let shopify: ShopifyDouble;
	let recorder: HttpDouble;
	let rest: OwnerSession;
	const observed = () => recorder.received.filter((r) => r.path === '/observed').map((r) => r.body as Observed);
	const runs = () => rest.executions(WORKFLOW_ID);
	const quiet = () => new Promise((r) => setTimeout(r, 2500));

	beforeAll(async () => {
		// No fixed admin token: only tokens from the client-credentials grant open the GraphQL API.
		shopify = await startShopifyDouble({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
		recorder = await startHttpDouble(() => ({ status: 200, body: { recorded: true } }));
		n8n = await startRealN8n();
		await n8n.importCredentials([
			{
				id: 'shop-cc',
				name: 'Shop (client credentials)',
				type: 'shopifyRelayApi',
				data: {
					shopDomain: shopify.shop,
					apiVersion: '2025-10',
					authMethod: 'clientCredentials',
					accessToken: '',
					clientId: CLIENT_ID,
					clientSecret: CLIENT_SECRET,
					previousClientSecret: '',
					baseUrl: shopify.url,
				},
			},
		]);
		await n8n.importWorkflow(workflow(recorder.url));
		await n8n.publish(WORKFLOW_ID);
		server = await n8n.serve();
		await server.webhookLive(`${WEBHOOK_ID}/webhook`);
		await eventually(async () => expect(shopify.subscriptions).toHaveLength(1), 30_000);
		rest = await ownerSession(server.url);
	}, 45 * 60_000);
	afterAll(async () => {
		await server?.stop();
		await n8n?.close();
		await shopify?.close();
		await recorder?.close();
	});

	it("registers exactly one orders/paid subscription, at n8n's production URL of the node, with a token from the client-credentials grant", async () => {
		// n8n's production webhook URL: <base>/webhook/<webhookId>/<path>, the base being
		// http://localhost:<N8N_PORT>/ when WEBHOOK_URL is not set.
		const port = new URL(server.url).port;
		expect(shopify.subscriptions).toEqual([
			{
				id: expect.stringMatching(/^gid:\/\/shopify\/WebhookSubscription\/\d+$/),
				topic: 'ORDERS_PAID',
				uri: `http://localhost:${port}/webhook/${WEBHOOK_ID}/webhook`,
			},
		]);
		const grants = shopify.received.filter((r) => r.path === '/admin/oauth/access_token');
		expect(grants.length).toBeGreaterThanOrEqual(1);
		expect(grants[0].body).toEqual({
			client_id: CLIENT_ID,
			client_secret: CLIENT_SECRET,
			grant_type: 'client_credentials',
		});
		const graphql = shopify.received.filter((r) => r.path === '/admin/api/2025-10/graphql.json');
		const creates = graphql.filter((r) =>
			String((r.body as { query?: string }).query).includes('webhookSubscriptionCreate'),
		);
		expect(creates).toHaveLength(1);
		expect((creates[0].body as { variables: object }).variables).toEqual({
			topic: 'ORDERS_PAID',
			webhookSubscription: { uri: shopify.subscriptions[0].uri, format: 'JSON' },
		});
		// Every GraphQL call carried a token the grant handed out (the double accepts no other).
		for (const r of graphql) expect(shopify.tokens.has(String(r.headers['x-shopify-access-token']))).toBe(true);
	});

	it('runs the workflow once for a signed orders/paid delivery, with the order and its Meta and HubSpot views', async () => {
		const [answer] = await shopify.deliver('orders/paid', paidOrder, { webhookId: 'wh-paid-1042' });
		expect(answer.status).toBe(200);
		await eventually(async () => expect(observed()).toHaveLength(1), 30_000);
		const item = observed()[0];

		// Identifiers normalized as Meta specifies (e-mail trimmed and lower-cased; phone digits with
		// the country code; names lower-cased without punctuation; city a-z only; state the 2-letter
		// code; US ZIP cut to 5 digits; country ISO alpha-2; external id the customer's exact id),
		// then SHA-256. IP, user agent, fbc and fbp are sent as they are; fbc is rebuilt from the
		// landing page's fbclid with the order's creation time in ms.
		const expectedUserData = {
			em: [sha('mary.smith@example.com')],
			ph: [sha('14155550132')],
			fn: [sha('mary')],
			ln: [sha('oneil')],
			ct: [sha('sanfrancisco')],
			st: [sha('ca')],
			zp: [sha('94103')],
			country: [sha('us')],
			external_id: [sha('207119551234567891')],
			client_ip_address: '203.0.113.7',
			client_user_agent: UA,
			fbc: `fb.1.${Date.parse(paidOrder.created_at)}.${FBCLID}`,
			fbp: FBP,
		};
		expect(item).toEqual({
			topic: 'orders/paid',
			shop: shopify.shop,
			webhookId: 'wh-paid-1042',
			eventId: 'wh-paid-1042',
			apiVersion: '2025-10',
			triggeredAt: expect.any(String),
			// The body as n8n parsed it (the customer id past 2^53 loses its last digits here too).
			payload: JSON.parse(JSON.stringify(paidOrder)),
			orderKind: 'purchase',
			meta: {
				user_data: expectedUserData,
				custom_data: {
					value: 129.9,
					currency: 'USD',
					contents: [
						{ id: '44556677001', quantity: 2, item_price: 49.95 },
						{ id: '44556677002', quantity: 1, item_price: 30 },
					],
					content_ids: ['44556677001', '44556677002'],
					content_type: 'product',
					num_items: 3,
					order_id: '5861234567890',
				},
				event_id: '5861234567890',
			},
			hubspot: {
				properties: {
					email: 'Mary.Smith@Example.COM',
					firstname: 'Mary',
					lastname: "O'Neil",
					phone: '+1 415-555-0132',
					city: 'San Francisco',
					state: 'CA',
					zip: '94103-1234',
					country: 'US',
					shopify_customer_id: '207119551234567891',
					shopify_order_count: '3',
					shopify_total_spent: '389.70',
					shopify_last_order_id: '5861234567890',
					// processed_at 10:15 at -04:00 is 14:15 UTC, the same day.
					shopify_last_order_date: '2026-03-14',
				},
			},
		});
		const executions = await eventually(async () => {
			const list = await runs();
			expect(list.map((e) => e.status)).toEqual(['success']);
			return list;
		}, 30_000);
		expect(executions[0].mode).toBe('webhook');
	});

	it('answers a forged delivery 401 and runs nothing', async () => {
		const [forged] = await shopify.deliver(
			'orders/paid',
			{ ...paidOrder, id: 5861234567891, total_price: '0.01' },
			{ secret: 'shpss_not_the_app_secret', webhookId: 'wh-forged-1' },
		);
		expect(forged.status).toBe(401);
		expect(await forged.json()).toEqual({ error: 'invalid Shopify webhook signature' });
		// The HMAC of the real order with the right secret, on a body changed after signing.
		const signed = JSON.stringify(paidOrder);
		const tampered = await fetch(shopify.subscriptions[0].uri, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-shopify-topic': 'orders/paid',
				'x-shopify-shop-domain': shopify.shop,
				'x-shopify-webhook-id': 'wh-forged-2',
				'x-shopify-hmac-sha256': createHmac('sha256', CLIENT_SECRET).update(signed, 'utf8').digest('base64'),
			},
			body: signed.replace('"129.90"', '"0.01"'),
		});
		expect(tampered.status).toBe(401);
		await quiet();
		expect(observed()).toHaveLength(1);
		expect(await runs()).toHaveLength(1);
	});

	it('runs nothing more for a redelivery with the same X-Shopify-Webhook-Id', async () => {
		const [again] = await shopify.deliver('orders/paid', paidOrder, { webhookId: 'wh-paid-1042' });
		// 200, so that Shopify stops retrying it.
		expect(again.status).toBe(200);
		expect(await again.json()).toEqual({ received: true, duplicate: true });
		await quiet();
		expect(observed()).toHaveLength(1);
		expect(await runs()).toHaveLength(1);
	});

	it('runs for an order without a customer, and its views carry no personal data', async () => {
		const [answer] = await shopify.deliver('orders/paid', anonymousOrder, { webhookId: 'wh-paid-1043' });
		expect(answer.status).toBe(200);
		await eventually(async () => expect(observed()).toHaveLength(2), 30_000);
		const item = observed()[1];
		expect(item.payload).toEqual(anonymousOrder);
		expect(item.orderKind).toBe('purchase');
		// Nothing identifies the buyer: no hashed key and no IP, agent or click id.
		expect(item.meta.user_data).toEqual({});
		expect(item.meta.custom_data).toEqual({
			value: 12.5,
			currency: 'EUR',
			contents: [{ id: '44556677003', quantity: 1, item_price: 12.5 }],
			content_ids: ['44556677003'],
			content_type: 'product',
			num_items: 1,
			order_id: '5861234567999',
		});
		expect(item.meta.event_id).toBe('5861234567999');
		// Only the order's own facts: 08:00 UTC on the 15th.
		expect(item.hubspot).toEqual({
			properties: { shopify_last_order_id: '5861234567999', shopify_last_order_date: '2026-03-15' },
		});
		await eventually(async () => expect((await runs()).map((e) => e.status)).toEqual(['success', 'success']), 30_000);
	});

	it('deletes the subscription at the shop when the workflow is deactivated', async () => {
		const id = shopify.subscriptions[0].id;
		await rest.deactivate(WORKFLOW_ID);
		await eventually(async () => expect(shopify.subscriptions).toEqual([]), 30_000);
		const deletes = shopify.received.filter((r) =>
			String((r.body as { query?: string } | undefined)?.query).includes('webhookSubscriptionDelete'),
		);
		expect(deletes.map((r) => (r.body as { variables: object }).variables)).toEqual([{ id }]);
		// And n8n no longer serves the node's URL.
		const res = await fetch(`${server.url}/webhook/${WEBHOOK_ID}/webhook`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(res.status).toBe(404);
	});
});
