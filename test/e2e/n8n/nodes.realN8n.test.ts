import { createHash } from 'node:crypto';
import { startAudiencesDouble, type AudiencesDouble } from '../../support/audiencesDouble';
import { startHubSpotDouble, type HubSpotDouble } from '../../support/hubspotDouble';
import { startMetaDouble, type Responder } from '../../support/metaDouble';
import { startRealN8n, type N8nItem, type RealN8n } from '../../support/realN8n';
import { eventually, startRelay, type TestRelay } from '../../support/relayServer';

// Each run is `n8n execute`, a whole n8n start: about 10 s alone, past 30 s on a loaded 2-core
// machine, and some tests run it twice.
jest.setTimeout(180_000);

/**
 * The Meta Custom Audiences, HubSpot and Conversion Relay nodes in a real n8n 2.40.7, each run
 * headless (`n8n execute`) from a Manual Trigger against a stateful double (or, for the relay,
 * the real relay service in front of the Meta double). Every test checks what the double received
 * and holds afterwards, and every output item's pairedItem.
 *
 * Expected hashes are computed here from values normalized by Meta's rules (docs/normalization.md),
 * never read back from the package.
 */
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const AD_ACCOUNT = '1234567890';
const GRAPH_TOKEN = 'EAAB-audiences-token';
const HUBSPOT_TOKEN = 'pat-na1-nodes-e2e';

type Node = { name: string; type: string; parameters: object; credentials?: object; onError?: string };

/** A manual-trigger workflow: Start → nodes in a chain. */
function chain(id: string, nodes: Node[]) {
	const all: Node[] = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} }, ...nodes];
	const connections: Record<string, object> = {};
	for (let k = 0; k + 1 < all.length; k++)
		connections[all[k].name] = { main: [[{ node: all[k + 1].name, type: 'main', index: 0 }]] };
	return {
		id,
		name: `nodes e2e ${id}`,
		active: false,
		settings: {},
		nodes: all.map((n, k) => ({
			id: `${id}-${k}`,
			typeVersion: n.type === 'n8n-nodes-base.code' ? 2 : 1,
			position: [k * 220, 0],
			...n,
		})),
		connections,
	};
}
const code = (name: string, js: string): Node => ({ name, type: 'n8n-nodes-base.code', parameters: { jsCode: js } });
const items = (name: string, rows: object[]) => code(name, `return ${JSON.stringify(rows.map((json) => ({ json })))};`);

const AUDIENCES = 'n8n-nodes-conversion-relay.metaCustomAudiences';
const HUBSPOT = 'n8n-nodes-conversion-relay.hubSpotRelay';
const RELAY = 'n8n-nodes-conversion-relay.conversionRelay';
const audCred = { metaConversionRelayApi: { id: 'aud', name: 'Audiences double' } };
const hubCred = { hubSpotRelayApi: { id: 'hub', name: 'HubSpot double' } };
const relayCred = { conversionRelayApi: { id: 'relay', name: 'Relay service' } };

const pairs = (out: N8nItem[]) => out.map((i) => i.pairedItem);

// ---- Meta Custom Audiences ---------------------------------------------------------------------

const SCHEMA = ['EMAIL', 'PHONE', 'FN', 'LN', 'COUNTRY'];
// Raw as a shop would hold them. Zoë's name is typed decomposed (e + combining diaeresis, as macOS
// exports write it): Meta asks for NFC, so it must hash like the composed "zoë".
const BUYERS = [
	{ email: ' Zoe.Martin@Example.com ', phone: '(415) 555-0199', first: 'Zoe\u0308', last: 'Martin', country: 'US' },
	{ email: 'j.doe@example.org', phone: '+44 20 7946 0958', first: 'John', last: "O'Brien", country: 'United Kingdom' },
	{ email: 'ANA@EXAMPLE.COM.BR', phone: '+55 11 91234-5678', first: 'Ana Lúcia', last: 'Souza', country: 'BR' },
];
const NEWCOMER = { email: 'kim.lee@example.net', phone: '010-1234-5678', first: 'Kim', last: 'Lee', country: 'KR' };
// The same people normalized by hand: e-mail trimmed and lower-cased; phone digits with the
// calling code (the US number gets 1 from its country; the Korean one loses its trunk 0 and gets
// 82); names lower-cased, NFC, without spaces or punctuation; country ISO alpha-2.
const NORMALIZED: Record<string, string[]> = {
	[BUYERS[0].email]: ['zoe.martin@example.com', '14155550199', 'zo\u00eb', 'martin', 'us'],
	[BUYERS[1].email]: ['j.doe@example.org', '442079460958', 'john', 'obrien', 'gb'],
	[BUYERS[2].email]: ['ana@example.com.br', '5511912345678', 'anal\u00facia', 'souza', 'br'],
	[NEWCOMER.email]: ['kim.lee@example.net', '821012345678', 'kim', 'lee', 'kr'],
};
const hashedRow = (email: string) => NORMALIZED[email].map(sha);
const asMember = (email: string) => Object.fromEntries(SCHEMA.map((key, k) => [key, hashedRow(email)[k]]));

const customerFields = {
	email: '={{ $json.email }}',
	phone: '={{ $json.phone }}',
	firstName: '={{ $json.first }}',
	lastName: '={{ $json.last }}',
	country: '={{ $json.country }}',
};
const usersNode = (name: string, operation: string, audienceId: string): Node => ({
	name,
	type: AUDIENCES,
	credentials: audCred,
	parameters: { resource: 'users', operation, audienceId, schema: SCHEMA, customer: customerFields, options: {} },
});

const createAndAdd = chain('e2eAudCreate001', [
	{
		name: 'Create Audience',
		type: AUDIENCES,
		credentials: audCred,
		parameters: {
			resource: 'audience',
			operation: 'create',
			adAccountId: `act_${AD_ACCOUNT}`,
			name: 'E2E repeat buyers',
			customerFileSource: 'USER_PROVIDED_ONLY',
			description: 'Customers with two or more orders',
		},
	},
	code(
		'Buyers',
		`const id = $('Create Audience').first().json.id;\nreturn ${JSON.stringify(BUYERS)}.map((c) => ({ json: { ...c, audienceId: id } }));`,
	),
	usersNode('Add Users', 'add', '={{ $json.audienceId }}'),
]);
const replaceWith = (audienceId: string) =>
	chain('e2eAudReplace01', [
		items('Members', [BUYERS[1], NEWCOMER]),
		usersNode('Replace Users', 'replace', audienceId),
	]);
const READ_FIELDS = 'id,name,subtype,customer_file_source,approximate_count_lower_bound,operation_status';
const listAndGet = chain('e2eAudRead00001', [
	{
		name: 'List Audiences',
		type: AUDIENCES,
		credentials: audCred,
		parameters: { resource: 'audience', operation: 'list', adAccountId: AD_ACCOUNT, returnAll: false, limit: 50 },
	},
	{
		name: 'Get Audience',
		type: AUDIENCES,
		credentials: audCred,
		parameters: { resource: 'audience', operation: 'get', audienceId: '={{ $json.id }}', fields: READ_FIELDS },
	},
]);

// ---- HubSpot -----------------------------------------------------------------------------------

const ensure = chain('e2eHubEnsure001', [
	{
		name: 'Ensure Properties',
		type: HUBSPOT,
		credentials: hubCred,
		parameters: { resource: 'property', operation: 'ensure' },
	},
]);
const PEOPLE = [
	{ email: 'Ada.Lovelace@Example.com', first: 'Ada', last: 'Lovelace' },
	{ email: 'ada at example dot com', first: 'Bad', last: 'Address' },
	{ email: 'grace.hopper@example.com', first: 'Grace', last: 'Hopper' },
];
const upsert = chain('e2eHubUpsert001', [
	items('People', PEOPLE),
	{
		name: 'Upsert Contacts',
		type: HUBSPOT,
		credentials: hubCred,
		onError: 'continueRegularOutput',
		parameters: {
			resource: 'contact',
			operation: 'upsert',
			email: '={{ $json.email }}',
			propertiesInput: 'fields',
			properties: {
				property: [
					{ name: 'firstname', value: '={{ $json.first }}' },
					{ name: 'lastname', value: '={{ $json.last }}' },
					{ name: 'lifecyclestage', value: 'lead' },
				],
			},
		},
	},
]);
// Grace's second order, as the Shopify trigger's payload carries it.
const GRACE_ORDER = {
	id: 5870000001001,
	admin_graphql_api_id: 'gid://shopify/Order/5870000001001',
	name: '#1044',
	order_number: 1044,
	email: 'Grace.Hopper@Example.com',
	created_at: '2026-03-16T15:29:40Z',
	processed_at: '2026-03-16T15:30:00Z',
	currency: 'USD',
	total_price: '250.00',
	financial_status: 'paid',
	line_items: [{ id: 15001, variant_id: 55001, product_id: 66001, title: 'Wool coat', quantity: 1, price: '250.00' }],
	billing_address: {
		first_name: 'Grace',
		last_name: 'Hopper',
		city: 'New York',
		province_code: 'NY',
		zip: '10001',
		country_code: 'US',
		phone: '+1 212 555 0147',
	},
	customer: {
		id: 7300001,
		email: 'grace.hopper@example.com',
		first_name: 'Grace',
		last_name: 'Hopper',
		phone: '+1 212 555 0147',
		orders_count: 2,
		total_spent: '410.00',
	},
};
const purchase = chain('e2eHubPurchase1', [
	items('Order', [GRACE_ORDER]),
	{
		name: 'Record Purchase',
		type: HUBSPOT,
		credentials: hubCred,
		parameters: {
			resource: 'contact',
			operation: 'recordPurchase',
			shopifyRecord: '={{ $json }}',
			recordType: 'order',
			writeDetails: true,
			keepLater: true,
		},
	},
	// Its input is Record Purchase's output: the order comes from the paired Order item.
	{
		name: 'Deal From Order',
		type: HUBSPOT,
		credentials: hubCred,
		parameters: {
			resource: 'deal',
			operation: 'upsertFromOrder',
			shopifyRecord: "={{ $('Order').item.json }}",
			pipeline: 'default',
			dealstage: 'closedwon',
			options: {},
		},
	},
]);

// ---- Conversion Relay --------------------------------------------------------------------------

const CONVERSIONS = [
	{ email: 'John_Smith@gmail.com', phone: '(650)555-1212', country: 'US', value: 29.99, order: 'relay-1' },
	{ email: ' mary@example.com ', phone: '', country: 'GB', value: 10, order: 'relay-2' },
	{ email: 'late.buyer@example.com', phone: '+49 30 901820', country: 'DE', value: 5.5, order: 'relay-3' },
];
const sendEvents = chain('e2eRelaySend001', [
	items('Conversions', CONVERSIONS),
	{
		name: 'Send Events',
		type: RELAY,
		credentials: relayCred,
		parameters: {
			resource: 'event',
			operation: 'send',
			pixelId: '123456',
			eventName: 'Purchase',
			actionSource: 'system_generated',
			eventId: '={{ $json.order }}',
			userData: { email: '={{ $json.email }}', phone: '={{ $json.phone }}', country: '={{ $json.country }}' },
			customData: { value: '={{ $json.value }}', currency: 'eur' },
			options: {},
		},
	},
]);
const listNode = (name: string, status: string): Node => ({
	name,
	type: RELAY,
	credentials: relayCred,
	parameters: { resource: 'event', operation: 'list', status, returnAll: true },
});
const listDead = chain('e2eRelayDead001', [listNode('List Failed', 'dead')]);
const getAll = chain('e2eRelayGet0001', [
	listNode('List Events', ''),
	{
		name: 'Get Event',
		type: RELAY,
		credentials: relayCred,
		parameters: { resource: 'event', operation: 'get', relayEventId: '={{ $json.id }}' },
	},
]);
const retryDead = chain('e2eRelayRetry01', [
	listNode('List Failed', 'dead'),
	{
		name: 'Retry Event',
		type: RELAY,
		credentials: relayCred,
		parameters: { resource: 'event', operation: 'retry', relayEventId: '={{ $json.id }}' },
	},
]);

// Meta refuses relay-3 (as it does an event older than 7 days), and any batch holding it.
const TOO_OLD = {
	error: {
		message: 'Invalid parameter',
		type: 'OAuthException',
		code: 100,
		error_subcode: 2804003,
		error_user_title: 'Event Timestamp Too Old',
		error_user_msg: 'The timestamp for this event is too far in the past.',
		fbtrace_id: 'AbCtooOld',
	},
};
const accepting: Responder = (r) => ({
	status: 200,
	body: {
		events_received: r.body.data.length,
		messages: [],
		fbtrace_id: `trace-${r.body.data.map((e) => e.event_id).join('+')}`,
	},
});
const refusingRelay3: Responder = (r) =>
	r.body.data.some((e) => e.event_id === 'relay-3') ? { status: 400, body: TOO_OLD } : accepting(r);

describe('Custom Audiences, HubSpot and Conversion Relay nodes in a real n8n', () => {
	let n8n: RealN8n;
	let audiences: AudiencesDouble;
	let hubspot: HubSpotDouble;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let relay: TestRelay;

	beforeAll(async () => {
		audiences = await startAudiencesDouble({ token: GRAPH_TOKEN, account: AD_ACCOUNT });
		hubspot = await startHubSpotDouble({ token: HUBSPOT_TOKEN });
		meta = await startMetaDouble(refusingRelay3);
		relay = await startRelay('pglite', { META_ACCESS_TOKEN: 'EAAB-relay-token', META_GRAPH_URL: meta.url });
		n8n = await startRealN8n();
		await n8n.importCredentials([
			{
				id: 'aud',
				name: 'Audiences double',
				type: 'metaConversionRelayApi',
				data: { accessToken: GRAPH_TOKEN, appSecret: '', apiVersion: 'v25.0', baseUrl: audiences.url },
			},
			{
				id: 'hub',
				name: 'HubSpot double',
				type: 'hubSpotRelayApi',
				data: { accessToken: HUBSPOT_TOKEN, baseUrl: hubspot.url },
			},
			{
				id: 'relay',
				name: 'Relay service',
				type: 'conversionRelayApi',
				data: { baseUrl: relay.url, apiSecret: relay.apiSecret },
			},
		]);
		// One CLI start for all workflows whose parameters are known now.
		await n8n.importWorkflow([
			createAndAdd,
			listAndGet,
			ensure,
			upsert,
			purchase,
			sendEvents,
			listDead,
			getAll,
			retryDead,
		]);
	}, 45 * 60_000);
	afterAll(async () => {
		await n8n?.close();
		await relay?.close();
		await meta?.close();
		await hubspot?.close();
		await audiences?.close();
	});

	describe('Meta Custom Audiences', () => {
		let audienceId: string;
		let seededId: string;

		it('creates an audience, then adds 3 customers with a 5-key schema, hashed exactly as Meta specifies', async () => {
			// One audience made elsewhere (Ads Manager) before, for the list below.
			seededId = audiences.seed('Made in Ads Manager');
			const run = await n8n.execute(createAndAdd.id);
			expect(run.error).toBeUndefined();
			expect(run.status).toBe('success');

			const [create, users] = audiences.received;
			expect(audiences.received).toHaveLength(2);
			expect(create.method).toBe('POST');
			expect(create.path).toBe(`/v25.0/act_${AD_ACCOUNT}/customaudiences`);
			expect(create.headers.authorization).toBe(`Bearer ${GRAPH_TOKEN}`);
			expect(create.body).toEqual({
				name: 'E2E repeat buyers',
				subtype: 'CUSTOM',
				customer_file_source: 'USER_PROVIDED_ONLY',
				description: 'Customers with two or more orders',
			});
			audienceId = run.output['Create Audience'][0].json.id as string;
			expect(audiences.audiences.get(audienceId)).toMatchObject({
				name: 'E2E repeat buyers',
				subtype: 'CUSTOM',
				deleted: false,
			});
			expect(run.output['Create Audience']).toEqual([
				{
					json: {
						id: audienceId,
						name: 'E2E repeat buyers',
						subtype: 'CUSTOM',
						customer_file_source: 'USER_PROVIDED_ONLY',
						description: 'Customers with two or more orders',
					},
					pairedItem: { item: 0 },
				},
			]);

			// One request (3 rows fit one batch; no session needed), rows in schema order.
			expect(users.method).toBe('POST');
			expect(users.path).toBe(`/v25.0/${audienceId}/users`);
			expect(users.body).toEqual({ payload: { schema: SCHEMA, data: BUYERS.map((b) => hashedRow(b.email)) } });
			expect([...audiences.audiences.get(audienceId)!.members.values()]).toEqual(
				expect.arrayContaining(BUYERS.map((b) => asMember(b.email))),
			);
			expect(audiences.audiences.get(audienceId)!.members.size).toBe(3);

			// One summary for the upload, paired with all three input items.
			expect(run.output['Add Users']).toEqual([
				{
					json: {
						operation: 'add',
						audience_id: audienceId,
						schema: SCHEMA,
						session_id: expect.any(Number),
						items: 3,
						rows_sent: 3,
						batches: 1,
						requests: 1,
						num_received: 3,
						num_invalid_entries: 0,
						invalid_entry_samples: {},
						invalid_items: 0,
						invalid_item_samples: [],
					},
					pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }],
				},
			]);
		});

		it('replaces the members with 2 customers in one session: the audience holds exactly those 2', async () => {
			// The audience id is known only now: this workflow is imported with it.
			await n8n.importWorkflow(replaceWith(audienceId));
			const before = audiences.received.length;
			const run = await n8n.execute('e2eAudReplace01');
			expect(run.error).toBeUndefined();
			const sent = audiences.received.slice(before);
			expect(sent).toHaveLength(1);
			expect(sent[0].path).toBe(`/v25.0/${audienceId}/usersreplace`);
			const body = sent[0].body as { payload: object; session: { session_id: number } };
			expect(body).toEqual({
				payload: { schema: SCHEMA, data: [hashedRow(BUYERS[1].email), hashedRow(NEWCOMER.email)] },
				session: { session_id: expect.any(Number), batch_seq: 1, last_batch_flag: true, estimated_num_total: 2 },
			});
			expect(audiences.memberValues(audienceId, 'EMAIL')).toEqual(
				[sha('j.doe@example.org'), sha('kim.lee@example.net')].sort(),
			);
			expect([...audiences.audiences.get(audienceId)!.members.values()]).toEqual(
				expect.arrayContaining([asMember(BUYERS[1].email), asMember(NEWCOMER.email)]),
			);
			expect(audiences.audiences.get(audienceId)!.members.size).toBe(2);
			expect(run.output['Replace Users']).toEqual([
				{
					json: expect.objectContaining({
						operation: 'replace',
						audience_id: audienceId,
						session_id: body.session.session_id,
						items: 2,
						rows_sent: 2,
						batches: 1,
						requests: 1,
						num_received: 2,
						num_invalid_entries: 0,
					}),
					pairedItem: [{ item: 0 }, { item: 1 }],
				},
			]);
		});

		it("lists the ad account's audiences and gets each one by id", async () => {
			const before = audiences.received.length;
			const run = await n8n.execute(listAndGet.id);
			expect(run.error).toBeUndefined();
			const sent = audiences.received.slice(before);
			expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
				`GET /v25.0/act_${AD_ACCOUNT}/customaudiences`,
				`GET /v25.0/${seededId}`,
				`GET /v25.0/${audienceId}`,
			]);
			expect(sent[0].query.get('limit')).toBe('50');
			expect(sent[0].query.get('fields')?.split(',')).toEqual(
				expect.arrayContaining(['id', 'name', 'subtype', 'approximate_count_lower_bound', 'operation_status']),
			);
			expect(sent[1].query.get('fields')).toBe(READ_FIELDS);

			const listed = run.output['List Audiences'];
			expect(listed.map((i) => [i.json.id, i.json.name, i.json.subtype])).toEqual([
				[seededId, 'Made in Ads Manager', 'CUSTOM'],
				[audienceId, 'E2E repeat buyers', 'CUSTOM'],
			]);
			// Both come from the one input item.
			expect(pairs(listed)).toEqual([{ item: 0 }, { item: 0 }]);

			const got = run.output['Get Audience'];
			expect(got.map((i) => i.json)).toEqual([
				{
					id: seededId,
					name: 'Made in Ads Manager',
					subtype: 'CUSTOM',
					approximate_count_lower_bound: -1,
					operation_status: { code: 200, description: 'Normal' },
				},
				{
					id: audienceId,
					name: 'E2E repeat buyers',
					subtype: 'CUSTOM',
					customer_file_source: 'USER_PROVIDED_ONLY',
					approximate_count_lower_bound: -1,
					operation_status: { code: 200, description: 'Normal' },
				},
			]);
			expect(pairs(got)).toEqual([{ item: 0 }, { item: 1 }]);
		});
	});

	describe('HubSpot', () => {
		const ALL = [
			'contacts/groups/shopify',
			'contacts/shopify_customer_id',
			'contacts/shopify_order_count',
			'contacts/shopify_total_spent',
			'contacts/shopify_last_order_date',
			'contacts/shopify_last_order_id',
			'contacts/shopify_first_order_date',
			'deals/groups/shopify',
			'deals/shopify_order_id',
		];
		const propertyRequests = () => hubspot.received.filter((r) => r.path.startsWith('/crm/v3/properties/'));

		it('ensures the shopify_* properties: created on the first run; the second run meets 409s and still succeeds', async () => {
			const first = await n8n.execute(ensure.id);
			expect(first.error).toBeUndefined();
			expect(first.output['Ensure Properties']).toEqual([
				{ json: { created: ALL, existed: [] }, pairedItem: [{ item: 0 }] },
			]);
			expect([...hubspot.definitions.get('contacts')!].sort()).toEqual([
				'shopify_customer_id',
				'shopify_first_order_date',
				'shopify_last_order_date',
				'shopify_last_order_id',
				'shopify_order_count',
				'shopify_total_spent',
			]);
			expect([...hubspot.definitions.get('contacts/groups')!]).toEqual(['shopify']);
			expect([...hubspot.definitions.get('deals/groups')!]).toEqual(['shopify']);
			expect([...hubspot.definitions.get('deals')!]).toEqual(['shopify_order_id']);
			// Deals are upserted by the order id: HubSpot needs it unique.
			const orderId = propertyRequests().find(
				(r) => r.path === '/crm/v3/properties/deals' && (r.body as { name?: string }).name === 'shopify_order_id',
			);
			expect(orderId?.body).toMatchObject({
				name: 'shopify_order_id',
				type: 'string',
				groupName: 'shopify',
				hasUniqueValue: true,
			});
			expect(propertyRequests()).toHaveLength(9);

			const second = await n8n.execute(ensure.id);
			expect(second.error).toBeUndefined();
			expect(second.status).toBe('success');
			expect(second.output['Ensure Properties']).toEqual([
				{ json: { created: [], existed: ALL }, pairedItem: [{ item: 0 }] },
			]);
			expect(propertyRequests()).toHaveLength(18);
		});

		it('upserts 3 contacts in one batch: the invalid e-mail fails alone (continue on fail), the others land', async () => {
			const before = hubspot.received.length;
			const run = await n8n.execute(upsert.id);
			expect(run.error).toBeUndefined();
			const sent = hubspot.received.slice(before);
			expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /crm/v3/objects/contacts/batch/upsert']);
			expect(sent[0].headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`);
			expect((sent[0].body as { inputs: unknown[] }).inputs).toEqual(
				PEOPLE.map((p, k) => ({
					idProperty: 'email',
					id: p.email,
					objectWriteTraceId: String(k),
					properties: { firstname: p.first, lastname: p.last, lifecyclestage: 'lead', email: p.email },
				})),
			);

			const ada = hubspot.contactByEmail('ada.lovelace@example.com')!;
			const grace = hubspot.contactByEmail('grace.hopper@example.com')!;
			expect(hubspot.contacts.size).toBe(2);
			expect(ada.properties).toEqual({
				email: 'ada.lovelace@example.com',
				firstname: 'Ada',
				lastname: 'Lovelace',
				lifecyclestage: 'lead',
			});
			expect(grace.properties).toEqual({
				email: 'grace.hopper@example.com',
				firstname: 'Grace',
				lastname: 'Hopper',
				lifecyclestage: 'lead',
			});

			const out = run.output['Upsert Contacts'];
			expect(pairs(out)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(out[0].json).toEqual({
				id: ada.id,
				new: true,
				properties: ada.properties,
				createdAt: expect.any(String),
				updatedAt: expect.any(String),
				archived: false,
			});
			expect(out[1].json).toEqual({ error: expect.stringContaining('is invalid') });
			expect(out[2].json).toMatchObject({ id: grace.id, new: true, properties: grace.properties });
		});

		it("records a purchase as Shopify's absolute totals and turns the order into a deal associated with the contact; a rerun changes nothing", async () => {
			const grace = hubspot.contactByEmail('grace.hopper@example.com')!;
			const expectedContact = {
				// From the upsert before; Record Purchase leaves what it does not write.
				email: 'grace.hopper@example.com',
				lifecyclestage: 'lead',
				// The order's buyer and Shopify's own counters, as the order carries them.
				firstname: 'Grace',
				lastname: 'Hopper',
				phone: '+1 212 555 0147',
				city: 'New York',
				state: 'NY',
				zip: '10001',
				country: 'US',
				shopify_customer_id: '7300001',
				shopify_order_count: '2',
				shopify_total_spent: '410.00',
				shopify_last_order_id: '5870000001001',
				shopify_last_order_date: '2026-03-16',
			};
			const expectedDeal = {
				shopify_order_id: '5870000001001',
				dealname: 'Shopify order #1044',
				amount: '250.00',
				closedate: '2026-03-16T15:30:00.000Z',
				pipeline: 'default',
				dealstage: 'closedwon',
			};
			const contactUpserts = () => hubspot.received.filter((r) => r.path === '/crm/v3/objects/contacts/batch/upsert');

			for (const round of [1, 2]) {
				const before = contactUpserts().length;
				const run = await n8n.execute(purchase.id);
				expect(run.error).toBeUndefined();
				expect(grace.properties).toEqual(expectedContact);
				expect(hubspot.contacts.size).toBe(2);
				expect(hubspot.deals.size).toBe(1);
				const [deal] = [...hubspot.deals.values()];
				expect(deal.properties).toEqual(expectedDeal);
				expect(hubspot.associations).toEqual([{ dealId: deal.id, contactId: grace.id }]);

				const recorded = run.output['Record Purchase'];
				expect(recorded).toEqual([
					{
						json: expect.objectContaining({ id: grace.id, new: false, source: 'order', totalsWritten: true }),
						pairedItem: { item: 0 },
					},
				]);
				const dealOut = run.output['Deal From Order'];
				expect(dealOut).toEqual([
					{
						json: expect.objectContaining({
							id: deal.id,
							new: round === 1,
							properties: expectedDeal,
							contact: { id: grace.id, new: false },
							associated: true,
						}),
						pairedItem: { item: 0 },
					},
				]);

				// Record Purchase writes absolute values (the same body every run), by the order's
				// e-mail as Shopify gave it (HubSpot matches e-mails without regard to case); the
				// deal's contact upsert only makes sure the contact exists.
				const [written, ensured] = contactUpserts()
					.slice(before)
					.map((r) => (r.body as { inputs: Array<{ id: string; properties: object }> }).inputs);
				const purchaseProperties = Object.fromEntries(
					Object.entries(expectedContact).filter(([name]) => name !== 'lifecyclestage'),
				);
				expect(written).toEqual([
					expect.objectContaining({
						idProperty: 'email',
						id: GRACE_ORDER.email,
						properties: { ...purchaseProperties, email: GRACE_ORDER.email },
					}),
				]);
				expect(ensured).toEqual([
					expect.objectContaining({
						idProperty: 'email',
						id: GRACE_ORDER.email,
						properties: { email: GRACE_ORDER.email },
					}),
				]);
			}
		});
	});

	describe('Conversion Relay', () => {
		const ids: Record<string, string> = {};
		const relayGet = async (id: string) =>
			(await (
				await fetch(`${relay.url}/v1/events/${id}`, { headers: { authorization: `Bearer ${relay.apiSecret}` } })
			).json()) as { status: string };

		it('sends 3 events, hashed in n8n, to the relay service, which delivers them; the one Meta refuses is dead-lettered', async () => {
			const run = await n8n.execute(sendEvents.id);
			expect(run.error).toBeUndefined();
			const out = run.output['Send Events'];
			expect(pairs(out)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(out.map((i) => [i.json.event_id, i.json.status, i.json.duplicate])).toEqual([
				['relay-1', 'queued', false],
				['relay-2', 'queued', false],
				['relay-3', 'queued', false],
			]);
			// Hashed before leaving n8n: e-mail trimmed and lower-cased, phone digits with the country
			// code (the US one from its country), country lower-cased.
			expect(out.map((i) => i.json.user_data)).toEqual([
				{ em: [sha('john_smith@gmail.com')], ph: [sha('16505551212')], country: [sha('us')] },
				{ em: [sha('mary@example.com')], country: [sha('gb')] },
				{ em: [sha('late.buyer@example.com')], ph: [sha('4930901820')], country: [sha('de')] },
			]);
			for (const i of out) ids[i.json.event_id as string] = i.json.relay_event_id as string;
			expect(Object.values(ids).every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);

			await eventually(
				async () =>
					expect(
						await Promise.all(['relay-1', 'relay-2', 'relay-3'].map(async (e) => (await relayGet(ids[e])).status)),
					).toEqual(['sent', 'sent', 'dead']),
				30_000,
			);
			const accepted = meta.received.filter((r) => !r.body.data.some((e) => e.event_id === 'relay-3'));
			expect(accepted.flatMap((r) => r.body.data.map((e) => e.event_id)).sort()).toEqual(['relay-1', 'relay-2']);
			expect(JSON.stringify(meta.received)).not.toContain('example.com');
		});

		it("lists the failed events: exactly the dead one, with Meta's reason", async () => {
			const run = await n8n.execute(listDead.id);
			expect(run.error).toBeUndefined();
			const out = run.output['List Failed'];
			expect(out).toHaveLength(1);
			expect(out[0].pairedItem).toEqual({ item: 0 });
			expect(out[0].json).toMatchObject({
				id: ids['relay-3'],
				event_id: 'relay-3',
				event_name: 'Purchase',
				pixel_id: '123456',
				status: 'dead',
			});
			expect(out[0].json.last_error).toContain('too far in the past');
		});

		it("gets each event by id: two sent with Meta's trace id, one dead", async () => {
			const run = await n8n.execute(getAll.id);
			expect(run.error).toBeUndefined();
			const got = run.output['Get Event'];
			expect(pairs(got)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			// Each Get answered for the id its input item named.
			expect(got.map((i) => i.json.id)).toEqual(run.output['List Events'].map((i) => i.json.id));
			const byEvent = Object.fromEntries(got.map((i) => [i.json.event_id, i.json]));
			expect(byEvent['relay-1']).toMatchObject({
				id: ids['relay-1'],
				status: 'sent',
				fbtrace_id: expect.stringMatching(/^trace-/),
				events_received: expect.any(Number),
			});
			expect(byEvent['relay-2']).toMatchObject({ id: ids['relay-2'], status: 'sent' });
			expect(byEvent['relay-3']).toMatchObject({
				id: ids['relay-3'],
				status: 'dead',
				last_error: expect.stringContaining('too far in the past'),
			});
			// The service stores the hashes it was given, nothing raw.
			expect((byEvent['relay-1'].payload as { user_data: object }).user_data).toEqual({
				em: [sha('john_smith@gmail.com')],
				ph: [sha('16505551212')],
				country: [sha('us')],
			});
		});

		it('retries the dead event once Meta accepts it again: queued, then sent', async () => {
			meta.setResponder(accepting);
			const before = meta.received.length;
			const run = await n8n.execute(retryDead.id);
			expect(run.error).toBeUndefined();
			const out = run.output['Retry Event'];
			expect(out).toEqual([
				{ json: expect.objectContaining({ id: ids['relay-3'], event_id: 'relay-3' }), pairedItem: { item: 0 } },
			]);
			// The service answers with the event as it put it back in the queue.
			expect(out[0].json.status).toBe('queued');
			await eventually(async () => expect((await relayGet(ids['relay-3'])).status).toBe('sent'), 30_000);
			expect(meta.received.slice(before).flatMap((r) => r.body.data.map((e) => e.event_id))).toEqual(['relay-3']);

			// The node sees it too: nothing is left failed.
			const after = await n8n.execute(listDead.id);
			expect(after.error).toBeUndefined();
			expect(after.output['List Failed']).toEqual([]);
		});
	});
});
