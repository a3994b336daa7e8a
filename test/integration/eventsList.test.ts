import { Client } from 'pg';
import { startRelay, type TestRelay } from '../support/relayServer';
import { json } from '../support/http';

describe('listing events and retrying dead letters (Postgres)', () => {
	let relay: TestRelay;
	let headers: Record<string, string>;
	const ids: string[] = [];

	beforeAll(async () => {
		relay = await startRelay('postgres', { META_PIXEL_ID: '123456' });
		headers = { authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' };
		for (let i = 0; i < 7; i++) {
			const res = await json(
				await fetch(`${relay.url}/v1/events`, {
					method: 'POST',
					headers,
					body: JSON.stringify({ event_name: 'Lead', email: `l${i}@example.com`, event_id: `l${i}` }),
				}),
			);
			ids.push(res.data[0].id);
		}
		const db = new Client({ connectionString: relay.databaseUrl });
		await db.connect();
		await db.query(
			"update relay_events set status = 'dead', last_error = 'invalid 100: Invalid parameter' where id = any($1::uuid[])",
			[[ids[1], ids[4]]],
		);
		await db.end();
	});
	afterAll(() => relay.close());

	const get = (path: string) => fetch(`${relay.url}${path}`, { headers });

	it('pages through every event once, newest first', async () => {
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const page: { data: Array<{ id: string }>; next_cursor: string | null } = await json(
				await get(`/v1/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`),
			);
			seen.push(...page.data.map((e) => e.id));
			cursor = page.next_cursor;
		} while (cursor);
		expect(seen).toEqual([...ids].reverse());
	});

	it('filters by status', async () => {
		const dead = await json(await get('/v1/events?status=dead'));
		expect(dead.data.map((e: { id: string }) => e.id).sort()).toEqual([ids[1], ids[4]].sort());
		expect(dead.data[0].last_error).toBe('invalid 100: Invalid parameter');
	});

	it('names the bad query parameter', async () => {
		const res = await get('/v1/events?status=lost');
		expect(res.status).toBe(400);
		expect((await json(res)).error.field).toBe('status');
		expect((await json(await get('/v1/events?cursor=garbage'))).error).toEqual({
			code: 'invalid_query',
			message: 'cursor: not a cursor this service gave out',
			field: 'cursor',
		});
		// Well-formed base64 JSON that is not a timestamp must not reach SQL (a 500 otherwise).
		const forged = Buffer.from(JSON.stringify(['yesterday', '00000000-0000-0000-0000-000000000000'])).toString(
			'base64url',
		);
		expect((await get(`/v1/events?cursor=${forged}`)).status).toBe(400);
	});

	it('retries a dead letter, and only a dead letter', async () => {
		const retried = await fetch(`${relay.url}/v1/events/${ids[1]}/retry`, { method: 'POST', headers });
		expect(retried.status).toBe(202);
		expect(await json(retried)).toMatchObject({ id: ids[1], status: 'queued', attempts: 0, last_error: null });
		const again = await fetch(`${relay.url}/v1/events/${ids[1]}/retry`, { method: 'POST', headers });
		expect(again.status).toBe(409);
		expect((await json(again)).error.message).toBe('only dead events can be retried; this one is queued');
		const missing = await fetch(`${relay.url}/v1/events/00000000-0000-0000-0000-000000000000/retry`, {
			method: 'POST',
			headers,
		});
		expect(missing.status).toBe(404);
	});
});
