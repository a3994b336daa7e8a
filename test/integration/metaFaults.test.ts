import { Client } from 'pg';
import { json } from '../support/http';
import { startMetaDouble, type ReceivedRequest, type Responder } from '../support/metaDouble';
import { Random } from '../support/random';
import { eventually, startRelay, type TestRelay } from '../support/relayServer';

const VALID = 1_980;
const INVALID = 20;
const MAX_ATTEMPTS = 12;

// Meta as it is on a bad day: 30% server errors, throttles with usage headers (codes 17 and 613),
// timeouts, dropped connections, and a 400 naming the bad event whenever one is in the batch.
function faultyMeta(rnd: Random, tally: Record<string, number>, accepted: string[]): Responder {
	return (r: ReceivedRequest) => {
		const roll = rnd.next();
		const count = (k: string) => (tally[k] = (tally[k] ?? 0) + 1);
		if (roll < 0.3) {
			count('500');
			return {
				status: 500,
				body: {
					error: {
						message: 'An unexpected error has occurred. Please retry your request later.',
						type: 'OAuthException',
						code: 2,
						is_transient: true,
						fbtrace_id: 'T500',
					},
				},
			};
		}
		if (roll < 0.38) {
			count('429/17');
			return {
				status: 400,
				headers: {
					'x-business-use-case-usage': JSON.stringify({
						'123456': [
							{
								type: 'ads_management',
								call_count: 40,
								total_cputime: 20,
								total_time: 30,
								estimated_time_to_regain_access: 0,
							},
						],
					}),
				},
				body: {
					error: {
						message: 'User request limit reached',
						type: 'OAuthException',
						code: 17,
						error_subcode: 2446079,
						fbtrace_id: 'T17',
					},
				},
			};
		}
		if (roll < 0.42) {
			count('613');
			return {
				status: 400,
				body: {
					error: {
						message: 'Calls to this api have exceeded the rate limit.',
						type: 'OAuthException',
						code: 613,
						fbtrace_id: 'T613',
					},
				},
			};
		}
		if (roll < 0.46) {
			count('reset');
			return { status: 0, body: null, action: 'reset' };
		}
		if (roll < 0.49) {
			count('timeout');
			return { status: 0, body: null, action: 'hang' };
		}
		const bad = r.body.data.findIndex((e) => String(e.event_id).startsWith('bad-'));
		if (bad >= 0) {
			count('400 bad event');
			return {
				status: 400,
				body: {
					error: {
						message: 'Invalid parameter',
						type: 'OAuthException',
						code: 100,
						error_subcode: 2804019,
						error_user_title: 'Invalid event',
						error_user_msg: `The event at index ${bad} has an invalid value for custom_data.value`,
						fbtrace_id: 'TBAD',
					},
				},
			};
		}
		count('200');
		accepted.push(...r.body.data.map((e) => String(e.event_id)));
		return {
			status: 200,
			body: { events_received: r.body.data.length, messages: [], fbtrace_id: `ok-${rnd.int(0, 1e9)}` },
		};
	};
}

describe('dispatcher against a faulty Meta', () => {
	let relay: TestRelay;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	const tally: Record<string, number> = {};
	const accepted: string[] = [];
	beforeAll(async () => {
		meta = await startMetaDouble(faultyMeta(new Random(7), tally, accepted));
		relay = await startRelay(
			'postgres',
			{
				META_PIXEL_ID: '123456',
				META_ACCESS_TOKEN: 'EAAB-faults-token',
				META_GRAPH_URL: meta.url,
				// The double answers from this jest worker's own event loop: a stall longer than the
				// timeout between a request's arrival and the double's 200 turns an accepted request into
				// a timeout, which real Meta's event_id dedup absorbs but the count below would not.
				META_TIMEOUT_MS: '1500',
			},
			{ baseDelayMs: 20, maxDelayMs: 200, idleMs: 20, maxAttempts: MAX_ATTEMPTS },
		);
	});
	afterAll(async () => {
		await relay?.close();
		await meta?.close();
	});

	const post = (data: object[]) =>
		fetch(`${relay.url}/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' },
			body: JSON.stringify({ data }),
		});

	it('sends every valid event once, dead-letters each invalid one with Meta’s message, within the attempt limit', async () => {
		const events = Array.from({ length: VALID + INVALID }, (_, i) => ({
			event_name: 'Purchase',
			email: `f${i}@example.com`,
			value: 10,
			currency: 'USD',
			event_id: i % 100 === 7 ? `bad-${i}` : `ok-${i}`,
		}));
		for (let i = 0; i < events.length; i += 1000) expect((await post(events.slice(i, i + 1000))).status).toBe(202);
		const db = new Client({ connectionString: relay.databaseUrl });
		await db.connect();
		try {
			const rows = await eventually(async () => {
				const { rows } = await db.query<{
					event_id: string;
					status: string;
					attempts: number;
					last_error: string | null;
				}>('select event_id, status, attempts, last_error from relay_events');
				expect(rows.filter((r) => r.status === 'sent' || r.status === 'dead')).toHaveLength(VALID + INVALID);
				return rows;
			}, 90_000);
			const sent = rows.filter((r) => r.status === 'sent').map((r) => r.event_id);
			const dead = rows.filter((r) => r.status === 'dead');
			const wrongDead = dead.filter((r) => r.event_id.startsWith('ok-'));
			expect([...new Set(wrongDead.map((r) => r.last_error))]).toEqual([]);
			expect(sent.every((id) => id.startsWith('ok-'))).toBe(true);
			expect(sent).toHaveLength(VALID);
			expect(dead.map((r) => r.event_id).every((id) => id.startsWith('bad-'))).toBe(true);
			for (const d of dead)
				expect(d.last_error).toMatch(/^invalid 100\/2804019: .*invalid value for custom_data\.value/);
			expect(Math.max(...rows.map((r) => r.attempts))).toBeLessThanOrEqual(MAX_ATTEMPTS);
		} finally {
			await db.end();
		}
		// Accepted by Meta exactly once each: no event is in two answered-200 requests.
		expect(accepted).toHaveLength(VALID);
		expect(new Set(accepted).size).toBe(VALID);
		expect(tally['500']).toBeGreaterThan(10);
		expect(tally.reset).toBeGreaterThan(0);
		expect(tally.timeout).toBeGreaterThan(0);
		process.stdout.write(`meta faults: ${meta.received.length} requests, ${JSON.stringify(tally)}\n`);
	}, 120_000);

	it('stops on an expired token (190) instead of looping, and says so on /health and the status page', async () => {
		meta.setResponder(() => ({
			status: 401,
			body: {
				error: {
					message: 'Error validating access token: Session has expired on Friday, 20-Nov-26.',
					type: 'OAuthException',
					code: 190,
					error_subcode: 463,
					fbtrace_id: 'T190',
				},
			},
		}));
		const before = meta.received.length;
		expect((await post([{ event_name: 'Lead', email: 'after-expiry@example.com', event_id: 'exp-1' }])).status).toBe(
			202,
		);
		const health = await eventually(async () => {
			const res = await fetch(`${relay.url}/health`);
			expect(res.status).toBe(503);
			return json(res);
		});
		// /health is open: the refusal and its code, none of Meta's text (the status page has it).
		expect(health.meta.error).toBe('Meta refused the token (code 190)');
		await new Promise((r) => setTimeout(r, 500));
		expect(meta.received.length - before).toBeLessThanOrEqual(4);
		const page = await (
			await fetch(`${relay.url}/`, { headers: { authorization: `Bearer ${relay.apiSecret}` } })
		).text();
		expect(page).toContain('Error validating access token');
		const stored = await json(
			await fetch(`${relay.url}/v1/events?limit=1`, { headers: { authorization: `Bearer ${relay.apiSecret}` } }),
		);
		expect(stored.data[0]).toMatchObject({ event_id: 'exp-1' });
		expect(['queued', 'retry']).toContain(stored.data[0].status);
	});
});
