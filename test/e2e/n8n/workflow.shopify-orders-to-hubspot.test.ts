import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHubSpotDouble, type HubSpotDouble } from '../../support/hubspotDouble';
import { ownerSession, type OwnerSession } from '../../support/n8nRest';
import { startRealN8n, type N8nServer, type RealN8n } from '../../support/realN8n';
import { eventually } from '../../support/relayServer';
import { startShopifyDouble, type ShopifyDouble } from '../../support/shopifyDouble';
import { forImport } from '../../support/workflowFiles';

const CLIENT_SECRET = 'shpss_hubspot_e2e_secret_77d1';
const ADMIN_TOKEN = 'shpat_hubspot_e2e_0001';
const HUBSPOT_TOKEN = 'hubspot-e2e-private-app-token';
const WORKFLOW_ID = 'wfShopHubSpot01';
const TAG = 'hubspot-sync';

// Shopify's documented orders/paid sample (API 2025-10: the embedded customer carries no order
// count or total spent); each order below is that sample with its own buyer and lines.
const SAMPLE = JSON.parse(readFileSync(join(__dirname, '../../fixtures/shopify/order-450789469.json'), 'utf8'));

interface Person {
	id: number | null;
	email: string;
	first: string;
	last: string;
	phone: string | null;
	/** What Shopify's customer record says now (the lookup), or null without a customer. */
	orders: number;
	spent: string;
}

interface Line {
	product: number;
	variant: number;
	title: string;
	quantity: number;
	price: string;
	tags: string[];
}

const ana: Person = {
	id: 7400000000101,
	email: 'Ana.Lima@Example.com',
	first: 'Ana',
	last: 'Lima',
	phone: '+13125550147',
	orders: 3,
	spent: '389.7',
};
const ben: Person = {
	id: 7400000000102,
	email: 'ben.okafor@example.com',
	first: 'Ben',
	last: 'Okafor',
	phone: '+14155550102',
	orders: 1,
	spent: '20.0',
};
const cara: Person = {
	id: 7400000000103,
	email: 'cara.nguyen@example.com',
	first: 'Cara',
	last: 'Nguyen',
	phone: '+15125550103',
	orders: 2,
	spent: '130.0',
};
const dan: Person = {
	id: 7400000000104,
	email: 'dan.park@example.com',
	first: 'Dan',
	last: 'Park',
	phone: null,
	orders: 1,
	spent: '64.0',
};
const eve: Person = {
	id: null,
	email: 'eve.martin@example.fr',
	first: 'Ève',
	last: 'Martin',
	phone: '+33 1 42 68 53 00',
	orders: 0,
	spent: '0.0',
};

const scarf: Line = {
	product: 9200000001,
	variant: 46200000001,
	title: 'Wool scarf',
	quantity: 2,
	price: '49.95',
	tags: ['winter', 'HubSpot-Sync'],
};
const hat: Line = {
	product: 9200000002,
	variant: 46200000002,
	title: 'Knit hat',
	quantity: 1,
	price: '39.95',
	tags: ['winter'],
};
const pin: Line = {
	product: 9200000003,
	variant: 46200000003,
	title: 'Enamel pin',
	quantity: 1,
	price: '20.00',
	tags: [TAG],
};
const mug: Line = {
	product: 9200000004,
	variant: 46200000004,
	title: 'Mug',
	quantity: 2,
	price: '40.00',
	tags: ['kitchen'],
};
const tote: Line = {
	product: 9200000005,
	variant: 46200000005,
	title: 'Tote bag',
	quantity: 1,
	price: '64.00',
	tags: [TAG],
};

const iso = (minutesAgo: number) => {
	const ms = Math.floor((Date.now() - minutesAgo * 60_000) / 1000) * 1000;
	// Shopify writes the shop's offset; here UTC-05:00.
	return { text: new Date(ms - 5 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '-05:00'), ms };
};

interface Built {
	webhook: Record<string, unknown>;
	graphql: Record<string, unknown>;
	processedMs: number;
}

/** The orders/paid body Shopify delivers, and the same order as the Admin GraphQL API returns it. */
function buildOrder(
	id: number,
	number: number,
	p: Person,
	lines: Line[],
	total: string,
	minutesAgo: number,
	extra: Record<string, unknown> = {},
): Built {
	const created = iso(minutesAgo);
	const processed = iso(minutesAgo - 0.05);
	const address = {
		...SAMPLE.billing_address,
		first_name: p.first,
		last_name: p.last,
		name: `${p.first} ${p.last}`,
		address1: '1 Main St',
		address2: '',
		city: 'Austin',
		province: 'Texas',
		province_code: 'TX',
		zip: '78701-1234',
		country: 'United States',
		country_code: 'US',
		phone: null,
		latitude: null,
		longitude: null,
	};
	const customer =
		p.id === null
			? null
			: {
					...SAMPLE.customer,
					id: p.id,
					admin_graphql_api_id: `gid://shopify/Customer/${p.id}`,
					email: p.email.toLowerCase(),
					first_name: p.first,
					last_name: p.last,
					phone: p.phone,
					default_address: {
						...SAMPLE.customer.default_address,
						id: p.id + 1,
						customer_id: p.id,
						city: 'Austin',
						province_code: 'TX',
						zip: '78701',
					},
				};
	const webhook = {
		...SAMPLE,
		id,
		admin_graphql_api_id: `gid://shopify/Order/${id}`,
		name: `#${number}`,
		order_number: number,
		number: number - 1000,
		email: p.email,
		contact_email: p.email,
		phone: null,
		created_at: created.text,
		processed_at: processed.text,
		updated_at: processed.text,
		currency: 'USD',
		presentment_currency: 'USD',
		total_price: total,
		current_total_price: total,
		subtotal_price: total,
		financial_status: 'paid',
		test: false,
		cancelled_at: null,
		refunds: [],
		line_items: lines.map((l, k) => ({
			...SAMPLE.line_items[0],
			id: id * 10 + k,
			product_id: l.product,
			variant_id: l.variant,
			title: l.title,
			name: l.title,
			sku: null,
			quantity: l.quantity,
			current_quantity: l.quantity,
			price: l.price,
		})),
		billing_address: address,
		shipping_address: address,
		customer,
		...extra,
	};
	const graphql = {
		id: `gid://shopify/Order/${id}`,
		legacyResourceId: String(id),
		name: `#${number}`,
		createdAt: new Date(created.ms).toISOString(),
		processedAt: new Date(processed.ms).toISOString(),
		updatedAt: new Date(processed.ms).toISOString(),
		test: false,
		tags: [],
		totalPriceSet: { shopMoney: { amount: total, currencyCode: 'USD' } },
		customer:
			p.id === null
				? null
				: {
						id: `gid://shopify/Customer/${p.id}`,
						legacyResourceId: String(p.id),
						firstName: p.first,
						lastName: p.last,
						state: 'ENABLED',
						verifiedEmail: true,
						taxExempt: false,
						note: null,
						tags: [],
						createdAt: '2025-03-01T10:00:00Z',
						updatedAt: new Date(processed.ms).toISOString(),
						numberOfOrders: String(p.orders),
						amountSpent: { amount: p.spent, currencyCode: 'USD' },
						lastOrder: {
							id: `gid://shopify/Order/${id}`,
							legacyResourceId: String(id),
							name: `#${number}`,
							processedAt: new Date(processed.ms).toISOString(),
						},
						defaultEmailAddress: { emailAddress: p.email.toLowerCase(), marketingState: 'NOT_SUBSCRIBED' },
						defaultPhoneNumber: p.phone ? { phoneNumber: p.phone, marketingState: 'NOT_SUBSCRIBED' } : null,
						defaultAddress: {
							firstName: p.first,
							lastName: p.last,
							company: null,
							address1: '1 Main St',
							address2: null,
							city: 'Austin',
							province: 'Texas',
							provinceCode: 'TX',
							zip: '78701',
							country: 'United States',
							countryCodeV2: 'US',
							phone: null,
						},
					},
		lineItems: {
			nodes: lines.map((l, k) => ({
				id: `gid://shopify/LineItem/${id * 10 + k}`,
				name: l.title,
				title: l.title,
				sku: null,
				quantity: l.quantity,
				variant: { id: `gid://shopify/ProductVariant/${l.variant}`, legacyResourceId: String(l.variant) },
				product: { id: `gid://shopify/Product/${l.product}`, legacyResourceId: String(l.product), tags: l.tags },
			})),
		},
	};
	return { webhook, graphql, processedMs: processed.ms };
}

// 1: Ana, above the minimum, a product tagged (in another case) hubspot-sync: synced.
const o1 = buildOrder(6200000000201, 2201, ana, [scarf, hat], '154.85', 20);
// 2: Ben, 20.00, below the minimum of 50: nothing, not even a lookup.
const o2 = buildOrder(6200000000202, 2202, ben, [pin], '20.00', 18);
// 3: Cara, 80.00, above the minimum but no product with the tag: looked up, not synced.
const o3 = buildOrder(6200000000203, 2203, cara, [mug], '80.00', 16);
// 4: Dan, no phone anywhere, his first order: synced with the first order date and no phone.
const o4 = buildOrder(6200000000204, 2204, dan, [tote], '64.00', 14);
// 5: Eve, a draft order without a customer record: synced from the order's own e-mail, name and address.
const o5 = buildOrder(6200000000205, 2205, eve, [tote, pin], '84.00', 12, {
	phone: '+33 1 42 68 53 00',
	source_name: 'shopify_draft_order',
	checkout_token: null,
	landing_site: null,
	client_details: null,
	browser_ip: null,
});

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('workflow: Shopify paid orders → HubSpot contact and deal', () => {
	let n8n: RealN8n;
	let server: N8nServer;
	let shopify: ShopifyDouble;
	let hubspot: HubSpotDouble;
	let rest: OwnerSession;
	const runs = async () =>
		(await rest.executions(WORKFLOW_ID)).filter(
			(e) => e.mode === 'webhook' && e.status !== 'running' && e.status !== 'new',
		);
	const lookups = () =>
		shopify.received
			.filter((r) => String((r.body as { query?: string })?.query).includes('order(id:'))
			.map((r) => (r.body as { variables: { id: string } }).variables.id);
	const hubspotWrites = () =>
		hubspot.received.filter((r) => r.method === 'POST' && /batch\/(upsert|associate)/.test(r.path));

	beforeAll(async () => {
		// Shopify refuses a query that asks for more than 1,000 points; so does the double here.
		shopify = await startShopifyDouble({
			clientSecret: CLIENT_SECRET,
			accessToken: ADMIN_TOKEN,
			orders: [o1, o2, o3, o4, o5].map((o) => o.graphql),
			maxQueryCost: 1000,
		});
		// HubSpot as it checks writes: a shopify_* property must exist before it is written.
		hubspot = await startHubSpotDouble({ token: HUBSPOT_TOKEN, strictProperties: true });
		n8n = await startRealN8n();
		await n8n.importCredentials([
			{
				id: 'shop-1',
				name: 'Shopify shop',
				type: 'shopifyRelayApi',
				data: {
					shopDomain: shopify.shop,
					apiVersion: '2025-10',
					authMethod: 'accessToken',
					accessToken: ADMIN_TOKEN,
					clientSecret: CLIENT_SECRET,
					previousClientSecret: '',
					baseUrl: shopify.url,
				},
			},
			{
				id: 'hs-1',
				name: 'HubSpot',
				type: 'hubSpotRelayApi',
				data: { accessToken: HUBSPOT_TOKEN, baseUrl: hubspot.url },
			},
		]);
		// What the sticky note asks a person to change: here the product tag (the minimum stays 50).
		const wf = forImport('shopify-orders-to-hubspot.json', WORKFLOW_ID, {
			shopifyRelayApi: 'shop-1',
			hubSpotRelayApi: 'hs-1',
		});
		const settings = wf.nodes.find((n) => n.name === 'Sync settings');
		const assignments = (settings?.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> })
			.assignments;
		expect(assignments.map((a) => [a.name, a.value])).toEqual([
			['minOrderValue', 50],
			['productTag', ''],
		]);
		assignments[1].value = TAG;
		await n8n.importWorkflow(wf);
		await n8n.publish(WORKFLOW_ID);
	}, 45 * 60_000);
	afterAll(async () => {
		await server?.stop();
		await n8n?.close();
		await hubspot?.close();
		await shopify?.close();
	});

	it('writes nothing until the properties exist: HubSpot refuses shopify_* properties it does not know', async () => {
		// The double as HubSpot: the group and properties are missing.
		const refused = await fetch(`${hubspot.url}/crm/v3/objects/contacts/batch/upsert`, {
			method: 'POST',
			headers: { authorization: `Bearer ${HUBSPOT_TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				inputs: [{ id: 'x@example.com', idProperty: 'email', properties: { shopify_order_count: '1' } }],
			}),
		});
		expect(refused.status).toBe(400);
		expect(hubspot.contacts.size).toBe(0);
	});

	it('"Run once: create the HubSpot properties" creates the group, the contact properties and the unique deal property', async () => {
		const run = await n8n.execute(WORKFLOW_ID);
		expect(run.status).toBe('success');
		expect(Object.keys(run.output).sort()).toEqual([
			'HubSpot: ensure Shopify properties',
			'Run once: create the HubSpot properties',
		]);
		const contactProperties = [
			'shopify_customer_id',
			'shopify_order_count',
			'shopify_total_spent',
			'shopify_last_order_date',
			'shopify_last_order_id',
			'shopify_first_order_date',
		];
		expect(run.output['HubSpot: ensure Shopify properties'].map((i) => i.json)).toEqual([
			{
				created: [
					'contacts/groups/shopify',
					...contactProperties.map((p) => `contacts/${p}`),
					'deals/groups/shopify',
					'deals/shopify_order_id',
				],
				existed: [],
			},
		]);
		expect([...(hubspot.definitions.get('contacts') ?? [])].sort()).toEqual([...contactProperties].sort());
		expect([...(hubspot.definitions.get('deals') ?? [])]).toEqual(['shopify_order_id']);
		const dealProperty = hubspot.received.find(
			(r) => r.path === '/crm/v3/properties/deals' && (r.body as { name?: string }).name === 'shopify_order_id',
		);
		expect((dealProperty?.body as { hasUniqueValue?: boolean }).hasUniqueValue).toBe(true);
	});

	it("syncs each paid order that meets the conditions: contact with Shopify's absolute totals, one deal associated with it", async () => {
		server = await n8n.serve();
		await eventually(async () => expect(shopify.subscriptions.map((s) => s.topic)).toEqual(['ORDERS_PAID']), 60_000);
		rest = await ownerSession(server.url);
		const deliver = async (o: Built, webhookId: string, runsAfter: number) => {
			const [answer] = await shopify.deliver('orders/paid', o.webhook, { webhookId });
			expect(answer.status).toBe(200);
			await eventually(
				async () => expect((await runs()).map((r) => r.status)).toEqual(Array(runsAfter).fill('success')),
				60_000,
			);
		};
		await deliver(o1, 'wh-2201', 1);
		// Shopify's retry of the same delivery: no run.
		const [retry] = await shopify.deliver('orders/paid', o1.webhook, { webhookId: 'wh-2201' });
		expect(await retry.json()).toEqual({ received: true, duplicate: true });
		await deliver(o2, 'wh-2202', 2);
		await deliver(o3, 'wh-2203', 3);
		await deliver(o4, 'wh-2204', 4);
		await deliver(o5, 'wh-2205', 5);
		await new Promise((r) => setTimeout(r, 1000));
		expect(await runs()).toHaveLength(5);

		// Looked up once each, except the order below the minimum.
		expect(lookups()).toEqual([o1, o3, o4, o5].map((o) => o.graphql.id));

		// Contacts: the order's buyer details as Shopify wrote them (e-mail trimmed; HubSpot keeps it
		// lower-cased), and Shopify's own counters from the lookup, never increments.
		const contact = (email: string) => hubspot.contactByEmail(email)?.properties;
		expect(contact('ana.lima@example.com')).toEqual({
			email: 'ana.lima@example.com',
			firstname: 'Ana',
			lastname: 'Lima',
			phone: '+13125550147',
			city: 'Austin',
			state: 'TX',
			zip: '78701-1234',
			country: 'US',
			shopify_customer_id: '7400000000101',
			shopify_order_count: '3',
			shopify_total_spent: '389.7',
			shopify_last_order_id: '6200000000201',
			shopify_last_order_date: utcDay(o1.processedMs),
		});
		expect(contact('dan.park@example.com')).toEqual({
			email: 'dan.park@example.com',
			firstname: 'Dan',
			lastname: 'Park',
			city: 'Austin',
			state: 'TX',
			zip: '78701-1234',
			country: 'US',
			shopify_customer_id: '7400000000104',
			shopify_order_count: '1',
			shopify_total_spent: '64.0',
			shopify_last_order_id: '6200000000204',
			shopify_last_order_date: utcDay(o4.processedMs),
			// Shopify counts exactly one order: this one is the first.
			shopify_first_order_date: utcDay(o4.processedMs),
		});
		expect(contact('eve.martin@example.fr')).toEqual({
			email: 'eve.martin@example.fr',
			firstname: 'Ève',
			lastname: 'Martin',
			phone: '+33 1 42 68 53 00',
			city: 'Austin',
			state: 'TX',
			zip: '78701-1234',
			country: 'US',
			// No customer record: no customer id and no counters, only this order.
			shopify_last_order_id: '6200000000205',
			shopify_last_order_date: utcDay(o5.processedMs),
		});
		expect(contact('ben.okafor@example.com')).toBeUndefined();
		expect(contact('cara.nguyen@example.com')).toBeUndefined();
		expect(hubspot.contacts.size).toBe(3);

		// One deal per synced order, by shopify_order_id, associated with its contact.
		const deal = (o: Built, amount: string) => ({
			dealname: `Shopify order #${o.webhook.order_number}`,
			amount,
			closedate: new Date(o.processedMs).toISOString(),
			pipeline: 'default',
			dealstage: 'closedwon',
			shopify_order_id: String(o.webhook.id),
		});
		const deals = [...hubspot.deals.values()];
		expect(deals.map((d) => d.properties).sort((a, b) => a.shopify_order_id.localeCompare(b.shopify_order_id))).toEqual(
			[deal(o1, '154.85'), deal(o4, '64.00'), deal(o5, '84.00')],
		);
		const dealOf = (o: Built) => deals.find((d) => d.properties.shopify_order_id === String(o.webhook.id))?.id;
		const contactId = (email: string) => hubspot.contactByEmail(email)?.id;
		expect([...hubspot.associations].sort((a, b) => a.dealId.localeCompare(b.dealId))).toEqual(
			[
				{ dealId: dealOf(o1), contactId: contactId('ana.lima@example.com') },
				{ dealId: dealOf(o4), contactId: contactId('dan.park@example.com') },
				{ dealId: dealOf(o5), contactId: contactId('eve.martin@example.fr') },
			].sort((a, b) => String(a.dealId).localeCompare(String(b.dealId))),
		);
	});

	it('a re-sent order (new webhook id) writes the same absolute values and updates the same deal', async () => {
		const writesBefore = hubspotWrites().length;
		const [answer] = await shopify.deliver('orders/paid', o1.webhook, { webhookId: 'wh-2201-resent' });
		expect(answer.status).toBe(200);
		await eventually(async () => expect((await runs()).map((r) => r.status)).toEqual(Array(6).fill('success')), 60_000);
		expect(hubspotWrites().length).toBeGreaterThan(writesBefore);
		expect(hubspot.contactByEmail('ana.lima@example.com')?.properties).toMatchObject({
			shopify_order_count: '3',
			shopify_total_spent: '389.7',
		});
		expect(hubspot.deals.size).toBe(3);
		expect(hubspot.contacts.size).toBe(3);
		expect(hubspot.associations).toHaveLength(3);
	});
});
