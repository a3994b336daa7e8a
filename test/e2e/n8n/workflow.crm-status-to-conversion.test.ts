import { createHash, createHmac } from 'node:crypto';
import { startHubSpotDouble, type HubSpotDouble } from '../../support/hubspotDouble';
import { startMetaDouble } from '../../support/metaDouble';
import { startRealN8n, type N8nServer, type RealN8n } from '../../support/realN8n';
import { eventually, startRelay, type TestRelay } from '../../support/relayServer';
import { forImport } from '../../support/workflowFiles';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SECRET = 'Bearer supabase-hook-secret-123';
const HUBSPOT_CLIENT_SECRET = '6f1d2c3b-4a59-4e87-9d6c-5b4a39281706';
const HUBSPOT_TOKEN = 'hubspot-private-app-token-e2e';
const PUBLIC_HUBSPOT_URL = 'https://automation.linen.example/webhook/crm-deal-stage';
// HubSpot's v3 signature, written out from its documentation: base64 HMAC-SHA256(client secret,
// method + URL as set in the app + raw body + timestamp in ms).
const signV3 = (url: string, raw: string, ts: number, secret = HUBSPOT_CLIENT_SECRET) =>
	createHmac('sha256', secret).update(`POST${url}${raw}${ts}`).digest('base64');
const lead = (status: string, extra: object = {}) => ({
	id: 42,
	status,
	email: 'Lead.Person@Example.com',
	phone: '+1 415 555 0100',
	first_name: 'Lee',
	last_name: 'Person',
	value: '1250.00',
	currency: 'EUR',
	...extra,
});

// workflows/crm-status-to-conversion.json, imported as shipped, live in a real n8n.
describe('workflow: CRM status change → Meta conversion', () => {
	let n8n: RealN8n;
	let server: N8nServer;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let relay: TestRelay;
	let hubspot: HubSpotDouble;
	beforeAll(async () => {
		meta = await startMetaDouble();
		hubspot = await startHubSpotDouble({ token: HUBSPOT_TOKEN });
		relay = await startRelay('pglite', { META_ACCESS_TOKEN: 'EAAB-relay-token', META_GRAPH_URL: meta.url });
		n8n = await startRealN8n();
		await n8n.importCredentials([
			{
				id: 'relay-local',
				name: 'Conversion Relay',
				type: 'conversionRelayApi',
				data: { baseUrl: relay.url, apiSecret: relay.apiSecret },
			},
			{
				id: 'sb-secret',
				name: 'Supabase webhook secret',
				type: 'httpHeaderAuth',
				data: { name: 'Authorization', value: SECRET },
			},
			{
				id: 'hs-app',
				name: 'HubSpot app',
				type: 'hubSpotWebhookApi',
				data: { clientSecret: HUBSPOT_CLIENT_SECRET, previousClientSecret: '' },
			},
			{
				id: 'hs-api',
				name: 'HubSpot',
				type: 'hubSpotRelayApi',
				data: { accessToken: HUBSPOT_TOKEN, baseUrl: hubspot.url },
			},
		]);
		// HubSpot signs the target URL set in the app: n8n's public address (behind a proxy), which
		// the sticky note asks a person to paste into the Verify node too. Requests here reach n8n
		// on its local port, as they would through the proxy.
		const wf = forImport('crm-status-to-conversion.json', 'wfCrmStatus0001', {
			conversionRelayApi: 'relay-local',
			httpHeaderAuth: 'sb-secret',
			hubSpotWebhookApi: 'hs-app',
			hubSpotRelayApi: 'hs-api',
		});
		const verify = wf.nodes.find((n) => n.name === 'Verify HubSpot signature');
		const stages = wf.nodes.find((n) => n.name === 'Deal stage → conversion');
		if (!verify || !stages) throw new Error('the HubSpot branch is missing');
		verify.parameters.webhookUrl = PUBLIC_HUBSPOT_URL;
		// The HubSpot API is the local double (the one line the Code node says to change for a proxy).
		expect(String(stages.parameters.jsCode)).toContain("const HUBSPOT_API = 'https://api.hubapi.com';");
		stages.parameters.jsCode = String(stages.parameters.jsCode).replace(
			"const HUBSPOT_API = 'https://api.hubapi.com';",
			`const HUBSPOT_API = '${hubspot.url}';`,
		);
		await n8n.importWorkflow(wf);
		await n8n.publish('wfCrmStatus0001');
		server = await n8n.serve();
		await server.webhookLive('crm-status-change');
		await server.webhookLive('crm-deal-stage');
	}, 45 * 60_000);
	afterAll(async () => {
		await server?.stop();
		await n8n?.close();
		await relay?.close();
		await meta?.close();
		await hubspot?.close();
	});

	const hook = (body: object, authorization = SECRET) =>
		fetch(`${server.url}/webhook/crm-status-change`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization },
			body: JSON.stringify(body),
		});

	it('turns qualified into a Lead and won into a Purchase with value; a repeat, an unchanged row and a wrong secret send nothing more', async () => {
		expect(
			(await hook({ type: 'UPDATE', table: 'leads', record: lead('qualified'), old_record: lead('new') })).status,
		).toBe(200);
		expect(
			(await hook({ type: 'UPDATE', table: 'leads', record: lead('won'), old_record: lead('qualified') })).status,
		).toBe(200);
		expect(
			(await hook({ type: 'UPDATE', table: 'leads', record: lead('won'), old_record: lead('qualified') })).status,
		).toBe(200);
		expect(
			(
				await hook({
					type: 'UPDATE',
					table: 'leads',
					record: lead('won', { phone: '+1 415 555 0199' }),
					old_record: lead('won'),
				})
			).status,
		).toBe(200);
		expect(
			(
				await hook(
					{
						type: 'UPDATE',
						table: 'leads',
						record: lead('qualified', { id: 43 }),
						old_record: lead('new', { id: 43 }),
					},
					'Bearer wrong',
				)
			).status,
		).toBe(403);

		const events = await eventually(async () => {
			const all = meta.received.flatMap((r) => r.body.data);
			expect(all).toHaveLength(2);
			// The two changes run as two executions and the relay promises no order between them.
			return [...all].sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)));
		}, 30_000);
		const user = {
			em: [sha('lead.person@example.com')],
			ph: [sha('14155550100')],
			fn: [sha('lee')],
			ln: [sha('person')],
			external_id: [sha('42')],
		};
		expect(events).toEqual([
			expect.objectContaining({
				event_name: 'Lead',
				event_id: 'leads:42:Lead',
				action_source: 'system_generated',
				user_data: user,
			}),
			expect.objectContaining({
				event_name: 'Purchase',
				event_id: 'leads:42:Purchase',
				action_source: 'system_generated',
				user_data: user,
				custom_data: { value: 1250, currency: 'EUR' },
			}),
		]);
		expect(events[0]).not.toHaveProperty('custom_data');
		// The repeated "won" reached the relay and was recognised there: still two events at Meta.
		await new Promise((r) => setTimeout(r, 1500));
		expect(meta.received.flatMap((r) => r.body.data)).toHaveLength(2);
	});

	it('a lead from Meta Lead Ads: each stage is a CRM event too (lead id unhashed, event_source crm, Supabase); a lead id that is not one sends nothing', async () => {
		const before = meta.received.flatMap((r) => r.body.data).length;
		const fromAds = (status: string) => lead(status, { id: 44, meta_lead_id: '1234567890123456' });
		const change = (record: object, old: object) => ({ type: 'UPDATE', table: 'leads', record, old_record: old });
		expect((await hook(change(fromAds('qualified'), fromAds('new')))).status).toBe(200);
		expect((await hook(change(fromAds('won'), fromAds('qualified')))).status).toBe(200);
		// A CRM's own id in the column, and a bigint past 2^53 that n8n's JSON parsing rounded: refused in n8n.
		expect(
			(await hook(change(lead('qualified', { id: 45, meta_lead_id: 'crm-4471' }), lead('new', { id: 45 })))).status,
		).toBe(200);
		const rounded = await fetch(`${server.url}/webhook/crm-status-change`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: SECRET },
			body: JSON.stringify(change(lead('qualified', { id: 46, meta_lead_id: 0 }), lead('new', { id: 46 }))).replace(
				'"meta_lead_id":0',
				'"meta_lead_id":12345678901234567',
			),
		});
		expect(rounded.status).toBe(200);

		const events = await eventually(async () => {
			const all = meta.received.flatMap((r) => r.body.data).slice(before);
			expect(all).toHaveLength(2);
			return all as Array<Record<string, unknown>>;
		}, 30_000);
		const byId = Object.fromEntries(events.map((e) => [e.event_id, e]));
		const user = {
			em: [sha('lead.person@example.com')],
			ph: [sha('14155550100')],
			fn: [sha('lee')],
			ln: [sha('person')],
			external_id: [sha('44')],
			lead_id: '1234567890123456',
		};
		expect(byId['leads:44:Lead']).toEqual(
			expect.objectContaining({
				event_name: 'Lead',
				action_source: 'system_generated',
				user_data: user,
				custom_data: { event_source: 'crm', lead_event_source: 'Supabase' },
			}),
		);
		expect(byId['leads:44:Purchase']).toEqual(
			expect.objectContaining({
				event_name: 'Purchase',
				action_source: 'system_generated',
				user_data: user,
				custom_data: { value: 1250, currency: 'EUR', event_source: 'crm', lead_event_source: 'Supabase' },
			}),
		);
		await new Promise((r) => setTimeout(r, 1500));
		expect(meta.received.flatMap((r) => r.body.data).slice(before)).toHaveLength(2);
	});

	// HubSpot webhooks v3: a JSON list of events, deal.propertyChange for dealstage.
	const stageEvent = (eventId: number, dealId: number, stage: string, extra: object = {}) => ({
		eventId,
		subscriptionId: 2840293,
		portalId: 62515,
		appId: 1160452,
		occurredAt: Date.now() - 5000,
		subscriptionType: 'deal.propertyChange',
		attemptNumber: 0,
		objectId: dealId,
		propertyName: 'dealstage',
		propertyValue: stage,
		changeSource: 'CRM_UI',
		sourceId: 'userId:4471',
		...extra,
	});
	async function hubspotHook(events: object[], options: { ts?: number; secret?: string; url?: string } = {}) {
		const raw = JSON.stringify(events);
		const ts = options.ts ?? Date.now();
		const res = await fetch(`${server.url}/webhook/crm-deal-stage`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-hubspot-signature-v3': signV3(options.url ?? PUBLIC_HUBSPOT_URL, raw, ts, options.secret),
				'x-hubspot-request-timestamp': String(ts),
				'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
			},
			body: raw,
		});
		return res.status;
	}
	function seedDeal(
		id: number,
		properties: Record<string, string>,
		contact?: { id: number; properties: Record<string, string> },
	) {
		const at = new Date().toISOString();
		hubspot.deals.set(String(id), {
			id: String(id),
			properties: { hs_object_id: String(id), ...properties },
			createdAt: at,
			updatedAt: at,
		});
		if (contact) {
			hubspot.contacts.set(String(contact.id), {
				id: String(contact.id),
				properties: { hs_object_id: String(contact.id), ...contact.properties },
				createdAt: at,
				updatedAt: at,
			});
			hubspot.associations.push({ dealId: String(id), contactId: String(contact.id) });
		}
	}

	it('HubSpot: a deal reaching closedwon is a Purchase with its amount (a Lead Ads lead: a CRM event too), qualifiedtobuy a Lead; other stages, other properties, a retry and forged or stale deliveries send nothing', async () => {
		const before = meta.received.flatMap((r) => r.body.data).length;
		const hana = {
			id: 5101,
			properties: {
				email: 'Hana.Kim@Example.com',
				phone: '+82 10-1234-5678',
				firstname: 'Hana',
				lastname: 'Kim',
				meta_lead_id: '123456789012345',
			},
		};
		const ivo = {
			id: 5102,
			properties: { email: 'ivo@petrov.example', phone: '', firstname: 'Ivo', lastname: 'Petrov' },
		};
		seedDeal(
			9001,
			{ dealname: 'Hana: annual plan', amount: '1250.50', deal_currency_code: 'EUR', dealstage: 'closedwon' },
			hana,
		);
		seedDeal(
			9002,
			{ dealname: 'Ivo: pilot', amount: '300', deal_currency_code: 'EUR', dealstage: 'qualifiedtobuy' },
			ivo,
		);
		seedDeal(9003, { dealname: 'No contact', amount: '80', deal_currency_code: 'USD', dealstage: 'closedwon' });
		seedDeal(
			9004,
			{ dealname: 'Early', amount: '10', dealstage: 'appointmentscheduled' },
			{ id: 5104, properties: { email: 'early@example.com' } },
		);
		const batch = [
			stageEvent(1, 9001, 'closedwon'),
			stageEvent(2, 9002, 'qualifiedtobuy'),
			stageEvent(3, 9003, 'closedwon'),
			stageEvent(4, 9004, 'appointmentscheduled'),
			stageEvent(5, 9004, '10', { propertyName: 'amount' }),
		];
		// Forged, stale, or signed for another URL: refused before anything is read or sent.
		expect(await hubspotHook(batch, { secret: '00000000-0000-4000-8000-000000000000' })).toBe(401);
		expect(await hubspotHook(batch, { ts: Date.now() - 10 * 60_000 })).toBe(401);
		expect(await hubspotHook(batch, { url: 'https://elsewhere.example.com/webhook/crm-deal-stage' })).toBe(401);
		expect(hubspot.received).toHaveLength(0);

		expect(await hubspotHook(batch)).toBe(200);
		const events = await eventually(async () => {
			const all = meta.received.flatMap((r) => r.body.data).slice(before);
			expect(all).toHaveLength(2);
			return all as Array<Record<string, unknown>>;
		}, 30_000);
		const byId = Object.fromEntries(events.map((e) => [e.event_id, e]));
		expect(Object.keys(byId).sort()).toEqual(['hubspot:deal:9001:Purchase', 'hubspot:deal:9002:Lead']);
		expect(byId['hubspot:deal:9001:Purchase']).toEqual(
			expect.objectContaining({
				event_name: 'Purchase',
				action_source: 'system_generated',
				event_time: Math.floor(batch[0].occurredAt / 1000),
				user_data: {
					em: [sha('hana.kim@example.com')],
					ph: [sha('821012345678')],
					fn: [sha('hana')],
					ln: [sha('kim')],
					external_id: [sha('hubspot:5101')],
					lead_id: '123456789012345',
				},
				custom_data: { value: 1250.5, currency: 'EUR', event_source: 'crm', lead_event_source: 'HubSpot' },
			}),
		);
		expect(byId['hubspot:deal:9002:Lead']).toEqual(
			expect.objectContaining({
				event_name: 'Lead',
				action_source: 'system_generated',
				user_data: {
					em: [sha('ivo@petrov.example')],
					fn: [sha('ivo')],
					ln: [sha('petrov')],
					external_id: [sha('hubspot:5102')],
				},
			}),
		);
		expect(byId['hubspot:deal:9002:Lead']).not.toHaveProperty('custom_data');
		// Read with the private app's token: the three matching deals, then the two contacts (9003 has none).
		const reads = hubspot.received.map((r) => `${r.method} ${r.path}`);
		expect(reads.sort()).toEqual([
			'GET /crm/v3/objects/contacts/5101',
			'GET /crm/v3/objects/contacts/5102',
			'GET /crm/v3/objects/deals/9001',
			'GET /crm/v3/objects/deals/9002',
			'GET /crm/v3/objects/deals/9003',
		]);
		expect(hubspot.received.every((r) => r.headers.authorization === `Bearer ${HUBSPOT_TOKEN}`)).toBe(true);

		// HubSpot retrying the same delivery: the relay recognises the event ids.
		expect(await hubspotHook(batch.map((e) => ({ ...e, attemptNumber: 1 })))).toBe(200);
		await eventually(async () => expect(hubspot.received.length).toBeGreaterThanOrEqual(10), 30_000);
		await new Promise((r) => setTimeout(r, 1500));
		expect(meta.received.flatMap((r) => r.body.data).slice(before)).toHaveLength(2);
	});
});
