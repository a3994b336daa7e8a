import { startRelay, type Backend, type TestRelay } from '../support/relayServer';
import { json } from '../support/http';

const forge = (createdAt: string) =>
	Buffer.from(JSON.stringify([createdAt, '00000000-0000-0000-0000-000000000000'])).toString('base64url');

// Cursors that look like Postgres' text form of a timestamptz but name no real instant: before,
// they passed the check and Postgres refused them in the query, a 500 on both backends.
const FORGED = [
	'2026-13-45 99:99:99+00',
	'0000-01-01 00:00:00+00',
	'2026-01-01 00:00:00+99:99',
	'2026-02-30 12:00:00+00',
];

describe.each<Backend>(['pglite', 'postgres'])('GET /v1/events with a forged cursor (%s)', (backend) => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startRelay(backend, { META_PIXEL_ID: '123456' });
	});
	afterAll(() => relay.close());

	it.each(FORGED)('answers 400 naming cursor for %s', async (at) => {
		const res = await fetch(`${relay.url}/v1/events?cursor=${forge(at)}`, {
			headers: { authorization: `Bearer ${relay.apiSecret}` },
		});
		expect(res.status).toBe(400);
		expect((await json(res)).error).toEqual({
			code: 'invalid_query',
			message: 'cursor: not a cursor this service gave out',
			field: 'cursor',
		});
	});

	it('still pages with a cursor it gave out', async () => {
		const headers = { authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' };
		for (const id of ['c-1', 'c-2'])
			await fetch(`${relay.url}/v1/events`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ event_name: 'Lead', external_id: id, event_id: id }),
			});
		const first = await json(await fetch(`${relay.url}/v1/events?limit=1`, { headers }));
		const second = await json(await fetch(`${relay.url}/v1/events?limit=1&cursor=${first.next_cursor}`, { headers }));
		expect([first.data[0].event_id, second.data[0].event_id]).toEqual(['c-2', 'c-1']);
	});
});
