import { Agent, request } from 'node:http';
import { runWorker, startChild, type ChildServer } from '../lib/child';
import { startMetaDoubleChild, type MetaCounts, type MetaDoubleChild } from '../lib/metaDouble';
import { copyDatabase, freshDatabase } from '../lib/postgres';
import { cpuSeconds } from '../lib/proc';
import { fill, sentCount } from '../lib/relayClient';
import { relayEnv } from '../lib/relayEnv';
import { fmt } from '../lib/stats';
import type { Row } from '../lib/table';

export const META_LATENCY_MS = Number(process.env.BENCH_META_LATENCY_MS ?? 100);
const EVENTS = 50_000;
const NAIVE_EVENTS = 400;
/** The dispatcher's lanes (its default concurrency), each claiming up to 1,000 events. */
const LANES = 4;

/** bench/workers/claimFloor: the claim and mark statements alone on a copy of the filled store. */
export interface ClaimFloor {
	lanes: number;
	events: number;
	rounds: number;
	seconds: number;
	claimMs: number;
	markMs: number;
}

export interface Drained {
	/** From the moment every process answered to the last event sent. */
	seconds: number;
	/** Events sent in that time: those sent while a process was still starting do not count. */
	sent: number;
	/** From spawning the processes to the last event sent, their start included. */
	wallSeconds: number;
	meta: MetaCounts;
	/** CPU of the dispatching service processes, together, from the moment they answered. */
	serviceCpuSeconds: number;
	/** Their CPU until then: node, modules, migrations check. */
	startCpuSeconds: number;
	floor?: ClaimFloor;
}

const totalCpu = (servers: ChildServer[]) => servers.reduce((sum, s) => sum + cpuSeconds(s.child.pid as number), 0);
const totalSent = async (servers: ChildServer[]) =>
	(await Promise.all(servers.map((s) => sentCount(s.port)))).reduce((a, b) => a + b, 0);

/**
 * Queued → sent: fills a store with the token unset, then starts `replicas` dispatching
 * processes; with `floor`, first the claim floor on a copy of the filled store.
 */
export async function drain(
	meta: MetaDoubleChild,
	replicas: number,
	events: number,
	tag: string,
	floor = false,
): Promise<Drained> {
	const db = await freshDatabase(tag);
	const env = relayEnv({ DATABASE_URL: db.url });
	try {
		const filler = await startChild('relay', env);
		await fill(filler.port, tag, events);
		await filler.stop();
		let floorRun: ClaimFloor | undefined;
		if (floor) {
			const copy = await copyDatabase(db.name, `${tag}_floor`);
			try {
				floorRun = await runWorker<ClaimFloor>('claimFloor', {
					BENCH_FLOOR_URL: copy.url,
					BENCH_FLOOR_LANES: String(LANES),
				});
			} finally {
				await copy.drop();
			}
			if (floorRun.events !== events) throw new Error(`claim floor: ${floorRun.events} of ${events} claimed`);
		}
		await meta.reset();
		const withToken = { ...env, META_ACCESS_TOKEN: 'EAAB-bench-token', META_GRAPH_URL: meta.url };
		const spawned = process.hrtime.bigint();
		const servers: ChildServer[] = await Promise.all(
			Array.from({ length: replicas }, () => startChild('relay', withToken)),
		);
		try {
			// A running service draining its queue: the clock starts once every process answers.
			const ready = process.hrtime.bigint();
			const startCpuSeconds = totalCpu(servers);
			const sentAtReady = await totalSent(servers);
			while ((await totalSent(servers)) < events) await new Promise((r) => setTimeout(r, 20));
			const done = process.hrtime.bigint();
			return {
				seconds: Number(done - ready) / 1e9,
				sent: events - sentAtReady,
				wallSeconds: Number(done - spawned) / 1e9,
				meta: await meta.stats(),
				serviceCpuSeconds: totalCpu(servers) - startCpuSeconds,
				startCpuSeconds,
				floor: floorRun,
			};
		} finally {
			await Promise.all(servers.map((s) => s.stop()));
		}
	} finally {
		await db.drop();
	}
}

/** What a naive integration does: one request per event (here 4 at a time, as the dispatcher's lanes). */
async function naive(metaUrl: string, events: number): Promise<number> {
	const agent = new Agent({ keepAlive: true, maxSockets: 4 });
	const url = new URL(metaUrl);
	let next = 0;
	const started = process.hrtime.bigint();
	const lane = async () => {
		while (next < events) {
			const i = next++;
			const body = JSON.stringify({
				data: [
					{
						event_name: 'Purchase',
						event_time: Math.floor(Date.now() / 1000),
						action_source: 'system_generated',
						event_id: `naive-${i}`,
						user_data: { em: ['a'.repeat(64)] },
					},
				],
			});
			await new Promise<void>((resolve, reject) => {
				const req = request(
					{
						host: url.hostname,
						port: url.port,
						method: 'POST',
						path: '/v25.0/123456/events',
						agent,
						headers: { 'content-type': 'application/json' },
					},
					(res) => {
						res.resume();
						res.on('end', () => resolve());
					},
				);
				req.on('error', reject);
				req.end(body);
			});
		}
	};
	await Promise.all(Array.from({ length: 4 }, lane));
	agent.destroy();
	return events / (Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * 3. Delivery to the Meta double (latency as Meta's, in a process of its own) against its floor:
 * the claim and mark statements alone, same lanes and batch sizes, on a copy of the same store.
 */
export async function delivery(): Promise<Row[]> {
	const meta = await startMetaDoubleChild(META_LATENCY_MS);
	try {
		const baseline = await naive(meta.url, NAIVE_EVENTS);
		const run = await drain(meta, 1, EVENTS, 'deliver', true);
		const floor = run.floor as ClaimFloor;
		const perSecond = run.sent / run.seconds;
		const floorPerSecond = floor.events / floor.seconds;
		const metaBound = (LANES * 1000) / (META_LATENCY_MS / 1000);
		const perThousand = (run.meta.requests / EVENTS) * 1000;
		const scenario = `3 delivery (Postgres, ${fmt(EVENTS)} events, Meta ${META_LATENCY_MS} ms)`;
		return [
			{
				scenario,
				figure: 'events/s queued → sent',
				value: fmt(perSecond),
				baseline: `floor ${fmt(floorPerSecond)}: claim + mark sent alone (${LANES} lanes × 1,000, ${fmt(floor.claimMs, 1)} + ${fmt(floor.markMs, 1)} ms a round); Meta's ${META_LATENCY_MS} ms alone: ${fmt(metaBound)}`,
				ratio: fmt(perSecond / floorPerSecond, 2),
				target: '≥ 20,000',
				met: perSecond >= 20_000,
			},
			{
				scenario,
				figure: 'Meta requests per 1,000 events',
				value: fmt(perThousand, 2),
				baseline: `1.00 (1,000 a request); one request per event: ${fmt(baseline, 1)} events/s, 4 in flight`,
				ratio: fmt(perThousand / 1000, 4),
				target: '≤ 1.01',
				met: perThousand <= 1.01 && run.meta.distinct === EVENTS && run.meta.events === EVENTS,
			},
			{
				scenario,
				figure: 'CPU s: service / Meta double (own process)',
				value: `${fmt(run.serviceCpuSeconds, 1)} / ${fmt(run.meta.cpuSeconds, 1)}`,
				baseline: `${fmt(run.seconds, 2)} s from the service's first answer for ${fmt(run.sent)} events; ${fmt(run.wallSeconds, 2)} s and ${fmt(EVENTS / run.wallSeconds)} events/s with its start (${fmt(run.startCpuSeconds, 1)} s CPU); ${fmt(run.meta.distinct)} distinct of ${fmt(run.meta.events)} events at Meta`,
				ratio: '',
				target: '',
				met: undefined,
			},
		];
	} finally {
		await meta.stop();
	}
}
