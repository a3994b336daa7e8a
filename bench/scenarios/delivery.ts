import { Agent, request } from 'node:http';
import { startMetaDouble } from '../../test/support/metaDouble';
import { startChild, type ChildServer } from '../lib/child';
import { freshDatabase } from '../lib/postgres';
import { fill, sentCount } from '../lib/relayClient';
import { relayEnv } from '../lib/relayEnv';
import { fmt } from '../lib/stats';
import type { Row } from '../lib/table';

export const META_LATENCY_MS = Number(process.env.BENCH_META_LATENCY_MS ?? 100);
const EVENTS = 50_000;
const NAIVE_EVENTS = 400;

type Double = Awaited<ReturnType<typeof startMetaDouble>>;

/** Queued → sent: fills a store with the token unset, then starts `replicas` dispatching processes. */
export async function drain(
	meta: Double,
	replicas: number,
	events: number,
	tag: string,
): Promise<{ seconds: number; requests: number; delivered: string[] }> {
	const db = await freshDatabase(tag);
	const env = relayEnv({ DATABASE_URL: db.url });
	try {
		const filler = await startChild('relay', env);
		await fill(filler.port, tag, events);
		await filler.stop();
		meta.received.length = 0;
		const withToken = { ...env, META_ACCESS_TOKEN: 'EAAB-bench-token', META_GRAPH_URL: meta.url };
		const started = process.hrtime.bigint();
		const servers: ChildServer[] = await Promise.all(
			Array.from({ length: replicas }, () => startChild('relay', withToken)),
		);
		try {
			for (;;) {
				const counts = await Promise.all(servers.map((s) => sentCount(s.port)));
				if (counts.reduce((a, b) => a + b, 0) >= events) break;
				await new Promise((r) => setTimeout(r, 20));
			}
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			return {
				seconds,
				requests: meta.received.length,
				delivered: meta.received.flatMap((r) => r.body.data.map((e) => String(e.event_id))),
			};
		} finally {
			await Promise.all(servers.map((s) => s.stop()));
		}
	} finally {
		await db.drop();
	}
}

/** What a naive integration does: one request per event (here 4 at a time, as the dispatcher's lanes). */
async function naive(meta: Double, events: number): Promise<number> {
	const agent = new Agent({ keepAlive: true, maxSockets: 4 });
	const url = new URL(meta.url);
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

/** 3. Delivery to the Meta double (latency as Meta's), against one request per event. */
export async function delivery(): Promise<Row[]> {
	const meta = await startMetaDouble(undefined, { latencyMs: META_LATENCY_MS });
	try {
		const baseline = await naive(meta, NAIVE_EVENTS);
		const run = await drain(meta, 1, EVENTS, 'deliver');
		const perSecond = EVENTS / run.seconds;
		const perThousand = (run.requests / EVENTS) * 1000;
		const unique = new Set(run.delivered).size;
		return [
			{
				scenario: `3 delivery (Postgres, ${fmt(EVENTS)} events, Meta ${META_LATENCY_MS} ms)`,
				figure: 'events/s queued → sent',
				value: fmt(perSecond),
				baseline: `${fmt(baseline, 1)} (one request per event, 4 in flight)`,
				ratio: fmt(perSecond / baseline),
				target: '≥ 20,000',
				met: perSecond >= 20_000,
			},
			{
				scenario: `3 delivery (Postgres, ${fmt(EVENTS)} events, Meta ${META_LATENCY_MS} ms)`,
				figure: 'Meta requests per 1,000 events',
				value: fmt(perThousand, 2),
				baseline: '1,000 (one per event)',
				ratio: fmt(perThousand / 1000, 4),
				target: '≤ 1.01',
				met: perThousand <= 1.01 && unique === EVENTS && run.delivered.length === EVENTS,
			},
		];
	} finally {
		await meta.close();
	}
}
