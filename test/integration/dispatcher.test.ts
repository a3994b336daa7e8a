import { Client } from 'pg';
import { eventually, startRelay, type TestRelay } from '../support/relayServer';
import { startMetaDouble } from '../support/metaDouble';
import { json } from '../support/http';

describe('dispatcher → Meta double', () => {
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let relay: TestRelay | undefined;

	beforeEach(async () => {
		meta = await startMetaDouble();
	});
	afterEach(async () => {
		await relay?.close();
		relay = undefined;
		await meta.close();
	});

	async function start(backend: 'pglite' | 'postgres' = 'pglite', extra: Record<string, string> = {}) {
		relay = await startRelay(backend, {
			META_PIXEL_ID: '123456',
			META_ACCESS_TOKEN: 'EAAB-test-token',
			META_GRAPH_URL: meta.url,
			...extra,
		});
		return relay;
	}

	async function send(r: TestRelay, events: object[]): Promise<string[]> {
		const res = await fetch(`${r.url}/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${r.apiSecret}`, 'content-type': 'application/json' },
			body: JSON.stringify({ data: events }),
		});
		const body = await json(res);
		return body.data.map((d: { id: string }) => d.id);
	}

	const status = async (r: TestRelay, id: string) =>
		json(await fetch(`${r.url}/v1/events/${id}`, { headers: { authorization: `Bearer ${r.apiSecret}` } }));

	it('when events are stored, then they are sent in one request and marked sent with the fbtrace_id', async () => {
		const r = await start();
		const ids = await send(
			r,
			[1, 2, 3].map((i) => ({ event_name: 'Lead', email: `p${i}@example.com`, event_id: `e${i}` })),
		);
		const sent = await eventually(async () => {
			const s = await status(r, ids[2]);
			expect(s.status).toBe('sent');
			return s;
		});
		expect(meta.received).toHaveLength(1);
		const request = meta.received[0];
		expect(request.path).toBe('/v25.0/123456/events');
		expect(request.headers.authorization).toBe('Bearer EAAB-test-token');
		expect(request.body.data.map((e) => e.event_id)).toEqual(['e1', 'e2', 'e3']);
		expect(JSON.stringify(request.body)).not.toContain('example.com');
		expect(sent).toMatchObject({ attempts: 1, events_received: 3, fbtrace_id: expect.stringMatching(/^trace-/) });
		const metrics = await (await fetch(`${r.url}/metrics`)).text();
		expect(metrics).toMatch(/^relay_events_received_total\{source="api"\} 3$/m);
		expect(metrics).toMatch(/^relay_events_stored_total\{source="api"\} 3$/m);
		expect(metrics).toMatch(/^relay_events_sent_total 3$/m);
		expect(metrics).toMatch(/^relay_meta_batch_size_count 1$/m);
		expect(metrics).toMatch(/^relay_meta_batch_size_sum 3$/m);
		expect(metrics).toMatch(/^relay_http_request_seconds_count\{route="\/v1\/events",status="202"\} 1$/m);
	});

	it('when Meta rejects a batch, then only the invalid event is dead-lettered with Meta’s message', async () => {
		meta.setResponder((req) =>
			req.body.data.some((e) => e.event_id === 'bad')
				? {
						status: 400,
						body: {
							error: {
								message: 'Invalid parameter',
								type: 'OAuthException',
								code: 100,
								error_subcode: 2804009,
								error_user_msg: 'Missing value for Purchase',
								fbtrace_id: 'Tbad',
							},
						},
					}
				: { status: 200, body: { events_received: req.body.data.length, fbtrace_id: 'Tok' } },
		);
		const r = await start();
		const ids = await send(
			r,
			['a', 'b', 'bad', 'c'].map((id) => ({ event_name: 'Lead', email: `${id}@example.com`, event_id: id })),
		);
		const dead = await eventually(async () => {
			const s = await status(r, ids[2]);
			expect(s.status).toBe('dead');
			return s;
		});
		expect(dead.last_error).toBe('invalid 100/2804009: Missing value for Purchase');
		for (const id of [ids[0], ids[1], ids[3]]) expect((await status(r, id)).status).toBe('sent');
		expect(meta.received.map((q) => q.body.data.map((e) => e.event_id))).toEqual([
			['a', 'b', 'bad', 'c'],
			['a', 'b'],
			['bad', 'c'],
			['bad'],
			['c'],
		]);
	});

	it('when Meta fails transiently, then the request is tried again in the same round and lands once', async () => {
		let calls = 0;
		meta.setResponder((req) =>
			++calls === 1
				? {
						status: 500,
						body: { error: { message: 'An unexpected error has occurred.', code: 2, is_transient: true } },
					}
				: { status: 200, body: { events_received: req.body.data.length, fbtrace_id: 'T2' } },
		);
		const r = await start('postgres');
		const [id] = await send(r, [{ event_name: 'Lead', email: 'retry@example.com', event_id: 'r1' }]);
		const s = await eventually(async () => {
			const st = await status(r, id);
			expect(st.status).toBe('sent');
			return st;
		});
		// One claim (attempts 1), two requests: the 500, then the retry after a short backoff.
		expect(s.attempts).toBe(1);
		expect(meta.received).toHaveLength(2);
	});

	it('when Meta keeps failing, then the event goes back to the queue and a later claim counts another attempt', async () => {
		let calls = 0;
		meta.setResponder((req) =>
			++calls <= 4
				? { status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2, is_transient: true } } }
				: { status: 200, body: { events_received: req.body.data.length, fbtrace_id: 'T5' } },
		);
		const r = await start('postgres');
		const [id] = await send(r, [{ event_name: 'Lead', email: 'again@example.com', event_id: 'r2' }]);
		const s = await eventually(async () => {
			const st = await status(r, id);
			expect(st.status).toBe('sent');
			return st;
		});
		expect(s.attempts).toBe(2);
		expect(meta.received).toHaveLength(5);
	});

	it('when Meta refuses the token (190), then delivery stops, the event is held and /health says why', async () => {
		meta.setResponder(() => ({
			status: 400,
			body: {
				error: {
					message: 'Error validating access token: Session has expired',
					type: 'OAuthException',
					code: 190,
					error_subcode: 463,
					fbtrace_id: 'Tauth',
				},
			},
		}));
		const r = await start();
		const [id] = await send(r, [{ event_name: 'Lead', email: 'held@example.com', event_id: 'h1' }]);
		const health = await eventually(async () => {
			const res = await fetch(`${r.url}/health`);
			expect(res.status).toBe(503);
			return json(res);
		});
		expect(health.meta.error).toBe('Meta refused the token (code 190)');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(meta.received).toHaveLength(1);
		expect((await status(r, id)).status).toBe('retry');
	});

	it('when a replica crashed mid-send, then another takes its claim over and sends it once', async () => {
		// First a service without a token: it stores but never sends.
		const holder = await startRelay('postgres', { META_PIXEL_ID: '123456' });
		const [id] = await send(holder, [{ event_name: 'Lead', email: 'orphan@example.com', event_id: 'o1' }]);
		const db = new Client({ connectionString: holder.databaseUrl });
		await db.connect();
		// A replica claims the event, then "crashes" before marking it.
		await db.query("select * from relay_claim_texts('crashed-replica', 10, 300)");
		await db.query("update relay_events set locked_at = now() - interval '10 minutes' where id = $1", [id]);
		await db.end();
		relay = await startRelay(
			'postgres',
			{ META_PIXEL_ID: '123456', META_ACCESS_TOKEN: 'EAAB-test-token', META_GRAPH_URL: meta.url },
			{ baseDelayMs: 50, idleMs: 50, staleAfterSeconds: 60 },
			{ shared: { url: holder.databaseUrl as string } },
		);
		const s = await eventually(async () => {
			const st = await status(relay as TestRelay, id);
			expect(st.status).toBe('sent');
			return st;
		});
		expect(s.attempts).toBe(2);
		expect(meta.received).toHaveLength(1);
		await relay.close();
		relay = undefined;
		await holder.close();
	});

	it('when Meta’s usage headers near the limit, then delivery pauses for the time Meta gives', async () => {
		meta.setResponder((req) => ({
			status: 200,
			body: { events_received: req.body.data.length, fbtrace_id: 'Tu' },
			headers: {
				'X-Business-Use-Case-Usage': JSON.stringify({
					'123456': [
						{
							type: 'ads_management',
							call_count: 95,
							total_cputime: 10,
							total_time: 10,
							estimated_time_to_regain_access: 2,
						},
					],
				}),
			},
		}));
		const r = await start();
		const [first] = await send(r, [{ event_name: 'Lead', email: 'u1@example.com', event_id: 'u1' }]);
		await eventually(async () => expect((await status(r, first)).status).toBe('sent'));
		const health = await json(await fetch(`${r.url}/health`));
		const pausedFor = Date.parse(health.dispatcher.paused_until) - Date.now();
		expect(pausedFor).toBeGreaterThan(100_000);
		expect(pausedFor).toBeLessThanOrEqual(120_000);
		const [second] = await send(r, [{ event_name: 'Lead', email: 'u2@example.com', event_id: 'u2' }]);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((await status(r, second)).status).toBe('queued');
		expect(meta.received).toHaveLength(1);
	});

	it('when no token is configured, then events are stored and held, nothing is sent', async () => {
		relay = await startRelay('pglite', { META_PIXEL_ID: '123456', META_GRAPH_URL: meta.url });
		const [id] = await send(relay, [{ event_name: 'Lead', email: 'wait@example.com' }]);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect((await status(relay, id)).status).toBe('queued');
		expect(meta.received).toHaveLength(0);
		expect(await json(await fetch(`${relay.url}/health`))).toMatchObject({
			status: 'ok',
			meta: { configured: false },
			dispatcher: { running: false },
		});
	});
});
