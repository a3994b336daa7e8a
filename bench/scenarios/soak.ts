import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { startMetaDouble } from '../../test/support/metaDouble';
import { startChild } from '../lib/child';
import { keepAliveAgent, probeInChild, startHostileTraffic } from '../lib/hostile';
import type { LoadRequest } from '../lib/load';
import { freshDatabase } from '../lib/postgres';
import { relayEnv } from '../lib/relayEnv';
import { signedOrders } from '../lib/shopify';
import { fmt } from '../lib/stats';
import type { Row } from '../lib/table';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 200);

/** Resident memory (MB) and open file descriptors (sockets included) of a process, from /proc. */
function sample(pid: number): { rssMb: number; fds: number } {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
	return { rssMb: rss, fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** The answer's status, or the connection error's code (a sender would retry those). */
function post(agent: Agent, port: number, r: LoadRequest): Promise<number | string> {
	return new Promise((resolve) => {
		const req = request(
			{
				host: '127.0.0.1',
				port,
				method: 'POST',
				path: r.path,
				agent,
				headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
		req.end(r.body);
	});
}

const percentile = (xs: number[], p: number) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;

/** Distinct (event_name, event_id) pairs Meta received, and how many arrived more than once. */
function atMeta(meta: Awaited<ReturnType<typeof startMetaDouble>>): { ids: Set<string>; repeats: number } {
	const ids = new Set<string>();
	let repeats = 0;
	for (const r of meta.received) {
		for (const e of r.body.data) {
			const k = `${e.event_name}\u0000${e.event_id}`;
			if (ids.has(k)) repeats++;
			ids.add(k);
		}
	}
	return { ids, repeats };
}

/**
 * A steady rate of signed webhooks for BENCH_SOAK_MINUTES (10) while the dispatcher delivers to
 * a 100 ms Meta, beside a hostile mix (slow uploads, oversized events, replayed signed requests,
 * storms of one delivery): memory and open handles stay flat, /health answers fast, and every
 * valid event reaches Meta once. Not in the default run (ten minutes): `npm run bench -- soak`.
 */
export async function soak(): Promise<Row[]> {
	const meta = await startMetaDouble(undefined, { latencyMs: 100 });
	const db = await freshDatabase('soak');
	const server = await startChild(
		'relay',
		relayEnv({ DATABASE_URL: db.url, META_ACCESS_TOKEN: 'EAAB-soak-token', META_GRAPH_URL: meta.url }),
	);
	const agent = keepAliveAgent(32);
	const requests = signedOrders(RATE * 60 * MINUTES + RATE);
	const samples: Array<{ minute: number; rssMb: number; fds: number }> = [];
	const statuses: Record<string, number> = {};
	const hostile = startHostileTraffic(server.port);
	// /health every 100 ms from a process of its own, and a route that touches no database beside it
	// (what the event loop alone costs).
	const probes = probeInChild(server.port, ['/health', '/openapi.json']);
	let latencies: Record<string, number[]> = {};
	let delivered = { ids: new Set<string>(), repeats: 0 };
	let sent = 0;
	try {
		const started = Date.now();
		const end = started + MINUTES * 60_000;
		const inflight = new Set<Promise<void>>();
		let nextSample = started + 10_000;
		while (Date.now() < end) {
			// Keep to the rate: as many requests as the clock says should have gone by now.
			const due = Math.floor(((Date.now() - started) / 1000) * RATE);
			while (sent < due) {
				const index = sent++;
				const p = post(agent, server.port, requests[index]).then((s) => {
					statuses[s] = (statuses[s] ?? 0) + 1;
					// Acknowledged, so it must reach Meta; a refused connection is the sender's to retry.
					if (s === 200) hostile.expected.add(`Purchase\u0000${9_000_000_000 + index}`);
					inflight.delete(p);
				});
				inflight.add(p);
			}
			if (Date.now() >= nextSample) {
				samples.push({ minute: (Date.now() - started) / 60_000, ...sample(server.child.pid as number) });
				nextSample += 10_000;
			}
			await new Promise((r) => setTimeout(r, 20));
		}
		await Promise.all(inflight);
		await hostile.stop();
		latencies = await probes.stop();
		// Drained: every expected event at Meta, or two minutes without progress.
		for (let waited = 0, last = -1; waited < 120_000; waited += 1_000) {
			delivered = atMeta(meta);
			if ([...hostile.expected].every((k) => delivered.ids.has(k))) break;
			if (delivered.ids.size !== last) waited = 0;
			last = delivered.ids.size;
			await new Promise((r) => setTimeout(r, 1_000));
		}
	} finally {
		await probes.stop();
		agent.destroy();
		await server.stop();
		await meta.close();
		await db.drop();
	}
	// Flat means no growth once warm: the second half against its first minute (V8 grows its heap
	// to a working size early on, which is not a leak).
	const half = samples.filter((s) => s.minute >= MINUTES / 2);
	const first = half.filter((s) => s.minute < MINUTES / 2 + 1);
	const last = samples.filter((s) => s.minute >= MINUTES - 1);
	const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
	const rssFirst = avg(first.map((s) => s.rssMb));
	const rssLast = avg(last.map((s) => s.rssMb));
	const fdFirst = Math.max(...first.map((s) => s.fds));
	const fdLast = Math.max(...last.map((s) => s.fds));
	const perMinute = Array.from({ length: MINUTES }, (_, m) =>
		samples.filter((s) => s.minute >= m && s.minute < m + 1).map((s) => s.rssMb),
	);
	process.stderr.write(`soak RSS MB by minute: ${perMinute.map((xs) => (xs.length ? fmt(avg(xs)) : '—')).join(' ')}\n`);
	const ok = Object.entries(statuses).every(([s]) => s === '200');
	process.stderr.write(`soak hostile traffic: ${JSON.stringify(hostile.counts)}\n`);
	const missing = [...hostile.expected].filter((k) => !delivered.ids.has(k)).length;
	const contacts = [...delivered.ids].filter((k) => k.startsWith('Contact\u0000')).length;
	const signedRequests = hostile.counts['signed requests (one event each expected)'] ?? 0;
	const unexpected = [...delivered.ids].filter(
		(k) => !hostile.expected.has(k) && !k.startsWith('Contact\u0000'),
	).length;
	const health = latencies['/health'] ?? [];
	const p99 = percentile(health, 99);
	const scenario = `soak (${MINUTES} min at ${RATE} webhooks/s + hostile mix, Postgres, Meta 100 ms)`;
	return [
		{
			scenario,
			figure: '/health p99 ms (every 100 ms)',
			value: fmt(p99),
			baseline: `p50 ${fmt(percentile(health, 50))}; /openapi.json p99 ${fmt(percentile(latencies['/openapi.json'] ?? [], 99))}`,
			ratio: '',
			target: '≤ 200',
			met: p99 <= 200,
		},
		{
			scenario,
			figure: 'valid events at Meta, missing / sent twice / unexpected',
			value: `${missing} / ${delivered.repeats} / ${unexpected}`,
			baseline: `${hostile.expected.size} expected`,
			ratio: '',
			target: '0 / 0 / 0',
			met: missing === 0 && delivered.repeats === 0 && unexpected === 0,
		},
		{
			scenario,
			figure: 'signed requests replayed ×5: events at Meta',
			value: String(contacts),
			baseline: `${signedRequests} requests`,
			ratio: '',
			target: 'one each',
			met: contacts === signedRequests,
		},
		{
			scenario,
			figure: `RSS MB, last minute vs minute ${MINUTES / 2 + 1}`,
			value: fmt(rssLast),
			baseline: fmt(rssFirst),
			ratio: fmt(rssLast / rssFirst, 2),
			target: '≤ 1.10 (flat)',
			met: rssLast / rssFirst <= 1.1,
		},
		{
			scenario,
			figure: `open fds, last minute vs minute ${MINUTES / 2 + 1}`,
			value: String(fdLast),
			baseline: String(fdFirst),
			ratio: fmt(fdLast / fdFirst, 2),
			target: '≤ first + 5',
			met: fdLast <= fdFirst + 5,
		},
		{
			scenario,
			figure: 'answers',
			value: JSON.stringify(statuses),
			baseline: '',
			ratio: '',
			target: 'all 200',
			met: ok,
		},
	];
}
