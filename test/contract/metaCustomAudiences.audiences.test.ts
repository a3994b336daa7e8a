import { createHmac } from 'node:crypto';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { MetaCustomAudiences } from '../../nodes/MetaCustomAudiences/MetaCustomAudiences.node';
import { DEFAULT_AUDIENCE_FIELDS } from '../../nodes/MetaCustomAudiences/actions/audience/fields';
import { executeContext } from '../support/executeContext';

const GRAPH = 'https://graph.test';

function context(
	operation: string,
	params: Record<string, unknown>,
	extra: { items?: number; continueOnFail?: boolean; appSecret?: string } = {},
) {
	return executeContext({
		items: Array.from({ length: extra.items ?? 1 }, () => ({ json: {} })),
		credentials: { accessToken: 'TOKEN', apiVersion: 'v25.0', baseUrl: GRAPH, appSecret: extra.appSecret ?? '' },
		continueOnFail: extra.continueOnFail,
		params: { resource: 'audience', operation, ...params },
	});
}

const run = (ctx: ReturnType<typeof context>) => new MetaCustomAudiences().execute.call(ctx);

afterEach(() => nock.cleanAll());
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('Meta Custom Audiences node → audience', () => {
	it('creates a customer-list audience with the exact body, per item, with or without act_', async () => {
		const names = ['Shopify – new customers', 'Shopify – existing'];
		const scope = nock(GRAPH, { reqheaders: { authorization: 'Bearer TOKEN' } })
			.post('/v25.0/act_1234567890/customaudiences', {
				name: names[0],
				subtype: 'CUSTOM',
				customer_file_source: 'USER_PROVIDED_ONLY',
				description: 'From n8n',
			})
			.reply(200, { id: '2385000001' })
			.post('/v25.0/act_1234567890/customaudiences', {
				name: names[1],
				subtype: 'CUSTOM',
				customer_file_source: 'BOTH_USER_AND_PARTNER_PROVIDED',
			})
			.reply(200, { id: '2385000002' });
		const [out] = await run(
			context(
				'create',
				{
					adAccountId: (i: number) => (i === 0 ? 'act_1234567890' : '1234567890'),
					name: (i: number) => names[i],
					customerFileSource: (i: number) => (i === 0 ? 'USER_PROVIDED_ONLY' : 'BOTH_USER_AND_PARTNER_PROVIDED'),
					description: (i: number) => (i === 0 ? 'From n8n' : ''),
				},
				{ items: 2 },
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{
				json: {
					id: '2385000001',
					name: names[0],
					subtype: 'CUSTOM',
					customer_file_source: 'USER_PROVIDED_ONLY',
					description: 'From n8n',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					id: '2385000002',
					name: names[1],
					subtype: 'CUSTOM',
					customer_file_source: 'BOTH_USER_AND_PARTNER_PROVIDED',
					description: null,
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('signs with appsecret_proof when the credential has an app secret', async () => {
		const proof = createHmac('sha256', 'APPSECRET').update('TOKEN').digest('hex');
		const scope = nock(GRAPH)
			.post('/v25.0/act_1/customaudiences', {
				name: 'A',
				subtype: 'CUSTOM',
				customer_file_source: 'USER_PROVIDED_ONLY',
				appsecret_proof: proof,
			})
			.reply(200, { id: '9' });
		await run(
			context(
				'create',
				{ adAccountId: '1', name: 'A', customerFileSource: 'USER_PROVIDED_ONLY', description: '' },
				{ appSecret: 'APPSECRET' },
			),
		);
		expect(scope.isDone()).toBe(true);
	});

	it('reports Meta’s message per item with continue on fail, and goes on', async () => {
		nock(GRAPH)
			.post('/v25.0/act_1/customaudiences', (b) => b.name === 'bad')
			.reply(400, {
				error: {
					message: 'Invalid parameter',
					code: 100,
					error_subcode: 1870053,
					error_user_msg: 'Audience limit reached: 500 customer-file audiences per ad account',
					fbtrace_id: 'TR',
				},
			})
			.post('/v25.0/act_1/customaudiences', (b) => b.name === 'good')
			.reply(200, { id: '77' });
		const [out] = await run(
			context(
				'create',
				{
					adAccountId: '1',
					name: (i: number) => (i === 0 ? 'bad' : 'good'),
					customerFileSource: 'USER_PROVIDED_ONLY',
					description: '',
				},
				{ items: 2, continueOnFail: true },
			),
		);
		expect(out).toEqual([
			{
				json: { error: 'Audience limit reached: 500 customer-file audiences per ad account' },
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ id: '77' }), pairedItem: { item: 1 } },
		]);
	});

	it('gets an audience with its size and status fields', async () => {
		const audience = {
			id: '2385000001',
			name: 'Buyers',
			approximate_count_lower_bound: 1000,
			approximate_count_upper_bound: 1200,
			operation_status: { code: 200, description: 'Normal' },
			delivery_status: { code: 200 },
		};
		const scope = nock(GRAPH).get('/v25.0/2385000001').query({ fields: DEFAULT_AUDIENCE_FIELDS }).reply(200, audience);
		const [out] = await run(context('get', { audienceId: '2385000001', fields: DEFAULT_AUDIENCE_FIELDS }));
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([{ json: audience, pairedItem: { item: 0 } }]);
		expect(DEFAULT_AUDIENCE_FIELDS.split(',')).toEqual(
			expect.arrayContaining([
				'id',
				'name',
				'approximate_count_lower_bound',
				'approximate_count_upper_bound',
				'operation_status',
				'delivery_status',
			]),
		);
	});

	it('fails the run with Meta’s message when an audience does not exist', async () => {
		nock(GRAPH)
			.get('/v25.0/42')
			.query(true)
			.reply(400, {
				error: {
					message: "Unsupported get request. Object with ID '42' does not exist",
					type: 'GraphMethodException',
					code: 100,
					error_subcode: 33,
					fbtrace_id: 'X',
				},
			});
		await expect(run(context('get', { audienceId: '42', fields: 'id' }))).rejects.toThrow(
			"Unsupported get request. Object with ID '42' does not exist",
		);
	});

	it('retries an HTTP 429 and then reads the audience', async () => {
		const scope = nock(GRAPH)
			.get('/v25.0/5')
			.query(true)
			.reply(429, '', { 'Retry-After': '0' })
			.get('/v25.0/5')
			.query(true)
			.reply(200, { id: '5' });
		const [out] = await run(context('get', { audienceId: '5', fields: 'id' }));
		expect(scope.isDone()).toBe(true);
		expect(out[0].json).toEqual({ id: '5' });
	});

	it('stops at a permission error without retrying', async () => {
		const scope = nock(GRAPH)
			.get('/v25.0/5')
			.query(true)
			.reply(403, {
				error: { message: '(#200) Ad account owner has NOT grant ads_management or ads_read permission', code: 200 },
			});
		await expect(run(context('get', { audienceId: '5', fields: 'id' }))).rejects.toThrow(
			'(#200) Ad account owner has NOT grant ads_management or ads_read permission',
		);
		expect(scope.isDone()).toBe(true);
	});

	it('lists all audiences across pages by Meta’s after cursor', async () => {
		const page = (from: number, n: number) =>
			Array.from({ length: n }, (_, k) => ({ id: String(from + k), name: `A${from + k}` }));
		const scope = nock(GRAPH)
			.get('/v25.0/act_1/customaudiences')
			.query({ fields: 'id,name', limit: '100' })
			.reply(200, { data: page(1, 100), paging: { cursors: { before: 'B1', after: 'C1' }, next: `${GRAPH}/next1` } })
			.get('/v25.0/act_1/customaudiences')
			.query({ fields: 'id,name', limit: '100', after: 'C1' })
			.reply(200, { data: page(101, 20), paging: { cursors: { before: 'B2', after: 'C2' } } });
		const [out] = await run(context('list', { adAccountId: 'act_1', returnAll: true, fields: 'id,name' }));
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => (o.json as IDataObject).id)).toEqual(page(1, 120).map((a) => a.id));
		expect(out.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('lists up to the limit and stops paging', async () => {
		const scope = nock(GRAPH)
			.get('/v25.0/act_1/customaudiences')
			.query({ fields: DEFAULT_AUDIENCE_FIELDS, limit: '3' })
			.reply(200, {
				data: [{ id: '1' }, { id: '2' }, { id: '3' }],
				paging: { cursors: { after: 'C1' }, next: `${GRAPH}/next` },
			});
		const [out] = await run(
			context('list', { adAccountId: '1', returnAll: false, limit: 3, fields: DEFAULT_AUDIENCE_FIELDS }),
		);
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => o.json.id)).toEqual(['1', '2', '3']);
	});

	it('deletes an audience', async () => {
		const ctx = context('delete', { audienceId: '2385000001' });
		const scope = nock(GRAPH, { reqheaders: { authorization: 'Bearer TOKEN' } })
			.delete('/v25.0/2385000001')
			.reply(200, { success: true });
		const [out] = await run(ctx);
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([{ json: { id: '2385000001', deleted: true }, pairedItem: { item: 0 } }]);
		expect(ctx.requests[0].options.url).toBe(`${GRAPH}/v25.0/2385000001`);
	});

	it('refuses an ad account or audience id that is not a number without calling Meta', async () => {
		await expect(run(context('list', { adAccountId: 'act_12/../me', returnAll: true, fields: 'id' }))).rejects.toThrow(
			'Ad account ID must be digits only, not "12/../me"',
		);
		await expect(run(context('delete', { audienceId: 'me' }))).rejects.toThrow(
			'Audience ID must be digits only, not "me"',
		);
	});
});
