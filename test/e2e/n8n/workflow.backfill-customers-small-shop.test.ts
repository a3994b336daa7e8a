import { createHash } from 'node:crypto';
import { startAudiencesDouble, type AudiencesDouble } from '../../support/audiencesDouble';
import { startHubSpotDouble, type HubSpotDouble } from '../../support/hubspotDouble';
import { startRealN8n, type N8nRun, type RealN8n } from '../../support/realN8n';
import { startShopifyDouble, type ShopifyDouble } from '../../support/shopifyDouble';
import { forImport } from '../../support/workflowFiles';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const TOKEN = 'shpat_backfill_token';
const META_TOKEN = 'EAAB-backfill';
const HUBSPOT_TOKEN = 'pat-na1-backfill';
const COUNT = 260;

// Shopify's GraphQL Customer nodes: 260 of them, so the workflow has to follow the cursor over
// three pages of 100. Customer 3 has no phone, 5 has only a phone, 6 has neither (only its id).
const customers = Array.from({ length: COUNT }, (_, i) => ({
	id: `gid://shopify/Customer/${7_000_000_000_000 + i}`,
	legacyResourceId: String(7_000_000_000_000 + i),
	firstName: i === 7 ? 'Zoë' : `Backfill${i}`,
	lastName: 'Kunde',
	createdAt: '2026-01-02T03:04:05Z',
	updatedAt: '2026-11-01T00:00:00Z',
	numberOfOrders: String(i % 4),
	amountSpent: { amount: (i * 10.5).toFixed(2), currencyCode: 'EUR' },
	defaultEmailAddress:
		i === 5 || i === 6 ? null : { emailAddress: ` Backfill.${i}@Example.COM`, marketingState: 'SUBSCRIBED' },
	defaultPhoneNumber: i === 3 || i === 6 ? null : { phoneNumber: `+1 415 555 ${String(1000 + i)}` },
	defaultAddress: { city: 'San Francisco', provinceCode: 'CA', zip: '94103', countryCodeV2: 'US' },
}));
const withEmail = customers.filter((c) => c.defaultEmailAddress);

// workflows/backfill-customers-small-shop.json (the backfill inside n8n, for small shops without the
// relay service), imported as shipped, then run by hand (manual trigger).
describe('workflow: backfill for a small shop, in n8n: Shopify customers → Custom Audience (replace) + HubSpot', () => {
	let n8n: RealN8n;
	let shopify: ShopifyDouble;
	let audiences: AudiencesDouble;
	let hubspot: HubSpotDouble;
	let audienceId: string;
	let run: N8nRun;

	beforeAll(async () => {
		// Shopify's single-query cost limit, enforced: a page that asks for too much is refused.
		shopify = await startShopifyDouble({
			clientSecret: 'shpss_backfill',
			accessToken: TOKEN,
			customers,
			maxQueryCost: 1000,
		});
		audiences = await startAudiencesDouble({ token: META_TOKEN, account: '1234' });
		hubspot = await startHubSpotDouble({ token: HUBSPOT_TOKEN });
		audienceId = audiences.seed('All Shopify customers');
		n8n = await startRealN8n();
		await n8n.importCredentials([
			// Client credentials (Shopify's Dev Dashboard apps).
			{
				id: 'shop',
				name: 'Shopify shop',
				type: 'shopifyRelayApi',
				data: {
					shopDomain: shopify.shop,
					apiVersion: '2025-10',
					authMethod: 'clientCredentials',
					clientId: shopify.clientId,
					clientSecret: 'shpss_backfill',
					accessToken: '',
					baseUrl: shopify.url,
				},
			},
			{
				id: 'meta',
				name: 'Meta Conversions API',
				type: 'metaConversionRelayApi',
				data: { accessToken: META_TOKEN, appSecret: '', apiVersion: 'v25.0', baseUrl: audiences.url },
			},
			{
				id: 'hub',
				name: 'HubSpot',
				type: 'hubSpotRelayApi',
				data: { accessToken: HUBSPOT_TOKEN, baseUrl: hubspot.url },
			},
		]);
		const wf = forImport('backfill-customers-small-shop.json', 'wfBackfillSmall1', {
			shopifyRelayApi: 'shop',
			metaConversionRelayApi: 'meta',
			hubSpotRelayApi: 'hub',
		});
		// What the sticky note tells a person to fill in.
		const settings = wf.nodes.find((n) => n.name === 'Backfill settings')!;
		for (const a of (settings.parameters.assignments as { assignments: Array<{ name: string; value: string }> })
			.assignments)
			if (a.name === 'audienceId') a.value = audienceId;
		await n8n.importWorkflow(wf);
		// Someone who stopped being a customer: replace must take them out.
		audiences.audiences.get(audienceId)!.members.set('gone', { EMAIL: sha('former@example.com') });
		run = await n8n.execute('wfBackfillSmall1');
	}, 45 * 60_000);
	afterAll(async () => {
		await n8n?.close();
		await Promise.all([shopify?.close(), audiences?.close(), hubspot?.close()]);
	});

	it("reads every customer, following Shopify's cursor within its query-cost limit, with a client-credentials token", () => {
		expect(run.error).toBeUndefined();
		expect(run.status).toBe('success');
		const pages = shopify.received.filter((r) => r.path === '/admin/api/2025-10/graphql.json');
		expect(pages).toHaveLength(3);
		// Every page with a token from the grant. Two grants at most: n8n's own (the credential's
		// preAuthentication, kept for any node) and the package transport's cached one.
		const grants = shopify.received.filter((r) => r.path === '/admin/oauth/access_token');
		expect(grants.length).toBeGreaterThanOrEqual(1);
		expect(grants.length).toBeLessThanOrEqual(2);
		const granted = [...shopify.tokens].filter((t) => t !== TOKEN);
		const used = new Set(pages.map((p) => String(p.headers['x-shopify-access-token'])));
		expect(used.size).toBe(1);
		expect(granted).toContain([...used][0]);
		const variables = pages.map((p) => (p.body as { variables: { first: number; after?: string | null } }).variables);
		expect(variables.map((v) => v.first)).toEqual([100, 100, 100]);
		expect(variables.slice(1).map((v) => v.after)).toEqual([
			Buffer.from('100').toString('base64'),
			Buffer.from('200').toString('base64'),
		]);
		expect(run.output['Shopify: all customers']).toHaveLength(COUNT);
	});

	it("replaces the audience in one session: exactly the shop's customers, hashed as Meta specifies", () => {
		const uploads = audiences.received.filter((r) => r.path === `/v25.0/${audienceId}/usersreplace`);
		expect(uploads).toHaveLength(1);
		const body = uploads[0].body as {
			session: { session_id: number; batch_seq: number; last_batch_flag: boolean };
			payload: { schema: string[]; data: string[][] };
		};
		expect(body.session).toMatchObject({ batch_seq: 1, last_batch_flag: true });
		expect(body.payload.schema).toEqual(['EMAIL', 'PHONE', 'FN', 'LN', 'CT', 'ST', 'ZIP', 'COUNTRY', 'EXTERN_ID']);
		// Customer 6 has neither e-mail nor phone: it still matches by its Shopify id (EXTERN_ID).
		expect(body.payload.data).toHaveLength(COUNT);
		expect(body.payload.data.find((row) => row[8] === String(7_000_000_000_006))?.slice(0, 2)).toEqual(['', '']);
		const seven = body.payload.data.find((row) => row[8] === String(7_000_000_000_007));
		expect(seven).toEqual([
			sha('backfill.7@example.com'),
			sha('14155551007'),
			sha('zoë'),
			sha('kunde'),
			sha('sanfrancisco'),
			sha('ca'),
			sha('94103'),
			sha('us'),
			'7000000000007',
		]);
		const members = audiences.memberValues(audienceId, 'EMAIL');
		expect(members).toEqual(withEmail.map((c) => sha(c.defaultEmailAddress!.emailAddress.trim().toLowerCase())).sort());
		expect(members).not.toContain(sha('former@example.com'));
		// The phone-only customer is a member by phone.
		expect(audiences.memberValues(audienceId, 'PHONE')).toContain(sha('14155551005'));
	});

	it("upserts a HubSpot contact per customer with an e-mail, with Shopify's own totals", () => {
		expect(hubspot.contacts.size).toBe(withEmail.length);
		expect(hubspot.contactByEmail('backfill.10@example.com')?.properties).toMatchObject({
			firstname: 'Backfill10',
			lastname: 'Kunde',
			shopify_customer_id: '7000000000010',
			shopify_order_count: '2',
			shopify_total_spent: '105.00',
		});
		expect(hubspot.contactByEmail('backfill.3@example.com')?.properties).not.toHaveProperty('phone');
		// 100 contacts a request, after the properties were made sure of once.
		const upserts = hubspot.received.filter((r) => r.path === '/crm/v3/objects/contacts/batch/upsert');
		expect(upserts.map((r) => (r.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 100, 58]);
		expect(hubspot.received.filter((r) => r.path === '/crm/v3/properties/contacts').length).toBeGreaterThan(0);
	});

	it('ends with a summary of what each side took', () => {
		expect(run.output.Summary).toEqual([
			expect.objectContaining({
				json: {
					customers_read: COUNT,
					with_email: withEmail.length,
					audience_id: audienceId,
					audience_rows_sent: COUNT,
					audience_rows_received: COUNT,
					audience_invalid_rows: 0,
					audience_error: null,
					hubspot_contacts_written: withEmail.length,
					hubspot_failures: 0,
					hubspot_failure_samples: [],
				},
			}),
		]);
	});
});
