import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { signRelayRequest } from '../../nodes/core/signatures/relay';
import { startRelay, type TestRelay } from '../support/relayServer';
import { json } from '../support/http';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe.each(['pglite', 'postgres', 'supabase'] as const)('POST /v1/events on %s', (backend) => {
	let relay: TestRelay;
	let auth: Record<string, string>;

	beforeAll(async () => {
		relay = await startRelay(backend, { META_PIXEL_ID: '123456' });
		auth = { authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' };
	});
	afterAll(() => relay.close());

	const post = (body: unknown, headers = auth) =>
		fetch(`${relay.url}/v1/events`, {
			method: 'POST',
			headers,
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});

	it('when a simple event arrives, then it is stored hashed and answered 202 with its id', async () => {
		const res = await post({
			event_name: 'Lead',
			email: ' Mary@Example.com ',
			phone: '+1 (650) 555-1212',
			event_id: 'lead-1',
		});
		expect(res.status).toBe(202);
		const body = await json(res);
		expect(body.errors).toEqual([]);
		expect(body.data).toEqual([
			{ index: 0, id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued', duplicate: false },
		]);
		const stored = await json(await fetch(`${relay.url}/v1/events/${body.data[0].id}`, { headers: auth }));
		expect(stored).toMatchObject({
			pixel_id: '123456',
			event_name: 'Lead',
			event_id: 'lead-1',
			source: 'api',
			status: 'queued',
			attempts: 0,
		});
		expect(stored.payload.user_data).toEqual({ em: [sha('mary@example.com')], ph: [sha('16505551212')] });
		expect(stored.payload.action_source).toBe('system_generated');
	});

	it('when the same event_id comes again, then it is not stored twice', async () => {
		const first = await json(await post({ event_name: 'Lead', email: 'dup@example.com', event_id: 'same' }));
		const again = await json(await post({ event_name: 'Lead', email: 'dup@example.com', event_id: 'same' }));
		expect(again.data[0]).toEqual({ index: 0, id: first.data[0].id, status: 'queued', duplicate: true });
		// Twice in one batch: stored once, the second reported as the duplicate of the first.
		const batch = await json(
			await post({
				data: [
					{ event_name: 'Lead', email: 'x@example.com', event_id: 'twin' },
					{ event_name: 'Lead', email: 'x@example.com', event_id: 'twin' },
					{ event_name: 'Lead', email: 'y@example.com', event_id: 'single' },
				],
			}),
		);
		expect(batch.data.map((d: { duplicate: boolean }) => d.duplicate)).toEqual([false, true, false]);
		expect(batch.data[1].id).toBe(batch.data[0].id);
	});

	it('when a batch holds invalid events, then each is reported by index and the valid ones are kept', async () => {
		const res = await post({
			data: [
				{ event_name: 'Purchase', email: 'a@example.com', value: 10, currency: 'EUR', event_id: 'p-1' },
				{ event_name: 'Purchase', email: 'b@example.com', event_id: 'p-2' },
				{ event_name: 'Lead', emial: 'typo@example.com' },
				{ event_name: 'Lead', email: 'c@example.com', event_time: Math.floor(Date.now() / 1000) - 9 * 86_400 },
			],
		});
		expect(res.status).toBe(202);
		const body = await json(res);
		expect(body.data.map((d: { index: number }) => d.index)).toEqual([0]);
		expect(body.errors).toEqual([
			{
				index: 1,
				code: 'invalid_event',
				field: 'custom_data.value',
				message: 'custom_data.value is required for Purchase; custom_data.currency is required for Purchase',
			},
			{ index: 2, code: 'invalid_event', field: 'emial', message: 'unknown field emial' },
			{
				index: 3,
				code: 'invalid_event',
				field: 'event_time',
				message: 'event_time is 9 days old; Meta accepts at most 7 days for action_source system_generated',
			},
		]);
	});

	it('when nothing is valid, then 400 with the error envelope and nothing stored', async () => {
		const res = await post({ event_name: 'Lead', email: 'not-an-email' });
		expect(res.status).toBe(400);
		const body = await json(res);
		expect(body.error).toEqual({
			code: 'invalid_event',
			field: 'user_data',
			message: 'user_data has no customer information parameter to match on',
		});
	});

	it('rejects bad JSON, oversized batches and missing auth with clear errors', async () => {
		expect(await json(await post('{"event_name":'))).toEqual({
			error: { code: 'invalid_json', message: 'the body is not valid JSON' },
		});
		const big = await post({ data: Array.from({ length: 1001 }, () => ({ event_name: 'Lead' })) });
		expect(big.status).toBe(400);
		expect((await json(big)).error.field).toBe('data');
		// Valid JSON, not storable text: a 400 naming the field (it was a 500 at the insert).
		const surrogate = await post(
			`{"data":[{"event_name":"Lead","email":"s@example.com","event_id":"ok"},{"event_name":"Lead","email":"s@example.com","event_id":"\\ud800"}]}`,
		);
		expect(surrogate.status).toBe(400);
		expect((await json(surrogate)).error).toEqual({
			code: 'invalid_value',
			field: 'data.1.event_id',
			message: 'data.1.event_id: a lone UTF-16 surrogate is not text',
		});
		const anon = await post({ event_name: 'Lead' }, { 'content-type': 'application/json' });
		expect(anon.status).toBe(401);
		const wrong = await post(
			{ event_name: 'Lead' },
			{ authorization: 'Bearer nope', 'content-type': 'application/json' },
		);
		expect(wrong.status).toBe(401);
	});

	it('accepts a signed request and refuses a stale or forged one', async () => {
		const body = JSON.stringify({ event_name: 'Lead', email: 'signed@example.com', event_id: 'signed-1' });
		const signed = await post(body, {
			'x-relay-signature': signRelayRequest(body, relay.apiSecret),
			'content-type': 'application/json',
		});
		expect(signed.status).toBe(202);
		const stale = await post(body, {
			'x-relay-signature': signRelayRequest(body, relay.apiSecret, Math.floor(Date.now() / 1000) - 600),
			'content-type': 'application/json',
		});
		expect(stale.status).toBe(401);
		expect((await json(stale)).error.message).toBe('request signature rejected: stale');
		const forged = await post(body.replace('signed@', 'forged@'), {
			'x-relay-signature': signRelayRequest(body, relay.apiSecret),
			'content-type': 'application/json',
		});
		expect(forged.status).toBe(401);
	});

	it('keeps raw e-mails and phones out of the logs and (on Postgres) out of every table', async () => {
		await post({
			event_name: 'Lead',
			email: 'private.person@example.com',
			phone: '+44 7700 900999',
			event_id: 'pii-1',
		});
		const logs = relay.logs.join('\n');
		expect(logs).toContain('"path":"/v1/events"');
		expect(logs).not.toContain('private.person');
		// Every form the phone could take; a bare '7700' would also match timings in the log.
		for (const form of ['7700 900999', '7700900999', '447700900999']) expect(logs).not.toContain(form);
		if (relay.databaseUrl) {
			const c = new Client({ connectionString: relay.databaseUrl });
			await c.connect();
			const dump = (
				await c.query(
					"select (select coalesce(string_agg(t::text, ' '), '') from relay_events t) || (select coalesce(string_agg(r::text, ' '), '') from relay_receipts r) as all",
				)
			).rows[0].all as string;
			await c.end();
			expect(dump).toContain(sha('private.person@example.com'));
			expect(dump).not.toContain('private.person');
			expect(dump).not.toContain('447700900999');
		}
	});
});

describe('the migration', () => {
	it('is in Supabase’s format and enables row-level security', () => {
		const sql = readFileSync(join(__dirname, '../../supabase/migrations/20261201000000_relay_events.sql'), 'utf8');
		expect(sql).toMatch(/alter table relay_events enable row level security/);
		expect(sql).toMatch(/alter table relay_receipts enable row level security/);
	});
});
