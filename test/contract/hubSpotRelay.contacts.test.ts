import nock from 'nock';
import { NodeApiError, type IDataObject } from 'n8n-workflow';
import { HubSpotRelay } from '../../nodes/HubSpotRelay/HubSpotRelay.node';
import { executeContext } from '../support/executeContext';

const HUB = 'https://hubspot.test';
const UPSERT = '/crm/v3/objects/contacts/batch/upsert';

function context(
	operation: string,
	params: Record<string, unknown>,
	extra: { items?: number; continueOnFail?: boolean } = {},
) {
	return executeContext({
		items: Array.from({ length: extra.items ?? 1 }, (_, i) => ({ json: { n: i } })),
		credentials: { accessToken: 'pat-na1-TOKEN', baseUrl: HUB },
		continueOnFail: extra.continueOnFail,
		params: { resource: 'contact', operation, ...params },
	});
}

const run = (ctx: ReturnType<typeof context>) => new HubSpotRelay().execute.call(ctx);

/** The input HubSpot should receive for item i: e-mail as id and as a property, the item index as trace id. */
const input = (email: string, i: number, properties: Record<string, string> = {}) => ({
	idProperty: 'email',
	id: email,
	properties: { ...properties, email },
	objectWriteTraceId: String(i),
});

/** HubSpot's answer for an input: the record with the trace id echoed. */
const result = (id: string, trace: string, properties: IDataObject, isNew = false) => ({
	id,
	properties: { ...properties, hs_object_id: id },
	createdAt: '2026-01-05T10:00:00.000Z',
	updatedAt: '2026-03-01T08:00:00.000Z',
	archived: false,
	new: isNew,
	objectWriteTraceId: trace,
});

const upsertParams = (emails: string[], firstNames?: string[]) => ({
	email: (i: number) => emails[i],
	propertiesInput: 'fields',
	properties: (i: number) => ({ property: firstNames ? [{ name: 'firstname', value: firstNames[i] }] : [] }),
});

afterEach(() => nock.cleanAll());
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('HubSpot node → contact upsert', () => {
	it('upserts 150 contacts by e-mail in two requests of 100 and 50, with the exact bodies and the token in a header', async () => {
		const emails = Array.from({ length: 150 }, (_, i) => `buyer${i}@shop.example`);
		const names = emails.map((_, i) => `Buyer ${i}`);
		const inputs = emails.map((email, i) => input(email, i, { firstname: names[i] }));
		const reply = (from: number, to: number) => ({
			status: 'COMPLETE',
			results: inputs
				.slice(from, to)
				.map((inp) =>
					result(
						String(9000 + Number(inp.objectWriteTraceId)),
						inp.objectWriteTraceId,
						inp.properties,
						Number(inp.objectWriteTraceId) % 2 === 0,
					),
				),
		});
		const scope = nock(HUB, { reqheaders: { authorization: 'Bearer pat-na1-TOKEN' } })
			.post(UPSERT, { inputs: inputs.slice(0, 100) })
			.reply(200, reply(0, 100))
			.post(UPSERT, { inputs: inputs.slice(100) })
			.reply(200, reply(100, 150));
		const [out] = await run(context('upsert', upsertParams(emails, names), { items: 150 }));
		expect(scope.isDone()).toBe(true);
		expect(out).toHaveLength(150);
		expect(out[0]).toEqual({
			json: {
				id: '9000',
				new: true,
				properties: { firstname: 'Buyer 0', email: 'buyer0@shop.example', hs_object_id: '9000' },
				createdAt: '2026-01-05T10:00:00.000Z',
				updatedAt: '2026-03-01T08:00:00.000Z',
				archived: false,
			},
			pairedItem: { item: 0 },
		});
		expect(out[149]).toMatchObject({
			json: { id: '9149', new: false, properties: { email: 'buyer149@shop.example' } },
			pairedItem: { item: 149 },
		});
		expect(out.map((o) => o.pairedItem)).toEqual(emails.map((_, item) => ({ item })));
	});

	it('reads the properties from JSON, values as text, null clearing a property', async () => {
		const scope = nock(HUB)
			.post(UPSERT, {
				inputs: [
					input('ada@example.com', 0, { lifecyclestage: 'customer', shopify_order_count: '2', hs_legal_basis: '' }),
				],
			})
			.reply(200, { status: 'COMPLETE', results: [result('51', '0', {}, true)] });
		const [out] = await run(
			context('upsert', {
				email: ' ada@example.com ',
				propertiesInput: 'json',
				propertiesJson: '{"lifecyclestage":"customer","shopify_order_count":2,"hs_legal_basis":null}',
			}),
		);
		expect(scope.isDone()).toBe(true);
		expect(out[0].json).toMatchObject({ id: '51', new: true });
	});

	it('sends items naming the same contact (any case) once, later values winning, and gives both the record', async () => {
		const scope = nock(HUB)
			.post(UPSERT, {
				inputs: [input('ada@example.com', 0, { firstname: 'Ada L' }), input('bo@example.com', 1, { firstname: 'Bo' })],
			})
			.reply(200, {
				status: 'COMPLETE',
				results: [result('7', '0', { email: 'ada@example.com' }), result('8', '1', { email: 'bo@example.com' })],
			});
		const [out] = await run(
			context(
				'upsert',
				upsertParams(['Ada@Example.com', 'bo@example.com', 'ada@example.com '], ['Ada', 'Bo', 'Ada L']),
				{ items: 3 },
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => [o.json.id, o.pairedItem])).toEqual([
			['7', { item: 0 }],
			['8', { item: 1 }],
			['7', { item: 2 }],
		]);
	});

	describe('a 207 with per-record errors', () => {
		const emails = ['ok1@example.com', 'bad@example', 'ok2@example.com'];
		const message =
			'Property values were not valid: [{"isValid":false,"message":"Email address [redacted] is invalid","error":"INVALID_EMAIL","name":"email"}]';
		const multiStatus = () =>
			nock(HUB)
				.post(UPSERT, { inputs: emails.map((e, i) => input(e, i)) })
				.reply(207, {
					status: 'COMPLETE',
					numErrors: 1,
					results: [result('1', '0', { email: emails[0] }), result('3', '2', { email: emails[2] })],
					errors: [{ status: 'error', category: 'VALIDATION_ERROR', message, context: { objectWriteTraceId: ['1'] } }],
				});

		it('fails only the item HubSpot names, with its message, when continue on fail is on', async () => {
			const scope = multiStatus();
			const [out] = await run(context('upsert', upsertParams(emails), { items: 3, continueOnFail: true }));
			expect(scope.isDone()).toBe(true);
			expect(out).toEqual([
				{ json: expect.objectContaining({ id: '1' }), pairedItem: { item: 0 } },
				{ json: { error: message }, pairedItem: { item: 1 } },
				{ json: expect.objectContaining({ id: '3' }), pairedItem: { item: 2 } },
			]);
		});

		it('otherwise stops with a NodeApiError naming the item', async () => {
			multiStatus();
			const error = await run(context('upsert', upsertParams(emails), { items: 3 })).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).message).toBe(`Item 1: ${message}`);
			expect((error as NodeApiError).context.itemIndex).toBe(1);
		});

		it('matches errors by id when HubSpot gives no trace id', async () => {
			const scope = nock(HUB)
				.post(UPSERT)
				.reply(207, {
					status: 'COMPLETE',
					results: [
						{ id: '1', properties: { email: 'ok1@example.com' } },
						{ id: '3', properties: { email: 'ok2@example.com' } },
					],
					errors: [
						{
							status: 'error',
							category: 'VALIDATION_ERROR',
							message: 'Email address [redacted] is invalid',
							context: { ids: ['BAD@example'] },
						},
					],
				});
			const [out] = await run(context('upsert', upsertParams(emails), { items: 3, continueOnFail: true }));
			expect(scope.isDone()).toBe(true);
			expect(out.map((o) => o.json.id ?? o.json.error)).toEqual(['1', 'Email address [redacted] is invalid', '3']);
		});
	});

	it('isolates the one record a 400 rejects by splitting the batch, so the others are written', async () => {
		const emails = ['a@example.com', 'b@example.com', 'not-an-email', 'd@example.com'];
		const sent: string[][] = [];
		const scope = nock(HUB)
			.post(UPSERT)
			.times(5)
			.reply((_uri, body) => {
				const inputs = (body as { inputs: Array<{ id: string; objectWriteTraceId: string; properties: IDataObject }> })
					.inputs;
				sent.push(inputs.map((i) => i.id));
				if (inputs.some((i) => i.id === 'not-an-email')) {
					return [
						400,
						{
							status: 'error',
							category: 'VALIDATION_ERROR',
							message: 'Property values were not valid: Email address not-an-email is invalid',
							correlationId: 'c-400',
						},
					];
				}
				return [
					200,
					{ status: 'COMPLETE', results: inputs.map((i) => result(`id-${i.id}`, i.objectWriteTraceId, i.properties)) },
				];
			});
		const [out] = await run(context('upsert', upsertParams(emails), { items: 4, continueOnFail: true }));
		expect(scope.isDone()).toBe(true);
		expect(sent).toEqual([emails, emails.slice(0, 2), emails.slice(2), ['not-an-email'], ['d@example.com']]);
		expect(out.map((o) => o.json.id ?? o.json.error)).toEqual([
			'id-a@example.com',
			'id-b@example.com',
			'Property values were not valid: Email address not-an-email is invalid',
			'id-d@example.com',
		]);
	});

	it('stops splitting when every half fails alike (a property that does not exist): 7 requests for 8 records', async () => {
		const emails = Array.from({ length: 8 }, (_, i) => `c${i}@example.com`);
		const message =
			'Property values were not valid: [{"isValid":false,"message":"Property \\"nope\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"nope"}]';
		const scope = nock(HUB)
			.post(UPSERT)
			.times(7)
			.reply(400, { status: 'error', category: 'VALIDATION_ERROR', message });
		const [out] = await run(
			context(
				'upsert',
				{ email: (i: number) => emails[i], propertiesInput: 'json', propertiesJson: '{"nope":"x"}' },
				{ items: 8, continueOnFail: true },
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(out.map((o) => o.json)).toEqual(emails.map(() => ({ error: message })));
	});

	it('stops at an auth error: later batches are not sent, every item carries HubSpot’s message', async () => {
		const emails = Array.from({ length: 150 }, (_, i) => `x${i}@example.com`);
		const scope = nock(HUB).post(UPSERT).reply(401, {
			status: 'error',
			message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
			category: 'INVALID_AUTHENTICATION',
			correlationId: 'c-401',
		});
		const [out] = await run(context('upsert', upsertParams(emails), { items: 150, continueOnFail: true }));
		expect(scope.isDone()).toBe(true);
		expect(new Set(out.map((o) => o.json.error))).toEqual(
			new Set(['Authentication credentials not found. This API supports OAuth 2.0 authentication.']),
		);

		nock(HUB).post(UPSERT).reply(401, {
			status: 'error',
			message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
			category: 'INVALID_AUTHENTICATION',
			correlationId: 'c-401',
		});
		const error = (await run(context('upsert', upsertParams(emails.slice(0, 2)), { items: 2 })).catch(
			(e: unknown) => e,
		)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Item 0: Authentication credentials not found. This API supports OAuth 2.0 authentication.',
		);
		expect(error.description).toBe(
			'INVALID_AUTHENTICATION, check the private app token and its scopes, correlationId c-401',
		);
		expect(error.httpCode).toBe('401');
	});

	it('refuses an item without e-mail before sending anything, or reports it with continue on fail', async () => {
		await expect(run(context('upsert', upsertParams(['a@example.com', '  ']), { items: 2 }))).rejects.toThrow(
			'The e-mail is empty: HubSpot contacts are upserted by e-mail',
		);
		const scope = nock(HUB)
			.post(UPSERT, { inputs: [input('a@example.com', 0)] })
			.reply(200, { status: 'COMPLETE', results: [result('1', '0', {})] });
		const [out] = await run(context('upsert', upsertParams(['a@example.com', '']), { items: 2, continueOnFail: true }));
		expect(scope.isDone()).toBe(true);
		expect(out[1]).toEqual({
			json: { error: 'The e-mail is empty: HubSpot contacts are upserted by e-mail' },
			pairedItem: { item: 1 },
		});
	});
});

describe('HubSpot node → contact get', () => {
	it('gets a contact by e-mail with idProperty=email and the chosen properties', async () => {
		const scope = nock(HUB)
			.get('/crm/v3/objects/contacts/ada%40example.com')
			.query({ idProperty: 'email', properties: 'email,shopify_total_spent' })
			.reply(200, {
				id: '51',
				properties: { email: 'ada@example.com', shopify_total_spent: '240.70', hs_object_id: '51' },
				createdAt: 'c',
				updatedAt: 'u',
				archived: false,
			});
		const [out] = await run(
			context('get', { findBy: 'email', email: 'ada@example.com', returnProperties: 'email, shopify_total_spent' }),
		);
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{
				json: {
					id: '51',
					properties: { email: 'ada@example.com', shopify_total_spent: '240.70', hs_object_id: '51' },
					createdAt: 'c',
					updatedAt: 'u',
					archived: false,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('gets a contact by ID, and reports HubSpot’s 404 message per item', async () => {
		nock(HUB).get('/crm/v3/objects/contacts/51').reply(200, { id: '51', properties: {} });
		nock(HUB).get('/crm/v3/objects/contacts/52').reply(404, {
			status: 'error',
			message: 'resource not found',
			correlationId: 'c-404',
			category: 'OBJECT_NOT_FOUND',
		});
		const [out] = await run(
			context(
				'get',
				{ findBy: 'id', contactId: (i: number) => String(51 + i), returnProperties: '' },
				{ items: 2, continueOnFail: true },
			),
		);
		expect(out).toEqual([
			{ json: { id: '51', properties: {} }, pairedItem: { item: 0 } },
			{ json: { error: 'resource not found' }, pairedItem: { item: 1 } },
		]);
		nock(HUB)
			.get('/crm/v3/objects/contacts/52')
			.reply(404, { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' });
		await expect(run(context('get', { findBy: 'id', contactId: '52', returnProperties: '' }))).rejects.toThrow(
			'resource not found',
		);
	});
});

describe('HubSpot node → contact search', () => {
	const filters = {
		filter: [
			{ propertyName: 'shopify_order_count', operator: 'GTE', value: '2' },
			{ propertyName: 'email', operator: 'HAS_PROPERTY', value: 'ignored' },
		],
	};
	const filterGroups = [
		{
			filters: [
				{ propertyName: 'shopify_order_count', operator: 'GTE', value: '2' },
				{ propertyName: 'email', operator: 'HAS_PROPERTY' },
			],
		},
	];
	const page = (from: number, n: number) =>
		Array.from({ length: n }, (_, k) => ({ id: String(from + k), properties: { email: `c${from + k}@example.com` } }));

	it('follows paging.next.after to return all matches', async () => {
		const scope = nock(HUB)
			.post('/crm/v3/objects/contacts/search', { filterGroups, properties: ['email'], limit: 200 })
			.reply(200, { total: 250, results: page(1, 200), paging: { next: { after: '200', link: 'ignored' } } })
			.post('/crm/v3/objects/contacts/search', { filterGroups, properties: ['email'], limit: 200, after: '200' })
			.reply(200, { total: 250, results: page(201, 50) });
		const [out] = await run(context('search', { filters, returnProperties: 'email', returnAll: true }));
		expect(scope.isDone()).toBe(true);
		expect(out).toHaveLength(250);
		expect(out[249]).toEqual({
			json: { id: '250', properties: { email: 'c250@example.com' } },
			pairedItem: { item: 0 },
		});
	});

	it('asks for no more than the limit', async () => {
		const scope = nock(HUB)
			.post('/crm/v3/objects/contacts/search', { filterGroups, limit: 3 })
			.reply(200, { total: 40, results: page(1, 3), paging: { next: { after: '3' } } });
		const [out] = await run(context('search', { filters, returnProperties: '', returnAll: false, limit: 3 }));
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => o.json.id)).toEqual(['1', '2', '3']);
	});

	it('reports HubSpot’s validation message', async () => {
		nock(HUB)
			.post('/crm/v3/objects/contacts/search')
			.reply(400, {
				status: 'error',
				message: 'There was a problem with the request.',
				category: 'VALIDATION_ERROR',
				errors: [{ message: 'Unable to parse filter value' }],
			});
		await expect(run(context('search', { filters, returnProperties: '', returnAll: true }))).rejects.toThrow(
			'There was a problem with the request.',
		);
	});
});
