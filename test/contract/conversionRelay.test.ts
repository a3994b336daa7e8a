import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { ConversionRelayApi } from '../../credentials/ConversionRelayApi.credentials';
import { ConversionRelay } from '../../nodes/ConversionRelay/ConversionRelay.node';
import { MetaConversionsApi } from '../../nodes/MetaConversionsApi/MetaConversionsApi.node';
import { executeContext } from '../support/executeContext';
import { startMetaDouble } from '../support/metaDouble';
import { eventually, startRelay, type TestRelay } from '../support/relayServer';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const credential = new ConversionRelayApi();

// The nodes against the real relay service (PGlite) and a Meta double behind it: signed requests,
// hashed events, per-item results and errors.
describe('Conversion Relay node and the Meta node in relay mode → the relay service', () => {
	let relay: TestRelay;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	beforeAll(async () => {
		meta = await startMetaDouble();
		relay = await startRelay('pglite', { META_ACCESS_TOKEN: 'EAAB-test-token', META_GRAPH_URL: meta.url });
	});
	afterAll(async () => {
		await relay.close();
		await meta.close();
	});

	const people = [
		{ email: 'Relay.One@Example.com', phone: '+1 650 555 1212', order: 'r-1', value: 20 },
		{ email: 'not-an-email', phone: '', order: 'r-2', value: 5 },
		{ email: 'relay.three@example.com', phone: '', order: 'r-3', value: 7.5 },
	];

	function context(
		params: Record<string, unknown>,
		extra: { secret?: string; continueOnFail?: boolean; items?: IDataObject[] } = {},
	) {
		const items = extra.items ?? people;
		return executeContext({
			items: items.map((json) => ({ json })),
			credentials: { baseUrl: `${relay.url}/`, apiSecret: extra.secret ?? relay.apiSecret },
			authenticateRequest: credential.authenticate,
			continueOnFail: extra.continueOnFail,
			params: {
				resource: 'event',
				pixelId: '123456',
				eventName: 'Purchase',
				actionSource: 'system_generated',
				eventTime: '',
				eventId: (i: number) => people[i].order,
				eventSourceUrl: '',
				userData: (i: number) => ({ email: people[i].email, phone: people[i].phone }),
				customData: (i: number) => ({ value: people[i].value, currency: 'usd' }),
				options: {},
				...params,
			},
		});
	}

	it('sends hashed events, signed; the invalid item fails alone with the reason; Meta receives them via the service', async () => {
		const ctx = context({ operation: 'send' }, { continueOnFail: true });
		const [out] = await new ConversionRelay().execute.call(ctx);
		expect(out).toHaveLength(3);
		expect(out[0].json).toMatchObject({
			status: 'queued',
			duplicate: false,
			event_id: 'r-1',
			user_data: { em: [sha('relay.one@example.com')], ph: [sha('16505551212')] },
		});
		expect(out[1].json.error).toMatch(/^Item 1: Purchase \(event_id r-2\): user_data has no customer information/);
		expect(out[2].json).toMatchObject({ status: 'queued', event_id: 'r-3' });
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// What left n8n: signed, no secret, no raw e-mail.
		const sent = ctx.requests[0].options;
		expect((sent.headers as Record<string, string>)['x-relay-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
		expect(JSON.stringify(sent)).not.toContain(relay.apiSecret);
		expect(String(sent.body)).not.toContain('Example.com');
		await eventually(async () =>
			expect(meta.received.flatMap((r) => r.body.data.map((e) => e.event_id))).toEqual(['r-1', 'r-3']),
		);

		const id = out[0].json.relay_event_id as string;
		const [got] = await new ConversionRelay().execute.call(
			context({ operation: 'get', relayEventId: id }, { items: [{}] }),
		);
		await eventually(async () => {
			const [again] = await new ConversionRelay().execute.call(
				context({ operation: 'get', relayEventId: id }, { items: [{}] }),
			);
			expect(again[0].json).toMatchObject({ id, status: 'sent', events_received: 2 });
		});
		expect(got[0].json.id).toBe(id);
	});

	it('lists events page by page and retries only dead ones (409 otherwise, with the service message)', async () => {
		const [listed] = await new ConversionRelay().execute.call(
			context({ operation: 'list', status: '', returnAll: true }, { items: [{}] }),
		);
		expect(listed.map((l) => l.json.event_id).sort()).toEqual(['r-1', 'r-3']);
		const [limited] = await new ConversionRelay().execute.call(
			context({ operation: 'list', status: 'sent', returnAll: false, limit: 1 }, { items: [{}] }),
		);
		expect(limited).toHaveLength(1);
		const [retried] = await new ConversionRelay().execute.call(
			context({ operation: 'retry', relayEventId: listed[0].json.id }, { items: [{}], continueOnFail: true }),
		);
		expect(retried[0].json.error).toBe('only dead events can be retried; this one is sent');
		await expect(
			new ConversionRelay().execute.call(
				context({ operation: 'get', relayEventId: '00000000-0000-0000-0000-000000000000' }, { items: [{}] }),
			),
		).rejects.toThrow('no event with this id');
	});

	it('fails every item with the service message when the secret is wrong', async () => {
		const ctx = context(
			{ operation: 'send' },
			{ secret: 'wrong-secret-wrong-secret', continueOnFail: true, items: [people[0]] },
		);
		const [out] = await new ConversionRelay().execute.call(ctx);
		expect(out[0].json.error).toBe('request signature rejected: mismatch');
	});

	it('Meta node, delivery "Through the Relay Service": the same events go to the service, not to Meta', async () => {
		const before = meta.received.length;
		const ctx = context(
			{ operation: 'send', delivery: 'relay', eventId: (i: number) => `m-${i}`, eventName: 'Lead' },
			{ continueOnFail: true },
		);
		const [out] = await new MetaConversionsApi().execute.call(ctx);
		expect(out.map((o) => o.json.status ?? 'error')).toEqual(['queued', 'error', 'queued']);
		expect(ctx.requests.every((r) => r.options.url.startsWith(relay.url))).toBe(true);
		await eventually(async () =>
			expect(
				meta.received.slice(before).flatMap((r) => r.body.data.map((e) => `${e.event_name}:${e.event_id}`)),
			).toEqual(['Lead:m-0', 'Lead:m-2']),
		);
	});

	it('Map Automatically: the items are the events, hashed in n8n and stored by the service', async () => {
		const items = [
			{ event_name: 'Lead', email: 'Auto.One@Example.com', event_id: 'auto-1', user_data: { country: 'US' } },
			{ event_name: { not: 'text' }, email: 'auto.two@example.com', event_id: 'auto-2' },
		];
		const ctx = context({ operation: 'send', mapping: 'auto' }, { continueOnFail: true, items });
		const [out] = await new ConversionRelay().execute.call(ctx);
		expect(out[0].json).toMatchObject({
			status: 'queued',
			event_name: 'Lead',
			event_id: 'auto-1',
			user_data: { em: [sha('auto.one@example.com')], country: [sha('us')] },
		});
		expect(out[1].json.error).toBe('Item 1: event_name: must be text, not object');
		expect(String(ctx.requests[0].options.body)).not.toContain('Example.com');
	});
});
