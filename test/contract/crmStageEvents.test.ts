import { createHash } from 'node:crypto';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { ConversionRelayApi } from '../../credentials/ConversionRelayApi.credentials';
import { ConversionRelay } from '../../nodes/ConversionRelay/ConversionRelay.node';
import { MetaConversionsApi } from '../../nodes/MetaConversionsApi/MetaConversionsApi.node';
import { sendFields } from '../../nodes/shared/event/fields';
import { executeContext } from '../support/executeContext';
import { startMetaDouble } from '../support/metaDouble';
import { eventually, startRelay, type TestRelay } from '../support/relayServer';

const GRAPH = 'https://graph.test';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const NOW = Math.floor(Date.now() / 1000);

// CRM stages of Lead Ads leads, as a CRM hands them to n8n: the Lead ID as the CRM keeps it.
const leads: Array<{ lead_id: string; email: string; stage: string }> = [
	{ lead_id: '1234567890123456', email: 'Ana@Example.com', stage: 'Sales Opportunity' },
	{ lead_id: 'crm-8812', email: 'ivo@example.com', stage: 'Sales Opportunity' },
	{ lead_id: '123456789012345', email: 'lee@example.com', stage: 'Converted' },
];

/** Map Each Field Below, with the CRM fields of Custom Data: what the CRM workflow sets. One item a run. */
const crmParams = (i: number) => ({
	resource: 'event',
	operation: 'send',
	pixelId: '123456',
	eventName: '__custom',
	customEventName: leads[i].stage,
	actionSource: 'system_generated',
	eventTime: String(NOW - 60),
	eventId: `crm:${i}:${leads[i].stage}`,
	eventSourceUrl: '',
	userData: { email: leads[i].email, leadId: leads[i].lead_id },
	customData: { eventSource: 'crm', leadEventSource: 'HubSpot' },
	options: {},
});

/** Map Automatically: each item is the event, in Meta's own keys. */
const autoItem = (i: number): IDataObject => ({
	event_name: leads[i].stage,
	event_time: NOW - 60,
	event_id: `crm:${i}:${leads[i].stage}`,
	email: leads[i].email,
	user_data: { lead_id: leads[i].lead_id },
	custom_data: { event_source: 'crm', lead_event_source: 'HubSpot' },
});
const autoParams = {
	resource: 'event',
	operation: 'send',
	pixelId: '123456',
	mapping: 'auto',
	eventName: 'Lead',
	actionSource: 'system_generated',
	options: {},
};

const expected = (i: number) => ({
	event_name: leads[i].stage,
	event_time: NOW - 60,
	action_source: 'system_generated',
	user_data: { lead_id: leads[i].lead_id, em: [sha(leads[i].email.toLowerCase())] },
	event_id: `crm:${i}:${leads[i].stage}`,
	custom_data: { event_source: 'crm', lead_event_source: 'HubSpot' },
});

describe('the shared event fields offer the CRM fields', () => {
	const customData = sendFields.find((f) => f.name === 'customData');
	const userData = sendFields.find((f) => f.name === 'userData');
	it('Custom Data → Event Source (CRM) and Lead Event Source; Customer Information → Lead ID, described', () => {
		const options = (customData?.options ?? []) as Array<{ name: string; displayName: string; options?: unknown }>;
		expect(options.find((o) => o.name === 'eventSource')).toMatchObject({
			displayName: 'Event Source',
			options: [expect.objectContaining({ name: 'CRM', value: 'crm' })],
		});
		expect(options.find((o) => o.name === 'leadEventSource')).toMatchObject({ displayName: 'Lead Event Source' });
		const leadId = ((userData?.options ?? []) as Array<{ name: string; description?: string }>).find(
			(o) => o.name === 'leadId',
		);
		expect(leadId?.description).toMatch(/unhashed/);
	});
});

describe('Meta Conversions API node → a CRM stage event', () => {
	afterEach(() => nock.cleanAll());
	beforeAll(() => nock.disableNetConnect());
	afterAll(() => nock.enableNetConnect());

	const metaContext = (items: IDataObject[], params: Record<string, unknown>, continueOnFail = false) =>
		executeContext({
			items: items.map((json) => ({ json })),
			credentials: { accessToken: 'TOKEN', apiVersion: 'v25.0', baseUrl: `${GRAPH}/`, appSecret: '' },
			continueOnFail,
			params,
		});

	it('Map Each Field Below: sends the lead id unhashed and the CRM fields; a lead id that is not one fails, naming it', async () => {
		const scope = nock(GRAPH)
			.post('/v25.0/123456/events', { data: [expected(0)] })
			.reply(200, { events_received: 1, messages: [], fbtrace_id: 'CRM1' });
		const [sent] = await new MetaConversionsApi().execute.call(metaContext([leads[0]], crmParams(0)));
		expect(scope.isDone()).toBe(true);
		expect(sent[0].json).toMatchObject({ received: true, user_data: expected(0).user_data });
		await expect(new MetaConversionsApi().execute.call(metaContext([leads[1]], crmParams(1)))).rejects.toThrow(
			'Item 0: Sales Opportunity (event_id crm:1:Sales Opportunity): user_data.lead_id must be the Lead Ads lead id: digits only (15 to 17 digits)',
		);
	});

	it('Map Automatically: the same from the items; the bad lead id fails its own item only', async () => {
		const scope = nock(GRAPH)
			.post('/v25.0/123456/events', { data: [expected(0), expected(2)] })
			.reply(200, { events_received: 2, messages: [], fbtrace_id: 'CRM2' });
		const [out] = await new MetaConversionsApi().execute.call(metaContext([0, 1, 2].map(autoItem), autoParams, true));
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => o.json.received ?? o.json.error)).toEqual([
			true,
			'Item 1: Sales Opportunity (event_id crm:1:Sales Opportunity): user_data.lead_id must be the Lead Ads lead id: digits only (15 to 17 digits)',
			true,
		]);
	});

	it('refuses Event Source CRM without a Lead Event Source or with another action source, before sending', async () => {
		const ctx = metaContext([leads[0]], {
			...crmParams(0),
			actionSource: 'website',
			customData: { eventSource: 'crm' },
		});
		await expect(new MetaConversionsApi().execute.call(ctx)).rejects.toThrow(
			/lead_event_source \(the CRM's name, e\.g\. HubSpot\) is required with event_source crm; .*action_source must be system_generated for CRM events/,
		);
		expect(ctx.requests).toHaveLength(0);
	});
});

describe('Conversion Relay node → Send: a CRM stage event through the relay service', () => {
	let relay: TestRelay;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	beforeAll(async () => {
		meta = await startMetaDouble();
		relay = await startRelay('pglite', { META_ACCESS_TOKEN: 'EAAB-crm-node', META_GRAPH_URL: meta.url });
	});
	afterAll(async () => {
		await relay.close();
		await meta.close();
	});

	const relayContext = (items: IDataObject[], params: Record<string, unknown>) =>
		executeContext({
			items: items.map((json) => ({ json })),
			credentials: { baseUrl: `${relay.url}/`, apiSecret: relay.apiSecret },
			authenticateRequest: new ConversionRelayApi().authenticate,
			continueOnFail: true,
			params,
		});

	it('the service stores and delivers the lead id unhashed with the CRM fields, from either mapping', async () => {
		const [manual] = await new ConversionRelay().execute.call(relayContext([leads[0]], crmParams(0)));
		expect(manual[0].json).toMatchObject({ status: 'queued', user_data: expected(0).user_data });
		const [auto] = await new ConversionRelay().execute.call(relayContext([1, 2].map(autoItem), autoParams));
		expect(auto.map((o) => o.json.status ?? o.json.error)).toEqual([
			expect.stringMatching(/^Item 0: .*user_data\.lead_id must be the Lead Ads lead id/),
			'queued',
		]);
		const received = await eventually(async () => {
			const all = meta.received.flatMap((r) => r.body.data);
			expect(all).toHaveLength(2);
			return all;
		});
		expect(received).toEqual([expect.objectContaining(expected(0)), expect.objectContaining(expected(2))]);
	});
});
