import { createHash, createHmac } from 'node:crypto';
import nock from 'nock';
import { NodeHelpers, type IDataObject } from 'n8n-workflow';
import { ConversionRelay } from '../../nodes/ConversionRelay/ConversionRelay.node';
import { MetaConversionsApi } from '../../nodes/MetaConversionsApi/MetaConversionsApi.node';
import { executeContext } from '../support/executeContext';

const GRAPH = 'https://graph.test';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const NOW = Math.floor(Date.now() / 1000);

const customers = [
	{ email: 'John_Smith@gmail.com', phone: '(650)555-1212', country: 'US', order: '1001', value: 29.99 },
	{ email: 'mary@example.com', phone: '', country: 'GB', order: '1002', value: 10 },
	{ email: 'bad@example.com', phone: '+44 7700 900123', country: 'GB', order: 'bad', value: 5 },
];

function context(extra: { continueOnFail?: boolean; appSecret?: string; params?: Record<string, unknown> } = {}) {
	return executeContext({
		items: customers.map((c) => ({ json: c })),
		credentials: { accessToken: 'TOKEN', apiVersion: 'v25.0', baseUrl: `${GRAPH}/`, appSecret: extra.appSecret ?? '' },
		continueOnFail: extra.continueOnFail,
		params: {
			resource: 'event',
			operation: 'send',
			pixelId: '123456',
			eventName: 'Purchase',
			actionSource: 'system_generated',
			eventTime: String(NOW),
			eventId: (i: number) => customers[i].order,
			eventSourceUrl: '',
			userData: (i: number) => ({
				email: customers[i].email,
				phone: customers[i].phone,
				country: customers[i].country,
			}),
			customData: (i: number) => ({ value: customers[i].value, currency: 'usd' }),
			options: {},
			...extra.params,
		},
	});
}

function expectedEvent(i: number) {
	const c = customers[i];
	const phones: Record<string, string> = { '(650)555-1212': '16505551212', '+44 7700 900123': '447700900123' };
	return {
		event_name: 'Purchase',
		event_time: NOW,
		action_source: 'system_generated',
		user_data: {
			em: [sha(c.email.toLowerCase())],
			...(c.phone ? { ph: [sha(phones[c.phone])] } : {}),
			country: [sha(c.country.toLowerCase())],
		},
		event_id: c.order,
		custom_data: { value: c.value, currency: 'USD' },
	};
}

afterEach(() => nock.cleanAll());
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('Meta Conversions API node → POST /{pixel}/events', () => {
	it('sends all items in one request with the exact hashed body and reports per item', async () => {
		const scope = nock(GRAPH, { reqheaders: { authorization: 'Bearer TOKEN' } })
			.post('/v25.0/123456/events', { data: [expectedEvent(0), expectedEvent(1), expectedEvent(2)] })
			.reply(200, { events_received: 3, messages: [], fbtrace_id: 'TRACE1' });
		const ctx = context();
		const [out] = await new MetaConversionsApi().execute.call(ctx);
		expect(scope.isDone()).toBe(true);
		expect(out).toHaveLength(3);
		// Each item says what it got; Meta's count, for the request, comes once (on its first item).
		expect(out[0]).toEqual({
			json: {
				received: true,
				fbtrace_id: 'TRACE1',
				event_name: 'Purchase',
				event_id: '1001',
				event_time: NOW,
				user_data: expectedEvent(0).user_data,
				batch: { events_sent: 3, events_received: 3, messages: [] },
			},
			pairedItem: { item: 0 },
		});
		expect(out[1]).toEqual({
			json: {
				received: true,
				fbtrace_id: 'TRACE1',
				event_name: 'Purchase',
				event_id: '1002',
				event_time: NOW,
				user_data: expectedEvent(1).user_data,
			},
			pairedItem: { item: 1 },
		});
		expect(out.map((o) => o.json.batch)).toEqual([
			{ events_sent: 3, events_received: 3, messages: [] },
			undefined,
			undefined,
		]);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// The access token travels in a header only, never in the URL.
		expect(ctx.requests[0].options.url).not.toContain('TOKEN');
	});

	it("reports each request's count once, so the batch counts add up to the items received", async () => {
		const scope = nock(GRAPH)
			.post('/v25.0/123456/events', (body) => body.data.length === 2)
			.reply(200, { events_received: 2, fbtrace_id: 'FIRST', messages: [] })
			.post('/v25.0/123456/events', (body) => body.data.length === 1)
			.reply(200, { events_received: 1, fbtrace_id: 'SECOND', messages: ['a warning'] });
		const [out] = await new MetaConversionsApi().execute.call(context({ params: { options: { batchSize: 2 } } }));
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => [o.json.received, o.json.fbtrace_id, o.json.batch ?? null])).toEqual([
			[true, 'FIRST', { events_sent: 2, events_received: 2, messages: [] }],
			[true, 'FIRST', null],
			[true, 'SECOND', { events_sent: 1, events_received: 1, messages: ['a warning'] }],
		]);
		const counted = out.reduce(
			(sum, o) => sum + ((o.json.batch as { events_received?: number } | undefined)?.events_received ?? 0),
			0,
		);
		expect(counted).toBe(out.filter((o) => o.json.received === true).length);
		for (const o of out) expect(o.json).not.toHaveProperty('events_received');
	});

	it('says received: false for a repeat of an event earlier in the run, which is not sent', async () => {
		const scope = nock(GRAPH)
			.post('/v25.0/123456/events', (body) => body.data.length === 2)
			.reply(200, { events_received: 2, fbtrace_id: 'T' });
		const [out] = await new MetaConversionsApi().execute.call(
			context({ params: { eventId: (i: number) => (i === 2 ? '1001' : customers[i].order) } }),
		);
		expect(scope.isDone()).toBe(true);
		expect(out[2].json).toEqual({ received: false, duplicate: true, event_name: 'Purchase', event_id: '1001' });
	});

	it('adds appsecret_proof when the credential has an app secret', async () => {
		const proof = createHmac('sha256', 'APPSECRET').update('TOKEN').digest('hex');
		const scope = nock(GRAPH)
			.post('/v25.0/123456/events', (body) => body.appsecret_proof === proof && body.data.length === 3)
			.reply(200, { events_received: 3, fbtrace_id: 'T' });
		await new MetaConversionsApi().execute.call(context({ appSecret: 'APPSECRET' }));
		expect(scope.isDone()).toBe(true);
	});

	it('bisects a rejected batch so only the invalid event fails, with Meta’s message', async () => {
		const bodies: string[][] = [];
		nock(GRAPH)
			.post('/v25.0/123456/events')
			.times(10)
			.reply((_uri, body) => {
				const ids = (body as { data: Array<{ event_id: string }> }).data.map((e) => e.event_id);
				bodies.push(ids);
				if (ids.includes('bad')) {
					return [
						400,
						{
							error: {
								message: 'Invalid parameter',
								type: 'OAuthException',
								code: 100,
								error_subcode: 2804003,
								error_user_msg: 'The timestamp is too old',
								is_transient: false,
								fbtrace_id: 'TR',
							},
						},
					];
				}
				return [200, { events_received: ids.length, fbtrace_id: `ok-${ids.join('-')}` }];
			});
		const [out] = await new MetaConversionsApi().execute.call(context({ continueOnFail: true }));
		expect(bodies).toEqual([['1001', '1002', 'bad'], ['1001', '1002'], ['bad']]);
		expect(out.map((o) => o.json.fbtrace_id ?? o.json.error)).toEqual([
			'ok-1001-1002',
			'ok-1001-1002',
			'The timestamp is too old',
		]);
		// The request that carried the two accepted events is reported once, on its first item.
		expect(out.map((o) => o.json.batch ?? null)).toEqual([
			{ events_sent: 2, events_received: 2, messages: [] },
			null,
			null,
		]);
	});

	it('fails the run on Meta’s error without continue-on-fail', async () => {
		nock(GRAPH)
			.post('/v25.0/123456/events')
			.reply(400, {
				error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, fbtrace_id: 'X' },
			});
		await expect(new MetaConversionsApi().execute.call(context())).rejects.toThrow('Invalid OAuth access token.');
	});

	it('retries a throttled request after the time Meta asks for', async () => {
		const scope = nock(GRAPH)
			.post('/v25.0/123456/events')
			.reply(
				400,
				{ error: { message: 'User request limit reached', code: 17, is_transient: true } },
				{ 'Retry-After': '0' },
			)
			.post('/v25.0/123456/events')
			.reply(200, { events_received: 3, fbtrace_id: 'AFTER' });
		const [out] = await new MetaConversionsApi().execute.call(context());
		expect(scope.isDone()).toBe(true);
		expect(out.every((o) => o.json.fbtrace_id === 'AFTER')).toBe(true);
	});

	it('reports a locally invalid item by name and sends the others', async () => {
		const scope = nock(GRAPH)
			.post('/v25.0/123456/events', (body) => body.data.length === 2)
			.reply(200, { events_received: 2, fbtrace_id: 'T2' });
		const ctx = context({
			continueOnFail: true,
			params: { customData: (i: number) => (i === 1 ? {} : { value: 1, currency: 'EUR' }) },
		});
		const [out] = await new MetaConversionsApi().execute.call(ctx);
		expect(scope.isDone()).toBe(true);
		expect(out[1]).toEqual({
			json: {
				error:
					'Item 1: Purchase (event_id 1002): custom_data.value is required for Purchase; custom_data.currency is required for Purchase',
			},
			pairedItem: { item: 1 },
		});
	});

	it('sends a chat from a Click-to-WhatsApp ad mapped field by field as business messaging', async () => {
		const scope = nock(GRAPH)
			.post('/v25.0/123456/events', (body: { data: IDataObject[] }) => {
				const [event] = body.data;
				expect(body.data).toHaveLength(1);
				expect(event).toMatchObject({
					event_name: 'Lead',
					action_source: 'business_messaging',
					messaging_channel: 'whatsapp',
					user_data: {
						ctwa_clid:
							'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
						whatsapp_business_account_id: '104996122399160',
						ph: [sha('16505551212')],
					},
				});
				return true;
			})
			.reply(200, { events_received: 1, messages: [], fbtrace_id: 'T' });
		const ctx = context({
			params: {
				eventName: 'Lead',
				actionSource: 'business_messaging',
				messagingChannel: 'whatsapp',
				userData: () => ({
					phone: '+1 650 555 1212',
					ctwaClid:
						'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
					whatsappBusinessAccountId: '104996122399160',
				}),
			},
		});
		(ctx.getInputData() as unknown[]).splice(1);
		await new MetaConversionsApi().execute.call(ctx);
		expect(scope.isDone()).toBe(true);
	});

	it('refuses a business messaging event mapped without the ids its channel needs, naming them', async () => {
		const ctx = context({
			continueOnFail: true,
			params: {
				actionSource: 'business_messaging',
				messagingChannel: 'messenger',
				userData: () => ({ phone: '+1 650 555 1212' }),
			},
		});
		(ctx.getInputData() as unknown[]).splice(1);
		const [out] = await new MetaConversionsApi().execute.call(ctx);
		expect(String(out[0].json.error)).toMatch(/page_id|page_scoped_user_id/);
	});

	it('refuses a pixel id that is not a number without calling Meta', async () => {
		await expect(new MetaConversionsApi().execute.call(context({ params: { pixelId: 'my pixel' } }))).rejects.toThrow(
			'Pixel ID must be digits only, not "my pixel"',
		);
	});
});

describe('Meta Conversions API node → Map Automatically (each item is an event)', () => {
	const items = [
		// The flat shape, as a Set or Code node would prepare it.
		{
			email: 'John_Smith@gmail.com',
			phone: '(650)555-1212',
			event_id: '1001',
			value: 29.99,
			currency: 'usd',
			user_data: { country: 'US' },
		},
		// Meta's own shape; its own event name and action source win over the node's.
		{
			event_name: 'Lead',
			action_source: 'email',
			event_id: 'lead-7',
			event_time: NOW - 60,
			user_data: { em: 'mary@example.com', external_id: 'crm-7' },
		},
		// Not an event: user_data must be an object.
		{ email: 'x@example.com', user_data: ['not', 'an', 'object'] },
	];
	const ctx = (continueOnFail = true) =>
		executeContext({
			items: items.map((json) => ({ json })),
			credentials: { accessToken: 'TOKEN', apiVersion: 'v25.0', baseUrl: `${GRAPH}/`, appSecret: '' },
			continueOnFail,
			// No expressions at all: the node reads the items themselves.
			params: {
				resource: 'event',
				operation: 'send',
				mapping: 'auto',
				pixelId: '123456',
				eventName: 'Purchase',
				actionSource: 'system_generated',
				options: {},
			},
		});

	it("sends each item as an event, hashed as Meta specifies, with the node's event name and action source as defaults", async () => {
		let sent: { data: Array<Record<string, unknown>> } | undefined;
		const scope = nock(GRAPH)
			.post('/v25.0/123456/events', (body) => {
				sent = body;
				return true;
			})
			.reply(200, { events_received: 2, fbtrace_id: 'AUTO' });
		const [out] = await new MetaConversionsApi().execute.call(ctx());
		expect(scope.isDone()).toBe(true);
		expect(sent?.data).toEqual([
			{
				event_name: 'Purchase',
				event_time: expect.any(Number),
				action_source: 'system_generated',
				event_id: '1001',
				user_data: { em: [sha('john_smith@gmail.com')], ph: [sha('16505551212')], country: [sha('us')] },
				custom_data: { value: 29.99, currency: 'USD' },
			},
			{
				event_name: 'Lead',
				event_time: NOW - 60,
				action_source: 'email',
				event_id: 'lead-7',
				user_data: { em: [sha('mary@example.com')], external_id: [sha('crm-7')] },
			},
		]);
		expect(Math.abs((sent?.data[0].event_time as number) - Math.floor(Date.now() / 1000))).toBeLessThan(60);
		expect(out.map((o) => o.json.fbtrace_id ?? o.json.error)).toEqual([
			'AUTO',
			'AUTO',
			'Item 2: user_data: must be an object of Meta user_data keys',
		]);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('stops the run on such an item without continue-on-fail, naming it', async () => {
		nock(GRAPH).post('/v25.0/123456/events').reply(200, { events_received: 2, fbtrace_id: 'AUTO' });
		await expect(new MetaConversionsApi().execute.call(ctx(false))).rejects.toThrow(
			'Item 2: user_data: must be an object',
		);
	});
});

describe('Meta Conversions API node placed with its defaults (version 1.1)', () => {
	const meta = new MetaConversionsApi();
	// The parameters n8n gives a node placed in the editor with only the pixel and the mapping set:
	// n8n's own resolution of the description's defaults for the node's version.
	const placed = (typeVersion: number, set: IDataObject) =>
		NodeHelpers.getNodeParameters(
			meta.description.properties,
			{ pixelId: '123456', ...set },
			true,
			false,
			{ typeVersion },
			meta.description,
		) as IDataObject;
	// What this node is fed: orders, CRM rows (no page, no user agent); the third has nothing to match on.
	const orders = [
		{ email: 'ann@example.com', value: 40, currency: 'EUR', event_id: 'o-1' },
		{ phone: '+1 650 555 1212', value: 12.5, currency: 'USD', event_id: 'o-2' },
		{ value: 9, currency: 'USD', event_id: 'o-3' },
	];
	const run = (continueOnFail: boolean, params: IDataObject) =>
		executeContext({
			items: orders.map((json) => ({ json })),
			credentials: { accessToken: 'TOKEN', apiVersion: 'v25.0', baseUrl: `${GRAPH}/`, appSecret: '' },
			continueOnFail,
			params,
		});

	it('defaults Action Source to system_generated; version 1 keeps website (saved workflows omit defaults)', () => {
		expect(meta.description.defaultVersion).toBe(1.1);
		expect(placed(1.1, {}).actionSource).toBe('system_generated');
		expect(placed(1, {}).actionSource).toBe('website');
	});

	it('sends the valid events with the defaults; the invalid one fails its own item', async () => {
		let sent: Array<{ event_id: string; action_source: string }> = [];
		const scope = nock(GRAPH)
			.post('/v25.0/123456/events', (body) => {
				sent = body.data;
				return true;
			})
			.reply(200, { events_received: 2, fbtrace_id: 'DEF' });
		const [out] = await meta.execute.call(run(true, placed(1.1, { mapping: 'auto' })));
		expect(scope.isDone()).toBe(true);
		expect(sent.map((e) => [e.event_id, e.action_source])).toEqual([
			['o-1', 'system_generated'],
			['o-2', 'system_generated'],
		]);
		expect(out.map((o) => o.json.error ?? o.json.event_id)).toEqual([
			'o-1',
			'o-2',
			'Item 2: Purchase (event_id o-3): user_data has no customer information parameter to match on',
		]);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('the same with Map Each Field Below', async () => {
		const scope = nock(GRAPH)
			.post(
				'/v25.0/123456/events',
				(body) =>
					body.data.length === 2 &&
					body.data.every((e: { action_source: string }) => e.action_source === 'system_generated'),
			)
			.reply(200, { events_received: 2, fbtrace_id: 'DEF' });
		const params = {
			...placed(1.1, {}),
			eventId: (i: number) => orders[i].event_id,
			userData: (i: number) => ({
				email: (orders[i] as IDataObject).email ?? '',
				phone: (orders[i] as IDataObject).phone ?? '',
			}),
			customData: (i: number) => ({ value: orders[i].value, currency: orders[i].currency }),
		};
		const [out] = await meta.execute.call(run(true, params));
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => typeof o.json.error)).toEqual(['undefined', 'undefined', 'string']);
	});

	it('without continue-on-fail, the invalid item stops the run before anything is sent', async () => {
		const scope = nock(GRAPH).post('/v25.0/123456/events').reply(200, { events_received: 2, fbtrace_id: 'DEF' });
		await expect(meta.execute.call(run(false, placed(1.1, { mapping: 'auto' })))).rejects.toThrow(
			'Item 2: Purchase (event_id o-3): user_data has no customer information',
		);
		expect(scope.isDone()).toBe(false);
	});

	it("gives the Conversion Relay node's Send the same default", () => {
		const relay = new ConversionRelay().description;
		const params = NodeHelpers.getNodeParameters(
			relay.properties,
			{ resource: 'event', operation: 'send' },
			true,
			false,
			{ typeVersion: 1.1 },
			relay,
		) as IDataObject;
		expect([relay.defaultVersion, params.actionSource]).toEqual([1.1, 'system_generated']);
	});

	it('tells in the hint when website is right, and what it then needs', () => {
		const fields = meta.description.properties.filter((p) => p.name === 'actionSource');
		expect(fields).toHaveLength(2);
		for (const f of fields)
			expect(f.hint).toMatch(
				/Website only for an event from a visitor's browser session.*Event Source URL.*user agent/,
			);
	});
});
