import { startHubSpotDouble, type HubSpotDouble } from '../../support/hubspotDouble';
import { startRealN8n, type N8nServer, type RealN8n } from '../../support/realN8n';
import { eventually } from '../../support/relayServer';
import { startShopifyDouble, type ShopifyDouble } from '../../support/shopifyDouble';

/**
 * Ordering and duplicates end to end: Shopify delivers webhooks in any order and sometimes many
 * times. A live n8n with the Shopify trigger (orders/updated) feeding HubSpot "Record Purchase"
 * (Keep Later Totals on) must leave the contact with the newest totals when an older delivery
 * comes last, and the same delivery arriving 20 times at once must run the workflow once.
 */
const SECRET = 'shpss_ordering_secret';
const HUBSPOT_TOKEN = 'pat-na1-ordering';
const WEBHOOK = 'shopify-ordering-e2e';

function order(
	id: number,
	customer: { orders_count: number; total_spent: string },
	processedAt: string,
	total: string,
) {
	return {
		id,
		admin_graphql_api_id: `gid://shopify/Order/${id}`,
		name: `#${id - 5000}`,
		email: 'Ordering.Buyer@Example.com',
		created_at: processedAt,
		updated_at: processedAt,
		processed_at: processedAt,
		currency: 'EUR',
		total_price: total,
		financial_status: 'paid',
		test: false,
		line_items: [{ id: id * 10, product_id: 77, title: 'Linen shirt', quantity: 1, price: total }],
		customer: { id: 9001, email: 'Ordering.Buyer@Example.com', first_name: 'Ola', last_name: 'Order', ...customer },
	};
}

const workflow = {
	id: 'e2eOrdering0001',
	name: 'Ordering and duplicates',
	active: false,
	settings: {},
	nodes: [
		{
			id: 'o1',
			name: 'Shopify Trigger',
			type: 'n8n-nodes-conversion-relay.shopifyRelayTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK,
			credentials: { shopifyRelayApi: { id: 'shop', name: 'Shop' } },
			parameters: { topics: ['orders/updated'], options: {} },
		},
		{
			id: 'o2',
			name: 'HubSpot',
			type: 'n8n-nodes-conversion-relay.hubSpotRelay',
			typeVersion: 1,
			position: [240, 0],
			credentials: { hubSpotRelayApi: { id: 'hub', name: 'HubSpot' } },
			parameters: {
				resource: 'contact',
				operation: 'recordPurchase',
				shopifyRecord: '={{ $json.payload ?? $json }}',
				recordType: 'order',
				writeDetails: true,
				keepLater: true,
			},
		},
	],
	connections: { 'Shopify Trigger': { main: [[{ node: 'HubSpot', type: 'main', index: 0 }]] } },
};

describe('ordering and duplicates in a live n8n: Shopify trigger → HubSpot record purchase', () => {
	let n8n: RealN8n;
	let server: N8nServer;
	let shopify: ShopifyDouble;
	let hubspot: HubSpotDouble;
	const upserts = () => hubspot.received.filter((r) => r.path === '/crm/v3/objects/contacts/batch/upsert');
	const contact = () => hubspot.contactByEmail('ordering.buyer@example.com')?.properties ?? {};

	beforeAll(async () => {
		shopify = await startShopifyDouble({ clientSecret: SECRET, accessToken: 'shpat_ordering' });
		hubspot = await startHubSpotDouble({ token: HUBSPOT_TOKEN });
		n8n = await startRealN8n();
		await n8n.importCredentials([
			{
				id: 'shop',
				name: 'Shop',
				type: 'shopifyRelayApi',
				data: {
					shopDomain: shopify.shop,
					apiVersion: '2025-10',
					authMethod: 'accessToken',
					accessToken: 'shpat_ordering',
					clientSecret: SECRET,
					baseUrl: shopify.url,
				},
			},
			{
				id: 'hub',
				name: 'HubSpot',
				type: 'hubSpotRelayApi',
				data: { accessToken: HUBSPOT_TOKEN, baseUrl: hubspot.url },
			},
		]);
		await n8n.importWorkflow(workflow);
		await n8n.publish(workflow.id);
		server = await n8n.serve();
		await server.webhookLive(`${WEBHOOK}/webhook`);
		await eventually(async () => expect(shopify.subscriptions).toHaveLength(1), 30_000);
	}, 45 * 60_000);
	afterAll(async () => {
		await server?.stop();
		await n8n?.close();
		await shopify?.close();
		await hubspot?.close();
	});

	it('keeps the newer totals when an older delivery arrives after a newer one', async () => {
		const newer = order(5003, { orders_count: 3, total_spent: '300.00' }, '2026-11-20T12:00:00Z', '120.00');
		const older = order(5002, { orders_count: 2, total_spent: '180.00' }, '2026-11-18T12:00:00Z', '80.00');
		expect((await shopify.deliver('orders/updated', newer))[0].status).toBe(200);
		await eventually(async () => expect(contact().shopify_order_count).toBe('3'), 30_000);
		expect((await shopify.deliver('orders/updated', older))[0].status).toBe(200);
		// The older delivery still runs and writes (its buyer details), without its counters.
		await eventually(async () => expect(upserts()).toHaveLength(2), 30_000);
		const late = (upserts()[1].body as { inputs: Array<{ properties: Record<string, string> }> }).inputs[0].properties;
		expect(late).not.toHaveProperty('shopify_order_count');
		expect(late).not.toHaveProperty('shopify_total_spent');
		expect(contact()).toMatchObject({
			shopify_order_count: '3',
			shopify_total_spent: '300.00',
			shopify_last_order_id: '5003',
			shopify_last_order_date: '2026-11-20',
		});
	});

	it('runs once for the same delivery sent 20 times at once', async () => {
		const next = order(5004, { orders_count: 4, total_spent: '350.00' }, '2026-11-21T09:00:00Z', '50.00');
		const before = upserts().length;
		const answers = await Promise.all(
			Array.from({ length: 20 }, () => shopify.deliver('orders/updated', next, { webhookId: 'wh-burst-5004' })),
		);
		// Shopify needs a 200 for every copy, or it retries them.
		expect(answers.flat().map((r) => r.status)).toEqual(Array(20).fill(200));
		await eventually(async () => expect(contact().shopify_order_count).toBe('4'), 30_000);
		await new Promise((r) => setTimeout(r, 3000));
		expect(upserts().length - before).toBe(1);
		expect(contact()).toMatchObject({ shopify_total_spent: '350.00', shopify_last_order_id: '5004' });
	});
});
