import { createHash } from 'node:crypto';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { MetaCustomAudiences } from '../../nodes/MetaCustomAudiences/MetaCustomAudiences.node';
import { executeContext } from '../support/executeContext';

const GRAPH = 'https://graph.test';
const AUDIENCE = '23850000000000001';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

interface Body {
	payload: { schema: string[]; data: string[][] };
	session?: { session_id: number; batch_seq: number; last_batch_flag: boolean; estimated_num_total: number };
	method?: string;
}

const customers = [
	{ email: 'John_Smith@gmail.com', phone: '(650)555-1212', country: 'US' },
	{ email: ' Mary@Example.com ', phone: '', country: 'GB' },
	{ email: '', phone: '', country: 'US' },
	{ email: 'eve@example.org', phone: '+44 7700 900123', country: '' },
];
// The normalized strings Meta's rules give for the customers above; item 2 has no identifier.
const expectedRows = [
	[sha('john_smith@gmail.com'), sha('16505551212')],
	[sha('mary@example.com'), ''],
	[sha('eve@example.org'), sha('447700900123')],
];

function context(extra: { items?: IDataObject[]; continueOnFail?: boolean; params?: Record<string, unknown> } = {}) {
	const items = extra.items ?? customers;
	return executeContext({
		items: items.map((json) => ({ json })),
		credentials: { accessToken: 'TOKEN', apiVersion: 'v25.0', baseUrl: GRAPH, appSecret: '' },
		continueOnFail: extra.continueOnFail,
		params: {
			resource: 'users',
			operation: 'add',
			audienceId: AUDIENCE,
			schema: ['EMAIL', 'PHONE'],
			customer: (i: number) => items[i],
			options: {},
			...extra.params,
		},
	});
}

/** Records every body sent to an edge and answers like Meta (num_received = rows). */
function meta(
	edge: 'users' | 'usersreplace',
	times: number,
	bodies: Body[],
	answer?: (body: Body, n: number) => [number, IDataObject, Record<string, string>?],
) {
	return nock(GRAPH, { reqheaders: { authorization: 'Bearer TOKEN' } })
		.post(`/v25.0/${AUDIENCE}/${edge}`)
		.times(times)
		.reply((_uri, raw) => {
			const body = raw as Body;
			bodies.push(body);
			if (answer) return answer(body, bodies.length);
			return [
				200,
				{
					audience_id: AUDIENCE,
					session_id: String(body.session?.session_id ?? 777),
					num_received: body.payload.data.length,
					num_invalid_entries: 0,
					invalid_entry_samples: {},
				},
			];
		});
}

afterEach(() => nock.cleanAll());
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('Meta Custom Audiences node → users', () => {
	it('hashes Meta’s documented vector as the test’s helper does', () => {
		expect(sha('mary@example.com')).toBe('f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79');
	});

	it('adds all items in one request with the exact hashed rows and reports one summary for every item', async () => {
		const bodies: Body[] = [];
		const scope = meta('users', 1, bodies, () => [
			200,
			{
				audience_id: AUDIENCE,
				session_id: '9001',
				num_received: 3,
				num_invalid_entries: 1,
				invalid_entry_samples: { [sha('eve@example.org')]: 'bad phone' },
			},
		]);
		const ctx = context();
		const [out] = await new MetaCustomAudiences().execute.call(ctx);
		expect(scope.isDone()).toBe(true);
		expect(bodies).toEqual([{ payload: { schema: ['EMAIL', 'PHONE'], data: expectedRows } }]);
		expect(out).toEqual([
			{
				json: {
					operation: 'add',
					audience_id: AUDIENCE,
					schema: ['EMAIL', 'PHONE'],
					session_id: 9001,
					items: 4,
					rows_sent: 3,
					batches: 1,
					requests: 1,
					num_received: 3,
					num_invalid_entries: 1,
					invalid_entry_samples: { [sha('eve@example.org')]: 'bad phone' },
					invalid_items: 1,
					invalid_item_samples: [{ item: 2, reason: 'no usable identifier for EMAIL, PHONE' }],
				},
				pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }],
			},
		]);
		// No raw identifier and no token leave in the URL.
		expect(ctx.requests[0].options.url).toBe(`${GRAPH}/v25.0/${AUDIENCE}/users`);
	});

	it('keeps the chosen schema order, and unhashed keys as Meta wants them', async () => {
		const bodies: Body[] = [];
		meta('users', 1, bodies);
		const items = [
			{
				externalId: ' crm-42 ',
				mobileAdvertiserId: '6032D997-3AB0-4DE0-AA16-8AF0E5B482FB',
				firstName: "O'Brien",
				country: 'United States',
			},
		];
		await new MetaCustomAudiences().execute.call(
			context({ items, params: { schema: ['EXTERN_ID', 'FN', 'COUNTRY', 'MADID'] } }),
		);
		expect(bodies[0].payload).toEqual({
			schema: ['EXTERN_ID', 'FN', 'COUNTRY', 'MADID'],
			data: [['crm-42', sha('obrien'), sha('us'), '6032d997-3ab0-4de0-aa16-8af0e5b482fb']],
		});
	});

	it('replaces 25,000 rows in one session: 3 requests, batch_seq 1..3, last_batch_flag on the last', async () => {
		const items = Array.from({ length: 25_000 }, (_, i) => ({ email: ` User${i}@Example.COM` }));
		const bodies: Body[] = [];
		const scope = meta('usersreplace', 3, bodies);
		const [out] = await new MetaCustomAudiences().execute.call(
			context({ items, params: { operation: 'replace', schema: ['EMAIL'] } }),
		);
		expect(scope.isDone()).toBe(true);
		expect(bodies.map((b) => b.payload.data.length)).toEqual([10_000, 10_000, 5_000]);
		const sessionId = bodies[0].session!.session_id;
		expect(Number.isSafeInteger(sessionId) && sessionId > 0).toBe(true);
		expect(bodies.map((b) => b.session)).toEqual([
			{ session_id: sessionId, batch_seq: 1, last_batch_flag: false, estimated_num_total: 25_000 },
			{ session_id: sessionId, batch_seq: 2, last_batch_flag: false, estimated_num_total: 25_000 },
			{ session_id: sessionId, batch_seq: 3, last_batch_flag: true, estimated_num_total: 25_000 },
		]);
		const sent = bodies.flatMap((b) => b.payload.data);
		expect(sent).toEqual(items.map((_, i) => [sha(`user${i}@example.com`)]));
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({
			operation: 'replace',
			session_id: sessionId,
			rows_sent: 25_000,
			batches: 3,
			requests: 3,
			num_received: 25_000,
			invalid_items: 0,
		});
		expect((out[0].pairedItem as Array<{ item: number }>).length).toBe(25_000);
	});

	it('uses one session for an add that needs several batches, none for a single one', async () => {
		const bodies: Body[] = [];
		meta('users', 2, bodies);
		await new MetaCustomAudiences().execute.call(context({ params: { options: { batchSize: 2 } } }));
		expect(bodies.map((b) => b.payload.data)).toEqual([expectedRows.slice(0, 2), expectedRows.slice(2)]);
		const id = bodies[0].session!.session_id;
		expect(bodies.map((b) => b.session)).toEqual([
			{ session_id: id, batch_seq: 1, last_batch_flag: false, estimated_num_total: 3 },
			{ session_id: id, batch_seq: 2, last_batch_flag: true, estimated_num_total: 3 },
		]);
	});

	it('replace uses a session even for one batch', async () => {
		const bodies: Body[] = [];
		meta('usersreplace', 1, bodies);
		await new MetaCustomAudiences().execute.call(context({ params: { operation: 'replace' } }));
		expect(bodies[0]).toEqual({
			payload: { schema: ['EMAIL', 'PHONE'], data: expectedRows },
			session: {
				session_id: bodies[0].session!.session_id,
				batch_seq: 1,
				last_batch_flag: true,
				estimated_num_total: 3,
			},
		});
	});

	it('removes with the same hashed rows in a POST carrying method=DELETE', async () => {
		const bodies: Body[] = [];
		const scope = meta('users', 1, bodies);
		const [out] = await new MetaCustomAudiences().execute.call(context({ params: { operation: 'remove' } }));
		expect(scope.isDone()).toBe(true);
		expect(bodies).toEqual([{ method: 'DELETE', payload: { schema: ['EMAIL', 'PHONE'], data: expectedRows } }]);
		expect(out[0].json.operation).toBe('remove');
	});

	it('retries a throttled batch after the time Meta asks for, within the session', async () => {
		const bodies: Body[] = [];
		meta('usersreplace', 3, bodies, (body, n) =>
			n === 2
				? [
						400,
						{
							error: {
								message: '(#17) User request limit reached',
								type: 'OAuthException',
								code: 17,
								is_transient: true,
								fbtrace_id: 'T17',
							},
						},
						{ 'Retry-After': '0' },
					]
				: [
						200,
						{
							audience_id: AUDIENCE,
							session_id: String(body.session!.session_id),
							num_received: body.payload.data.length,
							num_invalid_entries: 0,
						},
					],
		);
		const [out] = await new MetaCustomAudiences().execute.call(
			context({ params: { operation: 'replace', options: { batchSize: 2 } } }),
		);
		expect(bodies.map((b) => b.session!.batch_seq)).toEqual([1, 2, 2]);
		expect(out[0].json).toMatchObject({ batches: 2, requests: 3, rows_sent: 3, num_received: 3 });
	});

	it('retries a replace Meta says is still in progress (2650/1870145) and an HTTP 429', async () => {
		const bodies: Body[] = [];
		meta('usersreplace', 3, bodies, (body, n) => {
			if (n === 1)
				return [
					400,
					{ error: { message: 'Update in progress', code: 2650, error_subcode: 1870145 } },
					{ 'Retry-After': '0' },
				];
			if (n === 2) return [429, {}, { 'Retry-After': '0' }];
			return [200, { session_id: String(body.session!.session_id), num_received: 3, num_invalid_entries: 0 }];
		});
		const [out] = await new MetaCustomAudiences().execute.call(context({ params: { operation: 'replace' } }));
		expect(bodies).toHaveLength(3);
		expect(out[0].json).toMatchObject({ requests: 3, rows_sent: 3 });
	});

	it('gives up on throttling after a bounded number of attempts', async () => {
		const bodies: Body[] = [];
		const scope = meta('users', 4, bodies, () => [
			400,
			{ error: { message: 'Application request limit reached', code: 4 } },
			{ 'Retry-After': '0' },
		]);
		const [out] = await new MetaCustomAudiences().execute.call(context({ continueOnFail: true }));
		expect(scope.isDone()).toBe(true);
		expect(bodies).toHaveLength(4);
		expect(out[0].json).toMatchObject({
			error: 'Application request limit reached',
			requests: 4,
			rows_sent: 0,
			failed_batch_seq: 1,
			rows_not_sent: 3,
		});
	});

	it('stops a replace at Meta’s error, sends no later batch, and throws Meta’s message', async () => {
		const bodies: Body[] = [];
		meta('usersreplace', 2, bodies, (body, n) =>
			n === 2
				? [
						400,
						{
							error: {
								message: 'Invalid parameter',
								code: 100,
								error_subcode: 1713230,
								error_user_title: 'Audience Upload Blocked',
								error_user_msg: 'Before updating user memberships, you must resolve integrity restrictions',
								fbtrace_id: 'TR',
							},
						},
					]
				: [200, { session_id: String(body.session!.session_id), num_received: 2 }],
		);
		await expect(
			new MetaCustomAudiences().execute.call(context({ params: { operation: 'replace', options: { batchSize: 1 } } })),
		).rejects.toThrow('Before updating user memberships, you must resolve integrity restrictions');
		expect(bodies.map((b) => b.session!.batch_seq)).toEqual([1, 2]);
	});

	it('with continue on fail, reports the failed batch in the summary paired with every item', async () => {
		const bodies: Body[] = [];
		meta('users', 2, bodies, (body, n) =>
			n === 2
				? [400, { error: { message: 'Invalid parameter', code: 100, fbtrace_id: 'TR2' } }]
				: [200, { session_id: String(body.session!.session_id), num_received: 2 }],
		);
		const [out] = await new MetaCustomAudiences().execute.call(
			context({ continueOnFail: true, params: { options: { batchSize: 2 } } }),
		);
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({
			error: 'Invalid parameter',
			batches: 1,
			rows_sent: 2,
			failed_batch_seq: 2,
			rows_not_sent: 1,
			num_received: 2,
		});
		expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('stops at an invalid token without retrying', async () => {
		const bodies: Body[] = [];
		const scope = meta('users', 1, bodies, () => [
			400,
			{
				error: {
					message: 'Error validating access token: Session has expired',
					type: 'OAuthException',
					code: 190,
					error_subcode: 463,
				},
			},
		]);
		await expect(new MetaCustomAudiences().execute.call(context())).rejects.toThrow(
			'Error validating access token: Session has expired',
		);
		expect(scope.isDone()).toBe(true);
		expect(bodies).toHaveLength(1);
	});

	it('sends nothing when no item has an identifier for the schema', async () => {
		const ctx = context({
			items: [{ email: '' }, { email: '   ' }],
			params: { operation: 'replace', schema: ['EMAIL'] },
		});
		await expect(new MetaCustomAudiences().execute.call(ctx)).rejects.toThrow(
			'None of the 2 items has a usable value for EMAIL: nothing was sent',
		);
		expect(ctx.requests).toHaveLength(0);
	});

	it('reports an item whose fields cannot be read by index and reason, and sends the others', async () => {
		const bodies: Body[] = [];
		meta('users', 1, bodies);
		const ctx = context({
			params: {
				customer: (i: number) => {
					if (i === 1) throw new Error('expression failed');
					return customers[i];
				},
			},
		});
		const [out] = await new MetaCustomAudiences().execute.call(ctx);
		expect(bodies[0].payload.data).toEqual([expectedRows[0], expectedRows[2]]);
		expect(out[0].json.invalid_item_samples).toEqual([
			{ item: 1, reason: 'expression failed' },
			{ item: 2, reason: 'no usable identifier for EMAIL, PHONE' },
		]);
	});

	it('does not send an item naming another audience into this one', async () => {
		const bodies: Body[] = [];
		meta('users', 1, bodies);
		const [out] = await new MetaCustomAudiences().execute.call(
			context({ params: { audienceId: (i: number) => (i === 3 ? '999' : AUDIENCE) } }),
		);
		expect(bodies[0].payload.data).toEqual(expectedRows.slice(0, 2));
		expect(out[0].json.invalid_item_samples).toEqual([
			{ item: 2, reason: 'no usable identifier for EMAIL, PHONE' },
			{
				item: 3,
				reason: `its audience ("999") differs from the first item's ${AUDIENCE}: split the items by audience`,
			},
		]);
	});

	it('refuses a bad schema or audience id before calling Meta', async () => {
		await expect(new MetaCustomAudiences().execute.call(context({ params: { schema: [] } }))).rejects.toThrow(
			'Schema: schema needs at least one key',
		);
		await expect(
			new MetaCustomAudiences().execute.call(context({ params: { audienceId: '123/users' } })),
		).rejects.toThrow('Audience ID must be digits only, not "123/users"');
	});
});
