import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import type { ServerEvent } from '../../nodes/core/capi/types';
import type { ClaimedEvent, OutboxRepository } from '../../service/src/db/repository';
import { Dispatcher } from '../../service/src/usecases/dispatcher';
import { startMetaDouble } from '../support/metaDouble';
import { json } from '../support/http';
import { eventually, startRelay, type TestRelay } from '../support/relayServer';

/**
 * A claim is a lease its claimer renews while it works: a dead claimer's claims are taken over
 * within one lease (10 s by default; it was five minutes), a live claimer's never, even when a
 * request to Meta takes longer than the lease.
 */
describe('claim leases', () => {
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	const relays: TestRelay[] = [];
	beforeEach(async () => {
		meta = await startMetaDouble();
	});
	afterEach(async () => {
		for (const r of relays.splice(0).reverse()) await r.close();
		await meta.close();
	});
	const token = () => ({ META_PIXEL_ID: '123456', META_ACCESS_TOKEN: 'EAAB-test-token', META_GRAPH_URL: meta.url });

	async function send(r: TestRelay, ids: string[]): Promise<string[]> {
		const res = await fetch(`${r.url}/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${r.apiSecret}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				data: ids.map((id) => ({ event_name: 'Lead', email: `${id}@example.com`, event_id: id })),
			}),
		});
		return (await json(res)).data.map((d: { id: string }) => d.id);
	}
	const status = async (r: TestRelay, id: string) =>
		json(await fetch(`${r.url}/v1/events/${id}`, { headers: { authorization: `Bearer ${r.apiSecret}` } }));

	// The takeover tests measure seconds from the restart (below 13); starting the relays comes
	// before, and a PGlite folder's first start (its migrations) took 17 s on a loaded machine.

	/** Seconds from now until every event is sent, and the attempt count each then has. */
	async function secondsUntilSent(r: TestRelay, ids: string[]): Promise<number> {
		const from = Date.now();
		await eventually(async () => {
			for (const id of ids) expect(await status(r, id)).toMatchObject({ status: 'sent', attempts: 2 });
		}, 20_000);
		return (Date.now() - from) / 1000;
	}

	it('a claim left by a dead replica (Postgres) is taken over within one lease, with the default options', async () => {
		const holder = await startRelay('postgres', { META_PIXEL_ID: '123456' });
		relays.push(holder);
		const ids = await send(holder, ['p1', 'p2']);
		const db = new Client({ connectionString: holder.databaseUrl });
		await db.connect();
		// A replica claims them just now, then is killed: no mark, no release.
		await db.query("select * from relay_claim_texts('relay-killed', 10, 10)");
		await db.end();
		const survivor = await startRelay('postgres', token(), undefined, {
			shared: { url: holder.databaseUrl as string },
		});
		relays.push(survivor);
		const seconds = await secondsUntilSent(survivor, ids);
		process.stdout.write(`lease (postgres): a dead replica's claim taken over after ${seconds.toFixed(1)} s\n`);
		expect(seconds).toBeLessThan(13);
		// Each once; the order is the claim's, which the takeover does not promise.
		expect(meta.received.flatMap((q) => q.body.data.map((e) => e.event_id)).sort()).toEqual(['p1', 'p2']);
	}, 60_000);

	it('a lone instance restarted on its PGlite folder takes its killed predecessor’s claims over within one lease', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'relay-lease-'));
		try {
			const before = await startRelay('pglite', { META_PIXEL_ID: '123456', RELAY_DATA_DIR: dir });
			const ids = await send(before, ['g1', 'g2']);
			// As the killed process left them: claimed by a worker that is gone.
			await (before.dispatcher['outbox'] as OutboxRepository).claim('relay-killed', 10, 10, 2_000_000);
			await before.close();
			const after = await startRelay('pglite', { ...token(), RELAY_DATA_DIR: dir });
			relays.push(after);
			const seconds = await secondsUntilSent(after, ids);
			process.stdout.write(
				`lease (pglite): the previous process's claim taken over ${seconds.toFixed(1)} s after the restart\n`,
			);
			expect(seconds).toBeLessThan(13);
		} finally {
			for (const r of relays.splice(0)) await r.close();
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);

	it('a live replica’s claim is never taken, even while Meta takes three leases to answer', async () => {
		await meta.close();
		meta = await startMetaDouble(undefined, { latencyMs: 3_000 });
		const dispatch = { baseDelayMs: 50, idleMs: 20, staleAfterSeconds: 1 };
		const a = await startRelay('postgres', token(), dispatch);
		relays.push(a);
		const b = await startRelay('postgres', token(), dispatch, { shared: { url: a.databaseUrl as string } });
		relays.push(b);
		const [id] = await send(a, ['live-1']);
		await eventually(async () => expect((await status(a, id)).status).toBe('sent'), 15_000);
		// One request: the other replica never took the claim while the first waited for Meta.
		expect(meta.received).toHaveLength(1);
		expect((await status(a, id)).attempts).toBe(1);
		expect(a.dispatcher.state.sent + b.dispatcher.state.sent).toBe(1);
	}, 30_000);

	describe('a claimer that cannot renew its lease', () => {
		const event = (id: string): ServerEvent => ({
			event_name: 'Lead',
			event_time: 1_700_000_000,
			action_source: 'chat',
			event_id: id,
			user_data: { external_id: ['a'.repeat(64)] },
		});

		async function roundWith(renew: () => Promise<number>) {
			const marks: string[] = [];
			const claimed: ClaimedEvent[] = [
				{
					id: 'x',
					pixel_id: '123456',
					test_event_code: null,
					attempts: 1,
					storedBytes: 200,
					payloadText: JSON.stringify(event('x')),
				},
			];
			const outbox = {
				claim: async () => claimed.splice(0),
				renew,
				markSent: async (_w: string, ids: string[]) => (marks.push('sent'), ids.length),
				markRetry: async (_w: string, ids: string[]) => (marks.push('retry'), ids.length),
				markDead: async (_w: string, ids: string[]) => (marks.push('dead'), ids.length),
				release: async () => 0,
			} as unknown as OutboxRepository;
			let calls = 0;
			// Meta fails once, transiently; the retry waits at least 750 ms, past 3/5 of the 1 s lease.
			meta.setResponder((req) =>
				++calls === 1
					? {
							status: 503,
							body: { error: { message: 'Service temporarily unavailable', code: 2, is_transient: true } },
						}
					: { status: 200, body: { events_received: req.body.data.length, fbtrace_id: 'T' } },
			);
			const dispatcher = new Dispatcher(
				outbox,
				{ graphUrl: meta.url, apiVersion: 'v25.0', accessToken: 'EAAB-test' },
				pino({ level: 'silent' }),
				{ baseDelayMs: 1_500, idleMs: 20, concurrency: 1, staleAfterSeconds: 1 },
			);
			dispatcher.start();
			await new Promise((resolve) => setTimeout(resolve, 2_000));
			await dispatcher.stop();
			return marks;
		}

		it('sends no further request once its lease may lapse, and leaves the events to the next claim', async () => {
			const marks = await roundWith(async () => {
				throw new Error('connection refused');
			});
			expect(meta.received).toHaveLength(1);
			expect(marks).toEqual([]);
		});

		it('(while renewals succeed, the same round retries and lands)', async () => {
			const marks = await roundWith(async () => 1);
			expect(meta.received).toHaveLength(2);
			expect(marks).toEqual(['sent']);
		});
	});
});
