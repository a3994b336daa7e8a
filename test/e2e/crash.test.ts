import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type ChildServer } from '../../bench/lib/child';
import { freshDatabase } from '../../bench/lib/postgres';
import { BENCH_SECRET, relayEnv } from '../../bench/lib/relayEnv';
import { signedOrders } from '../../bench/lib/shopify';
import { startMetaDouble } from '../support/metaDouble';
import { freePort } from '../support/ports';

// The service is the compiled one the bench uses, in a child process that can be SIGKILLed.
const ROOT = join(__dirname, '../..');
const REQUESTS = 5000;
const KILLS = 3;

interface Req {
	path: string;
	headers: Record<string, string>;
	body: string;
	eventId: string;
}

function workload(): Req[] {
	const hooks = signedOrders(REQUESTS / 2).map((r) => ({
		...r,
		eventId: String((JSON.parse(r.body) as { id: number }).id),
	}));
	const api = Array.from({ length: REQUESTS / 2 }, (_, i) => ({
		path: '/v1/events',
		headers: { authorization: `Bearer ${BENCH_SECRET}`, 'content-type': 'application/json' },
		body: JSON.stringify({ event_name: 'Lead', event_id: `crash-${i}`, email: `crash.${i}@example.com` }),
		eventId: `crash-${i}`,
	}));
	// Interleaved, so both paths are in flight at every kill.
	return hooks.flatMap((h, i) => [h, api[i]]);
}

/** Like Shopify and like a careful client: a request is sent again until it gets a 2xx. */
async function sendUntilAcknowledged(port: () => number, r: Req): Promise<number> {
	for (let attempt = 1; ; attempt++) {
		try {
			const res = await fetch(`http://127.0.0.1:${port()}${r.path}`, {
				method: 'POST',
				headers: r.headers,
				body: r.body,
			});
			await res.arrayBuffer();
			if (res.status >= 200 && res.status < 300) return attempt;
			if (res.status < 500) throw new Error(`${r.path} answered ${res.status}`);
		} catch (error) {
			if ((error as Error).message.includes('answered')) throw error;
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

beforeAll(() => {
	execFileSync(
		process.execPath,
		[join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'bench/tsconfig.json')],
		{ stdio: 'inherit' },
	);
}, 120_000);

describe.each(['pglite', 'postgres'] as const)('SIGKILL under load (%s)', (backend) => {
	it(`loses nothing acknowledged, stores nothing twice and leaves nothing in sending, after ${KILLS} kills`, async () => {
		const meta = await startMetaDouble(undefined, { latencyMs: 20 });
		const db = backend === 'postgres' ? await freshDatabase('crash') : undefined;
		const port = await freePort();
		const env = relayEnv({
			BENCH_PORT: String(port),
			META_ACCESS_TOKEN: 'EAAB-crash-token',
			META_GRAPH_URL: meta.url,
			// A killed replica's claims are taken over after 2 s instead of 5 minutes.
			BENCH_DISPATCH: JSON.stringify({ staleAfterSeconds: 2, baseDelayMs: 100, idleMs: 50 }),
			...(db ? { DATABASE_URL: db.url } : {}),
		});
		let server: ChildServer = await startChild('relay', env);
		try {
			const work = workload();
			let acknowledged = 0;
			const killAt = Array.from({ length: KILLS }, (_, k) =>
				Math.floor(((k + 1) * REQUESTS) / (KILLS + 1) + (Math.random() - 0.5) * 600),
			);
			let restarting: Promise<void> | undefined;
			let next = 0;
			const client = async () => {
				while (next < work.length) {
					const r = work[next++];
					await restarting;
					await sendUntilAcknowledged(() => port, r);
					acknowledged++;
					if (killAt.length && acknowledged >= killAt[0] && !restarting) {
						killAt.shift();
						restarting = (async () => {
							server.child.kill('SIGKILL');
							await new Promise((resolve) => server.child.once('exit', resolve));
							server = await startChild('relay', env);
						})();
						await restarting;
						restarting = undefined;
					}
				}
			};
			await Promise.all(Array.from({ length: 8 }, client));
			expect(acknowledged).toBe(REQUESTS);

			const expected = new Set(work.map((r) => r.eventId));
			const deadline = Date.now() + 60_000;
			let delivered: string[] = [];
			while (Date.now() < deadline) {
				delivered = meta.received.flatMap((q) => q.body.data.map((e) => String(e.event_id)));
				if (new Set(delivered).size >= expected.size && [...expected].every((id) => delivered.includes(id))) break;
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
			const distinct = new Set(delivered);
			expect([...expected].filter((id) => !distinct.has(id))).toEqual([]);
			// Re-sends can only come from requests in flight when a process died (Meta had the
			// events, the commit of "sent" had not happened): Meta drops them by event_id.
			const resent = delivered.length - distinct.size;
			expect(resent).toBeLessThanOrEqual(KILLS * 4 * 1000);
			process.stdout.write(
				`crash (${backend}): ${REQUESTS} acknowledged, ${KILLS} SIGKILLs, ${distinct.size} delivered, ${resent} re-sent after a kill\n`,
			);

			const headers = { authorization: `Bearer ${BENCH_SECRET}` };
			for (const status of ['sending', 'queued', 'retry', 'dead']) {
				const page = (await (
					await fetch(`http://127.0.0.1:${port}/v1/events?status=${status}&limit=5`, { headers })
				).json()) as { data: unknown[] };
				expect({ status, rows: page.data.length }).toEqual({ status, rows: 0 });
			}
			// Stored once each: every acknowledged request is one sent row, no more.
			const stored: string[] = [];
			let cursor: string | null = null;
			do {
				const page = (await (
					await fetch(`http://127.0.0.1:${port}/v1/events?status=sent&limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
						headers,
					})
				).json()) as { data: Array<{ event_id: string }>; next_cursor: string | null };
				stored.push(...page.data.map((e) => e.event_id));
				cursor = page.next_cursor;
			} while (cursor);
			expect(stored.length).toBe(REQUESTS);
			expect(new Set(stored)).toEqual(expected);
		} finally {
			await server.stop();
			await meta.close();
			await db?.drop();
			rmSync(env.RELAY_DATA_DIR, { recursive: true, force: true });
		}
	}, 180_000);
});
