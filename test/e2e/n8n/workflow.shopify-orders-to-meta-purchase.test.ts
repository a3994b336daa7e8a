import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMetaDouble } from '../../support/metaDouble';
import { ownerSession, type OwnerSession } from '../../support/n8nRest';
import { startRealN8n, type N8nServer, type RealN8n } from '../../support/realN8n';
import { eventually, startRelay, type TestRelay } from '../../support/relayServer';
import { startShopifyDouble, type ShopifyDouble } from '../../support/shopifyDouble';
import { forImport } from '../../support/workflowFiles';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const CLIENT_ID = 'purchase-e2e-client';
const CLIENT_SECRET = 'shpss_purchase_e2e_secret_41c7';
const WORKFLOW_ID = 'wfShopPurchase1';
const PIXEL = '123456789012345';

const UA_IPHONE =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/489.0]';
const UA_DESKTOP =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FBCLID = 'IwZXh0bgNhZW0BMABhZGlk_Aa4Q-x9';
const FBP_A = 'fb.1.1795000000000.1122334455';
const FBC_C = 'fb.1.1795111111111.PAZXh0bgNhZW0CMTEAAabCd-Ef_9';
const FBP_C = 'fb.1.1795111000000.987654321';

/** A time Shopify writes (seconds, with the shop's offset, here -05:00), `minutesAgo` before now. */
function shopifyTime(minutesAgo: number): { text: string; ms: number } {
	const ms = Math.floor((Date.now() - minutesAgo * 60_000) / 1000) * 1000;
	return { text: new Date(ms - 5 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '-05:00'), ms };
}

// Shopify's documented orders/paid sample for API 2025-10 (its embedded customer has no order
// count or total spent any more); each order below is that sample with its own buyer and lines.
const SAMPLE = JSON.parse(readFileSync(join(__dirname, '../../fixtures/shopify/order-450789469.json'), 'utf8'));

interface Line {
	variant: number;
	product: number;
	sku: string;
	title: string;
	quantity: number;
	price: string;
}

function order(
	id: number,
	{
		minutesAgo,
		lines,
		total,
		currency,
		...rest
	}: { minutesAgo: number; lines: Line[]; total: string; currency: string; [key: string]: unknown },
) {
	const created = shopifyTime(minutesAgo);
	const processed = shopifyTime(minutesAgo - 0.05);
	const subtotal = lines.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0).toFixed(2);
	return {
		...SAMPLE,
		id,
		admin_graphql_api_id: `gid://shopify/Order/${id}`,
		name: `#${id % 10_000}`,
		order_number: id % 10_000,
		number: (id % 10_000) - 1000,
		created_at: created.text,
		processed_at: processed.text,
		updated_at: processed.text,
		currency,
		presentment_currency: currency,
		total_price: total,
		current_total_price: total,
		subtotal_price: subtotal,
		current_subtotal_price: subtotal,
		financial_status: 'paid',
		test: false,
		cancelled_at: null,
		cancel_reason: null,
		refunds: [],
		tags: '',
		line_items: lines.map((l, i) => ({
			...SAMPLE.line_items[0],
			id: id * 10 + i,
			variant_id: l.variant,
			product_id: l.product,
			sku: l.sku,
			title: l.title,
			name: l.title,
			quantity: l.quantity,
			current_quantity: l.quantity,
			price: l.price,
		})),
		...rest,
		_created: created.ms,
		_processed: processed.ms,
	};
}

const address = (a: object) => ({
	...SAMPLE.billing_address,
	company: null,
	address2: '',
	latitude: null,
	longitude: null,
	...a,
});

// A: an online order with a customer, an fbclid in the landing page and the _fbp cart attribute.
const orderA = order(6100000000101, {
	minutesAgo: 12,
	total: '154.85',
	currency: 'USD',
	lines: [
		{ variant: 45100000001, product: 9100000001, sku: 'SCARF-GRY', title: 'Wool scarf', quantity: 2, price: '49.95' },
		{ variant: 45100000002, product: 9100000002, sku: 'HAT-NVY', title: 'Knit hat', quantity: 1, price: '39.95' },
	],
	checkout_token: 'f3a9c2e17b6d4e0a9c8b7a6f5e4d3c2b',
	cart_token: 'Z2NwLXVzLWVhc3QxOjAxSkE',
	email: ' Ana.Lima@Example.COM ',
	contact_email: ' Ana.Lima@Example.COM ',
	phone: null,
	browser_ip: '198.51.100.23',
	client_details: {
		accept_language: 'en-US',
		browser_height: 844,
		browser_ip: '198.51.100.23',
		browser_width: 390,
		session_hash: null,
		user_agent: UA_IPHONE,
	},
	landing_site: `/products/wool-scarf?utm_source=facebook&utm_medium=paid&fbclid=${FBCLID}`,
	landing_site_ref: null,
	referring_site: 'https://l.facebook.com/',
	source_name: 'web',
	note_attributes: [
		{ name: '_fbp', value: FBP_A },
		{ name: 'gift note', value: 'Happy birthday!' },
	],
	billing_address: address({
		first_name: 'ANA',
		last_name: 'Lima',
		name: 'ANA Lima',
		address1: '210 N Oak Park Ave',
		city: 'Oak Park',
		province: 'Illinois',
		province_code: 'IL',
		zip: '60302-1234',
		country: 'United States',
		country_code: 'US',
		phone: '(312) 555-0147',
	}),
	shipping_address: address({
		first_name: 'Ana',
		last_name: 'Lima',
		name: 'Ana Lima',
		address1: '210 N Oak Park Ave',
		city: 'Oak Park',
		province: 'Illinois',
		province_code: 'IL',
		zip: '60302',
		country: 'United States',
		country_code: 'US',
		phone: null,
	}),
	customer: {
		...SAMPLE.customer,
		id: 7300000000101,
		admin_graphql_api_id: 'gid://shopify/Customer/7300000000101',
		email: 'ana.lima@example.com',
		first_name: 'Ana',
		last_name: 'Lima',
		phone: '+13125550147',
		default_address: {
			...SAMPLE.customer.default_address,
			id: 8300000000101,
			customer_id: 7300000000101,
			city: 'Oak Park',
			province: 'Illinois',
			province_code: 'IL',
			zip: '60302',
		},
	},
});

// B: a draft order paid by invoice, without a customer record: no checkout, no browser, no
// landing page. Its buyer is known only from the order's e-mail, phone and billing address.
const orderB = order(6100000000102, {
	minutesAgo: 9,
	total: '89.00',
	currency: 'EUR',
	lines: [
		{ variant: 45100000003, product: 9100000003, sku: 'BAG-OLV', title: 'Canvas bag', quantity: 1, price: '89.00' },
	],
	checkout_token: null,
	cart_token: null,
	token: 'b7d1e0c2a9f84e3c',
	email: 'wei.li@example.net',
	contact_email: 'wei.li@example.net',
	phone: '+49 30 901820',
	browser_ip: null,
	client_details: null,
	landing_site: null,
	landing_site_ref: null,
	referring_site: null,
	source_name: 'shopify_draft_order',
	note_attributes: [],
	billing_address: address({
		first_name: 'Wei',
		last_name: 'Li',
		name: 'Wei Li',
		address1: 'Unter den Linden 5',
		city: 'Berlin',
		province: 'Berlin',
		province_code: 'BE',
		zip: '10117',
		country: 'Germany',
		country_code: 'DE',
		phone: null,
	}),
	shipping_address: null,
	customer: null,
});

// C: a customer with no phone anywhere; the theme copied both cookies into cart attributes, so
// _fbc wins over the fbclid of the landing page.
const orderC = order(6100000000103, {
	minutesAgo: 6,
	total: '42.50',
	currency: 'CAD',
	lines: [{ variant: 45100000004, product: 9100000004, sku: 'MUG-WHT', title: 'Mug', quantity: 1, price: '42.50' }],
	checkout_token: '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f',
	email: 'carlos.diaz@example.org',
	contact_email: 'carlos.diaz@example.org',
	phone: null,
	browser_ip: '203.0.113.88',
	client_details: {
		accept_language: 'es-MX',
		browser_height: 900,
		browser_ip: '203.0.113.88',
		browser_width: 1440,
		session_hash: null,
		user_agent: UA_DESKTOP,
	},
	landing_site: '/?fbclid=OtherClickId_2',
	source_name: 'web',
	note_attributes: [
		{ name: '_fbc', value: FBC_C },
		{ name: '_fbp', value: FBP_C },
	],
	billing_address: address({
		first_name: 'Carlos',
		last_name: 'Diaz',
		name: 'Carlos Diaz',
		address1: '500 Congress Ave',
		city: 'Austin',
		province: 'Texas',
		province_code: 'TX',
		zip: '78701',
		country: 'United States',
		country_code: 'US',
		phone: null,
	}),
	shipping_address: null,
	customer: {
		...SAMPLE.customer,
		id: 7300000000103,
		admin_graphql_api_id: 'gid://shopify/Customer/7300000000103',
		email: 'carlos.diaz@example.org',
		first_name: 'Carlos',
		last_name: 'Diaz',
		phone: null,
		default_address: null,
	},
});

// D: a point-of-sale sale without a customer: nothing to match a person on, so no event.
const orderD = order(6100000000104, {
	minutesAgo: 5,
	total: '12.00',
	currency: 'USD',
	lines: [
		{ variant: 45100000005, product: 9100000005, sku: 'PIN-01', title: 'Enamel pin', quantity: 1, price: '12.00' },
	],
	checkout_token: null,
	email: '',
	contact_email: null,
	phone: null,
	browser_ip: null,
	client_details: null,
	landing_site: null,
	referring_site: null,
	source_name: 'pos',
	note_attributes: [],
	billing_address: null,
	shipping_address: null,
	customer: null,
});

// E: a test order (Bogus Gateway): Shopify marks it test, the workflow leaves it out.
const orderE = {
	...order(6100000000105, {
		minutesAgo: 4,
		total: '1.00',
		currency: 'USD',
		lines: [
			{ variant: 45100000006, product: 9100000006, sku: 'TEST', title: 'Test product', quantity: 1, price: '1.00' },
		],
		checkout_token: 'aaaabbbbccccddddeeeeffff00001111',
		email: 'ana.lima@example.com',
	}),
	test: true,
};

const webhookBody = (o: Record<string, unknown>) =>
	Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('_')));
const seconds = (ms: number) => Math.floor(ms / 1000);

describe('workflow: Shopify paid orders → Meta Purchase', () => {
	let n8n: RealN8n;
	let server: N8nServer;
	let shopify: ShopifyDouble;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let relay: TestRelay;
	let rest: OwnerSession;
	const events = () => meta.received.flatMap((r) => r.body.data) as Array<Record<string, unknown>>;
	const runs = async () =>
		(await rest.executions(WORKFLOW_ID)).filter(
			(e) => e.mode === 'webhook' && e.status !== 'running' && e.status !== 'new',
		);

	beforeAll(async () => {
		shopify = await startShopifyDouble({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, maxQueryCost: 1000 });
		meta = await startMetaDouble();
		relay = await startRelay('pglite', { META_ACCESS_TOKEN: 'EAAB-purchase-relay-token', META_GRAPH_URL: meta.url });
		n8n = await startRealN8n();
		await n8n.importCredentials([
			{
				id: 'shop-cc',
				name: 'Shopify shop',
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
			{
				id: 'relay-local',
				name: 'Conversion Relay',
				type: 'conversionRelayApi',
				data: { baseUrl: relay.url, apiSecret: relay.apiSecret },
			},
		]);
		// Imported as shipped: the pixel id placeholder stays (the Meta double takes any pixel).
		await n8n.importWorkflow(
			forImport('shopify-orders-to-meta-purchase.json', WORKFLOW_ID, {
				shopifyRelayApi: 'shop-cc',
				conversionRelayApi: 'relay-local',
			}),
		);
		await n8n.publish(WORKFLOW_ID);
		server = await n8n.serve();
		await eventually(async () => expect(shopify.subscriptions.map((s) => s.topic)).toEqual(['ORDERS_PAID']), 60_000);
		rest = await ownerSession(server.url);
	}, 45 * 60_000);
	afterAll(async () => {
		await server?.stop();
		await n8n?.close();
		await relay?.close();
		await meta?.close();
		await shopify?.close();
	});

	async function deliver(o: Record<string, unknown>, webhookId: string, runsAfter: number) {
		const [answer] = await shopify.deliver('orders/paid', webhookBody(o), { webhookId });
		expect(answer.status).toBe(200);
		await eventually(
			async () => expect((await runs()).map((r) => r.status)).toEqual(Array(runsAfter).fill('success')),
			60_000,
		);
	}

	it('sends one Purchase per paid order with a buyer, through the relay, with exact hashes, click ids and contents', async () => {
		await deliver(orderA, 'wh-order-a', 1);
		await deliver(orderB, 'wh-order-b', 2);
		await deliver(orderC, 'wh-order-c', 3);
		await deliver(orderD, 'wh-order-d', 4);
		await deliver(orderE, 'wh-order-e', 5);

		const received = await eventually(async () => {
			expect(events()).toHaveLength(3);
			return events();
		}, 30_000);
		for (const r of meta.received) expect(r.path).toMatch(new RegExp(`^/v\\d+\\.\\d+/${PIXEL}/events$`));

		// Identifiers normalized as Meta specifies, then SHA-256: e-mail trimmed and lower-cased;
		// phone as digits with the country code; names and city lower-case letters only; US state
		// the 2-letter code; US ZIP its first 5 digits; country ISO alpha-2; external id the Shopify
		// customer id. IP, user agent, fbc and fbp travel as they are.
		const expected = [
			{
				event_name: 'Purchase',
				event_time: seconds(orderA._processed),
				// The checkout token: what the storefront's web pixel sees as checkout.token.
				event_id: 'f3a9c2e17b6d4e0a9c8b7a6f5e4d3c2b',
				action_source: 'website',
				event_source_url: `https://${shopify.shop}/products/wool-scarf?utm_source=facebook&utm_medium=paid&fbclid=${FBCLID}`,
				user_data: {
					em: [sha('ana.lima@example.com')],
					ph: [sha('13125550147')],
					fn: [sha('ana')],
					ln: [sha('lima')],
					ct: [sha('oakpark')],
					st: [sha('il')],
					zp: [sha('60302')],
					country: [sha('us')],
					external_id: [sha('7300000000101')],
					client_ip_address: '198.51.100.23',
					client_user_agent: UA_IPHONE,
					// No _fbc attribute: rebuilt from the landing page's fbclid, stamped with the order's creation in ms.
					fbc: `fb.1.${orderA._created}.${FBCLID}`,
					fbp: FBP_A,
				},
				custom_data: {
					value: 154.85,
					currency: 'USD',
					contents: [
						{ id: '45100000001', quantity: 2, item_price: 49.95 },
						{ id: '45100000002', quantity: 1, item_price: 39.95 },
					],
					content_ids: ['45100000001', '45100000002'],
					content_type: 'product',
					num_items: 3,
					order_id: '6100000000101',
				},
			},
			{
				event_name: 'Purchase',
				event_time: seconds(orderB._processed),
				// No checkout, so no token: the order's own id keeps a redelivery from counting twice.
				event_id: 'order_6100000000102',
				// No landing page or browser: Meta would refuse "website" without them.
				action_source: 'system_generated',
				user_data: {
					em: [sha('wei.li@example.net')],
					ph: [sha('4930901820')],
					fn: [sha('wei')],
					ln: [sha('li')],
					ct: [sha('berlin')],
					st: [sha('be')],
					zp: [sha('10117')],
					country: [sha('de')],
				},
				custom_data: {
					value: 89,
					currency: 'EUR',
					contents: [{ id: '45100000003', quantity: 1, item_price: 89 }],
					content_ids: ['45100000003'],
					content_type: 'product',
					num_items: 1,
					order_id: '6100000000102',
				},
			},
			{
				event_name: 'Purchase',
				event_time: seconds(orderC._processed),
				event_id: '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f',
				action_source: 'website',
				event_source_url: `https://${shopify.shop}/?fbclid=OtherClickId_2`,
				user_data: {
					em: [sha('carlos.diaz@example.org')],
					fn: [sha('carlos')],
					ln: [sha('diaz')],
					ct: [sha('austin')],
					st: [sha('tx')],
					zp: [sha('78701')],
					country: [sha('us')],
					external_id: [sha('7300000000103')],
					client_ip_address: '203.0.113.88',
					client_user_agent: UA_DESKTOP,
					// The cookie the pixel saw wins over an fbclid in the landing page.
					fbc: FBC_C,
					fbp: FBP_C,
				},
				custom_data: {
					value: 42.5,
					currency: 'CAD',
					contents: [{ id: '45100000004', quantity: 1, item_price: 42.5 }],
					content_ids: ['45100000004'],
					content_type: 'product',
					num_items: 1,
					order_id: '6100000000103',
				},
			},
		];
		expect([...received].sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)))).toEqual(
			[...expected].sort((a, b) => a.event_id.localeCompare(b.event_id)),
		);
		// The buyer without a phone has no ph at all (never the hash of an empty string).
		expect(received.find((e) => e.event_id === expected[2].event_id)?.user_data).not.toHaveProperty('ph');
		// The POS sale and the test order ran the workflow and sent nothing.
		expect(received.map((e) => (e.custom_data as { order_id: string }).order_id)).not.toContain('6100000000104');
		expect(received.map((e) => (e.custom_data as { order_id: string }).order_id)).not.toContain('6100000000105');
	});

	it('counts a Shopify retry (same webhook id) and a re-sent order (new webhook id) once', async () => {
		const before = meta.received.length;
		// Shopify's retry of A: the trigger answers 200 and starts no run.
		const [retry] = await shopify.deliver('orders/paid', webhookBody(orderA), { webhookId: 'wh-order-a' });
		expect(retry.status).toBe(200);
		expect(await retry.json()).toEqual({ received: true, duplicate: true });
		// The same order in a new delivery: it runs, and the relay recognises the event id.
		await deliver(orderA, 'wh-order-a-resent', 6);
		await new Promise((r) => setTimeout(r, 2000));
		expect(meta.received).toHaveLength(before);
		expect(events()).toHaveLength(3);
		expect(await runs()).toHaveLength(6);
		// The relay stored three events, one per order.
		const listed = (await (
			await fetch(`${relay.url}/v1/events?limit=100`, { headers: { authorization: `Bearer ${relay.apiSecret}` } })
		).json()) as { data: unknown[] };
		expect(listed.data).toHaveLength(3);
	});
});
