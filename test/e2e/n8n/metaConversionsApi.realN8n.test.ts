import { createHash } from 'node:crypto';
import { startMetaDouble } from '../../support/metaDouble';
import { startRealN8n, type RealN8n } from '../../support/realN8n';
import { eventually, startRelay, type TestRelay } from '../../support/relayServer';

// Each run is `n8n execute`, a whole n8n start: about 10 s alone, past 30 s on a loaded 2-core
// machine, and some tests run it twice.
jest.setTimeout(180_000);

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const PEOPLE = [
	{ email: 'John_Smith@gmail.com', phone: '(650)555-1212', country: 'US', value: 29.99, order: 'n8n-1001' },
	{ email: 'mary@example.com', phone: '', country: 'GB', value: 10, order: 'n8n-1002' },
	{ email: ' Ana.Souza@Example.com ', phone: '+55 11 91234-5678', country: 'BR', value: 5.5, order: 'n8n-1003' },
];

function workflow(id: string, delivery: 'direct' | 'relay') {
	const credentials =
		delivery === 'direct'
			? { metaConversionRelayApi: { id: 'meta-double', name: 'Meta double' } }
			: { conversionRelayApi: { id: 'relay-local', name: 'Relay service' } };
	return {
		id,
		name: `Meta Conversions API (${delivery})`,
		active: false,
		settings: {},
		nodes: [
			{
				id: `${id}-1`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-2`,
				name: 'Customers',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: `return ${JSON.stringify(PEOPLE.map((json) => ({ json })))};` },
			},
			{
				id: `${id}-3`,
				name: 'Meta',
				type: 'n8n-nodes-conversion-relay.metaConversionsApi',
				typeVersion: 1,
				position: [440, 0],
				credentials,
				parameters: {
					delivery,
					resource: 'event',
					operation: 'send',
					pixelId: '123456',
					eventName: 'Purchase',
					actionSource: 'system_generated',
					eventId: '={{ $json.order }}',
					userData: { email: '={{ $json.email }}', phone: '={{ $json.phone }}', country: '={{ $json.country }}' },
					customData: { value: '={{ $json.value }}', currency: 'usd' },
					options: {},
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
			Customers: { main: [[{ node: 'Meta', type: 'main', index: 0 }]] },
		},
	};
}

/** The same customers already shaped as events, read by the node itself (Map Fields → Map Automatically). */
function autoWorkflow(id: string) {
	const wf = workflow(id, 'direct');
	const events = PEOPLE.map((p) => ({
		json: {
			email: p.email,
			phone: p.phone,
			user_data: { country: p.country },
			value: p.value,
			currency: 'usd',
			event_id: p.order,
		},
	}));
	wf.name = 'Meta Conversions API (Map Automatically)';
	wf.nodes[1].parameters = { jsCode: `return ${JSON.stringify(events)};` };
	wf.nodes[2].parameters = {
		delivery: 'direct',
		resource: 'event',
		operation: 'send',
		mapping: 'auto',
		pixelId: '123456',
		eventName: 'Purchase',
		actionSource: 'system_generated',
		options: {},
	} as never;
	return wf;
}

// The package's nodes in a real n8n 2.x, executed headless against local doubles.
describe('Meta Conversions API node in a real n8n', () => {
	let n8n: RealN8n;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let relay: TestRelay;
	beforeAll(async () => {
		meta = await startMetaDouble();
		relay = await startRelay('pglite', { META_ACCESS_TOKEN: 'EAAB-relay-token', META_GRAPH_URL: meta.url });
		n8n = await startRealN8n();
		await n8n.importCredentials([
			{
				id: 'meta-double',
				name: 'Meta double',
				type: 'metaConversionRelayApi',
				data: { accessToken: 'EAAB-n8n-token', appSecret: '', apiVersion: 'v25.0', baseUrl: meta.url },
			},
			{
				id: 'relay-local',
				name: 'Relay service',
				type: 'conversionRelayApi',
				data: { baseUrl: relay.url, apiSecret: relay.apiSecret },
			},
		]);
		await n8n.importWorkflow(workflow('e2eMetaDirect01', 'direct'));
		await n8n.importWorkflow(workflow('e2eMetaRelay001', 'relay'));
		await n8n.importWorkflow(autoWorkflow('e2eMetaAuto0001'));
	}, 45 * 60_000);
	afterAll(async () => {
		await n8n?.close();
		await relay?.close();
		await meta?.close();
	});

	it('direct: one request with the three events, hashed exactly as Meta specifies; a result per item', async () => {
		const run = await n8n.execute('e2eMetaDirect01');
		expect(run.error).toBeUndefined();
		expect(run.status).toBe('success');
		expect(meta.received).toHaveLength(1);
		const sent = meta.received[0];
		expect(sent.path).toBe('/v25.0/123456/events');
		expect(sent.headers.authorization).toBe('Bearer EAAB-n8n-token');
		expect(sent.body.data).toEqual([
			expect.objectContaining({
				event_name: 'Purchase',
				event_id: 'n8n-1001',
				action_source: 'system_generated',
				user_data: {
					em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'],
					ph: ['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'],
					country: [sha('us')],
				},
				custom_data: { value: 29.99, currency: 'USD' },
			}),
			expect.objectContaining({
				event_id: 'n8n-1002',
				user_data: { em: [sha('mary@example.com')], country: [sha('gb')] },
			}),
			expect.objectContaining({
				event_id: 'n8n-1003',
				user_data: { em: [sha('ana.souza@example.com')], ph: [sha('5511912345678')], country: [sha('br')] },
			}),
		]);
		const out = run.output.Meta;
		expect(out).toHaveLength(3);
		// Each item: its own outcome; Meta's count for the one request once, on its first item.
		expect(out.map((i) => i.json.received)).toEqual([true, true, true]);
		expect(out.map((i) => i.json.batch ?? null)).toEqual([
			{ events_sent: 3, events_received: 3, messages: [] },
			null,
			null,
		]);
		expect(out.map((i) => i.json.event_id)).toEqual(['n8n-1001', 'n8n-1002', 'n8n-1003']);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('Map Automatically: items that are events give the same request as mapped fields', async () => {
		const before = meta.received.length;
		const run = await n8n.execute('e2eMetaAuto0001');
		expect(run.error).toBeUndefined();
		expect(meta.received.length - before).toBe(1);
		const sent = meta.received[before].body.data;
		expect(sent.map((e) => ({ ...e, event_time: 0 }))).toEqual(
			meta.received[0].body.data.map((e) => ({ ...e, event_time: 0 })),
		);
		expect(run.output.Meta.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('through the relay service: signed, stored hashed, then delivered by the service', async () => {
		const before = meta.received.length;
		const run = await n8n.execute('e2eMetaRelay001');
		expect(run.error).toBeUndefined();
		const out = run.output.Meta;
		expect(out.map((i) => i.json.status)).toEqual(['queued', 'queued', 'queued']);
		expect(out.every((i) => typeof i.json.relay_event_id === 'string')).toBe(true);
		await eventually(async () =>
			expect(meta.received.slice(before).flatMap((r) => r.body.data.map((e) => e.event_id))).toEqual([
				'n8n-1001',
				'n8n-1002',
				'n8n-1003',
			]),
		);
		expect(meta.received[before].headers.authorization).toBe('Bearer EAAB-relay-token');
		expect(JSON.stringify(meta.received.slice(before))).not.toContain('example.com');
	});
});
