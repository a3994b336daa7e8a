import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAudiencesDouble, type AudiencesDouble } from '../../support/audiencesDouble';
import { startRealN8n, type N8nServer, type RealN8n } from '../../support/realN8n';
import { eventually } from '../../support/relayServer';
import { startShopifyDouble, type ShopifyDouble } from '../../support/shopifyDouble';
import { forImport } from '../../support/workflowFiles';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const CLIENT_SECRET = 'shpss_segment_e2e_secret';
const ADMIN_TOKEN = 'shpat_segment_e2e_0001';
const DAY = 86_400_000;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace(/\.\d{3}Z$/, '-00:00');

interface Person {
	id: number;
	email: string;
	first: string;
	last: string;
	phone: string | null;
	createdMsAgo: number;
	orders: number;
	consent: 'SUBSCRIBED' | 'NOT_SUBSCRIBED';
}

// A customers/create or customers/update body as API 2025-10 sends it (Shopify's documented
// sample 706405506930370084): no order count, no marketing consent, no tags since 2025-01.
const customerPayload = (p: Person) => ({
	id: p.id,
	created_at: iso(p.createdMsAgo),
	updated_at: iso(0),
	first_name: p.first,
	last_name: p.last,
	state: 'disabled',
	note: null,
	verified_email: true,
	multipass_identifier: null,
	tax_exempt: false,
	email: p.email,
	phone: p.phone,
	currency: 'USD',
	addresses: [],
	tax_exemptions: [],
	admin_graphql_api_id: `gid://shopify/Customer/${p.id}`,
	default_address: {
		id: p.id + 1,
		customer_id: p.id,
		first_name: p.first,
		last_name: p.last,
		company: null,
		address1: '1 Main St',
		address2: null,
		city: 'Austin',
		province: 'Texas',
		country: 'United States',
		zip: '78701',
		phone: null,
		name: `${p.first} ${p.last}`,
		province_code: 'TX',
		country_code: 'US',
		country_name: 'United States',
		default: true,
	},
});

// The same customer as the Admin GraphQL API returns it (what the workflow looks up).
const graphqlCustomer = (p: Person) => ({
	id: `gid://shopify/Customer/${p.id}`,
	createdAt: new Date(Date.now() - p.createdMsAgo).toISOString(),
	numberOfOrders: String(p.orders),
	firstName: p.first,
	lastName: p.last,
	defaultEmailAddress: { emailAddress: p.email, marketingState: p.consent },
	defaultPhoneNumber: p.phone ? { phoneNumber: p.phone } : null,
	defaultAddress: { countryCodeV2: 'US' },
});

// An orders/paid body: Shopify's documented sample order, bought by this customer.
function paidOrder(p: Person, orderId: number) {
	const sample = JSON.parse(readFileSync(join(__dirname, '../../fixtures/shopify/order-450789469.json'), 'utf8'));
	return {
		...sample,
		id: orderId,
		admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
		email: p.email,
		contact_email: p.email,
		phone: p.phone,
		financial_status: 'paid',
		customer: {
			...sample.customer,
			...customerPayload(p),
			email_marketing_consent: { state: p.consent.toLowerCase(), opt_in_level: null, consent_updated_at: null },
		},
	};
}

// workflows/shopify-customers-to-segment-audiences.json, imported as shipped, live in a real n8n.
describe('workflow: Shopify customers → segment audiences', () => {
	let n8n: RealN8n;
	let server: N8nServer;
	let shopify: ShopifyDouble;
	let audiences: AudiencesDouble;
	const shop: object[] = [];
	const ids = { new: '', engaged: '', existing: '' };
	const carla: Person = {
		id: 7011000000001,
		email: 'Carla.New@Example.com',
		first: 'Carla',
		last: 'Nguyen',
		phone: '+1 512 555 0101',
		createdMsAgo: 2 * 60_000,
		orders: 0,
		consent: 'NOT_SUBSCRIBED',
	};
	const dan: Person = {
		id: 7011000000002,
		email: 'dan.engaged@example.com',
		first: 'Dan',
		last: 'Okafor',
		phone: null,
		createdMsAgo: 400 * DAY,
		orders: 0,
		consent: 'SUBSCRIBED',
	};
	const erin: Person = {
		id: 7011000000003,
		email: 'erin.lapsed@example.com',
		first: 'Erin',
		last: 'Park',
		phone: null,
		createdMsAgo: 800 * DAY,
		orders: 0,
		consent: 'NOT_SUBSCRIBED',
	};
	const upsert = (p: Person) => {
		const i = shop.findIndex((c) => (c as { id: string }).id === `gid://shopify/Customer/${p.id}`);
		if (i >= 0) shop[i] = graphqlCustomer(p);
		else shop.push(graphqlCustomer(p));
	};

	beforeAll(async () => {
		shopify = await startShopifyDouble({ clientSecret: CLIENT_SECRET, accessToken: ADMIN_TOKEN, customers: shop });
		audiences = await startAudiencesDouble({ token: 'EAAB-audiences-token', account: '1234567890' });
		ids.new = audiences.seed('Shopify: new customers');
		ids.engaged = audiences.seed('Shopify: engaged, no order');
		ids.existing = audiences.seed('Shopify: existing customers');
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
				id: 'meta-ads',
				name: 'Meta ads',
				type: 'metaConversionRelayApi',
				data: { accessToken: 'EAAB-audiences-token', appSecret: '', apiVersion: 'v25.0', baseUrl: audiences.url },
			},
			// For the daily re-sort branch's sync jobs, which this test does not run (its schedule does
			// not fire here, and no relay service listens at that address).
			{
				id: 'relay-1',
				name: 'Conversion Relay',
				type: 'conversionRelayApi',
				data: { baseUrl: 'http://127.0.0.1:9', apiSecret: 'segments-e2e-relay-secret' },
			},
		]);
		// What the sticky note asks a person to change: the three audience ids (and here the shop's
		// address, which is the local double instead of https://<shop domain>).
		const wf = forImport('shopify-customers-to-segment-audiences.json', 'wfShopSegments1', {
			shopifyRelayApi: 'shop-1',
			metaConversionRelayApi: 'meta-ads',
			conversionRelayApi: 'relay-1',
		});
		const settings = wf.nodes.find((n) => n.name === 'Segment settings');
		if (!settings) throw new Error('no Segment settings node');
		const values: Record<string, string> = {
			newAudienceId: ids.new,
			engagedAudienceId: ids.engaged,
			existingAudienceId: ids.existing,
			shopifyAdminUrl: shopify.url,
		};
		const assignments = (settings.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> })
			.assignments;
		for (const a of assignments) if (a.name in values) a.value = values[a.name];
		expect(assignments.filter((a) => a.name in values)).toHaveLength(4);
		await n8n.importWorkflow(wf);
		await n8n.publish('wfShopSegments1');
		server = await n8n.serve();
		// Activation subscribes the trigger's URL to the three topics.
		await eventually(
			async () =>
				expect(shopify.subscriptions.map((s) => s.topic).sort()).toEqual([
					'CUSTOMERS_CREATE',
					'CUSTOMERS_UPDATE',
					'ORDERS_PAID',
				]),
			60_000,
		);
	}, 45 * 60_000);
	afterAll(async () => {
		await server?.stop();
		await n8n?.close();
		await audiences?.close();
		await shopify?.close();
	});

	const userRequests = () => audiences.received.filter((r) => r.method === 'POST' && /\/\d+\/users$/.test(r.path));
	/** Delivers and waits until the run has sent its three audience requests (one per audience). */
	async function deliverAndWait(topic: string, payload: object) {
		const before = userRequests().length;
		const answers = await shopify.deliver(topic, payload);
		expect(answers.map((a) => a.status)).toEqual([200]);
		const requests = await eventually(async () => {
			const sent = userRequests().slice(before);
			expect(sent).toHaveLength(3);
			return sent;
		}, 30_000);
		await new Promise((r) => setTimeout(r, 300));
		expect(userRequests()).toHaveLength(before + 3);
		// Which audience each request went to, and whether it added or removed.
		return requests.map(
			(r) =>
				`${(r.body as { method?: string }).method === 'DELETE' ? 'remove' : 'add'}:${r.path.split('/').slice(-2)[0]}`,
		);
	}
	const members = () => ({
		new: audiences.memberValues(ids.new, 'EMAIL'),
		engaged: audiences.memberValues(ids.engaged, 'EMAIL'),
		existing: audiences.memberValues(ids.existing, 'EMAIL'),
	});
	const E = { carla: sha('carla.new@example.com'), dan: sha('dan.engaged@example.com') };

	it('a customer created minutes ago with no order is "new": added there, removed from the other two', async () => {
		upsert(carla);
		expect(await deliverAndWait('customers/create', customerPayload(carla))).toEqual([
			`add:${ids.new}`,
			`remove:${ids.engaged}`,
			`remove:${ids.existing}`,
		]);
		expect(members()).toEqual({ new: [E.carla], engaged: [], existing: [] });
		// The row carries the hashed e-mail and phone and the Shopify id (sent as it is, as Meta asks).
		const [row] = [...(audiences.audiences.get(ids.new)?.members.values() ?? [])];
		expect(row).toEqual({ EMAIL: E.carla, PHONE: sha('15125550101'), EXTERN_ID: String(carla.id) });
	});

	it('an older customer with no order who is subscribed is "engaged" (consent from Shopify, since 2025-10 webhooks lack it)', async () => {
		upsert(dan);
		expect(await deliverAndWait('customers/update', customerPayload(dan))).toEqual([
			`add:${ids.engaged}`,
			`remove:${ids.new}`,
			`remove:${ids.existing}`,
		]);
		expect(members()).toEqual({ new: [E.carla], engaged: [E.dan], existing: [] });
	});

	it('an old, unsubscribed customer with no order is in none: removed from all three, added nowhere', async () => {
		upsert(erin);
		expect(await deliverAndWait('customers/update', customerPayload(erin))).toEqual([
			`remove:${ids.new}`,
			`remove:${ids.engaged}`,
			`remove:${ids.existing}`,
		]);
		expect(members()).toEqual({ new: [E.carla], engaged: [E.dan], existing: [] });
	});

	it('new → existing: a paid order moves the customer (removed from new, added to existing); a late stale update keeps them there', async () => {
		carla.orders = 1;
		upsert(carla);
		expect(await deliverAndWait('orders/paid', paidOrder(carla, 5901000000001))).toEqual([
			`add:${ids.existing}`,
			`remove:${ids.new}`,
			`remove:${ids.engaged}`,
		]);
		expect(members()).toEqual({ new: [], engaged: [E.dan], existing: [E.carla] });
		expect(audiences.memberValues(ids.existing, 'EXTERN_ID')).toEqual([String(carla.id)]);

		// A customers/update Shopify sent before the order arrives after it: its body knows no
		// orders, Shopify's record does.
		expect(await deliverAndWait('customers/update', customerPayload(carla))).toEqual([
			`add:${ids.existing}`,
			`remove:${ids.new}`,
			`remove:${ids.engaged}`,
		]);
		expect(members()).toEqual({ new: [], engaged: [E.dan], existing: [E.carla] });
	});

	it("without Shopify's record (lookup empty), a create is sorted by its own fields and an update that says nothing about orders changes nothing", async () => {
		const gus: Person = {
			id: 7011000000004,
			email: 'gus.nolookup@example.com',
			first: 'Gus',
			last: 'Reyes',
			phone: null,
			createdMsAgo: 60_000,
			orders: 0,
			consent: 'NOT_SUBSCRIBED',
		};
		expect(await deliverAndWait('customers/create', customerPayload(gus))).toEqual([
			`add:${ids.new}`,
			`remove:${ids.engaged}`,
			`remove:${ids.existing}`,
		]);
		const before = userRequests().length;
		const answers = await shopify.deliver('customers/update', customerPayload({ ...gus, createdMsAgo: 900 * DAY }));
		expect(answers.map((a) => a.status)).toEqual([200]);
		// The run looks Gus up and stops: nothing is sent to Meta.
		await eventually(
			async () =>
				expect(
					shopify.received.filter(
						(r) => (r.body as { variables?: { id?: string } })?.variables?.id === `gid://shopify/Customer/${gus.id}`,
					),
				).toHaveLength(2),
			30_000,
		);
		await new Promise((r) => setTimeout(r, 2000));
		expect(userRequests()).toHaveLength(before);
		expect(members()).toEqual({ new: [sha('gus.nolookup@example.com')], engaged: [E.dan], existing: [E.carla] });
	});

	it("looked each customer up in Shopify with the credential's token", () => {
		const lookups = shopify.received.filter(
			(r) => /graphql\.json$/.test(r.path) && String((r.body as { query?: string })?.query).includes('customer(id:'),
		);
		expect(lookups.map((r) => (r.body as { variables: { id: string } }).variables.id)).toEqual(
			[carla.id, dan.id, erin.id, carla.id, carla.id, 7011000000004, 7011000000004].map(
				(id) => `gid://shopify/Customer/${id}`,
			),
		);
		expect(lookups.every((r) => r.headers['x-shopify-access-token'] === ADMIN_TOKEN)).toBe(true);
	});
});
