import { createHash } from 'node:crypto';
import { startChild } from '../lib/child';
import { simpleEvents } from '../lib/events';
import { closedLoop, type LoadRequest } from '../lib/load';
import { freshDatabase } from '../lib/postgres';
import { BENCH_SECRET, relayEnv } from '../lib/relayEnv';
import { fmt } from '../lib/stats';
import type { Row } from '../lib/table';

/** Node's fastest SHA-256 of a short string, hex, as the hashing in the service does it. */
export function rawHashRate(seconds = 1): number {
	const inputs = Array.from({ length: 1024 }, (_, i) => `customer.${i}@example.com`);
	let n = 0;
	const until = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
	const started = process.hrtime.bigint();
	while (process.hrtime.bigint() < until) {
		for (let i = 0; i < 1000; i++)
			createHash('sha256')
				.update(inputs[n++ & 1023])
				.digest('hex');
	}
	return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** 2. POST /v1/events with 1,000 events (e-mail, phone, names: four hashes each). */
export async function batchIngest(): Promise<Row[]> {
	const bodies: LoadRequest[] = Array.from({ length: 400 }, (_, b) => ({
		path: '/v1/events',
		headers: { authorization: `Bearer ${BENCH_SECRET}`, 'content-type': 'application/json' },
		body: JSON.stringify({ data: simpleEvents('batch', b * 1000, 1000) }),
	}));
	const rows: Row[] = [];
	const hashes = rawHashRate();
	for (const backend of ['PGlite', 'Postgres'] as const) {
		const db = backend === 'Postgres' ? await freshDatabase('batch') : undefined;
		const server = await startChild('relay', relayEnv(db ? { DATABASE_URL: db.url } : {}));
		let i = 0;
		try {
			const r = await closedLoop(server.port, () => bodies[i++ % bodies.length], { concurrency: 2, seconds: 5 });
			if (i > bodies.length) throw new Error('batch ingest: ran out of distinct events; make more bodies');
			if (Object.keys(r.statuses).some((s) => s !== '202'))
				throw new Error(`batch ingest: ${JSON.stringify(r.statuses)}`);
			const eventsPerSecond = r.perSecond * 1000;
			rows.push({
				scenario: `2 batch ingest (${backend}, 1,000 events a request)`,
				figure: 'events/s',
				value: fmt(eventsPerSecond),
				baseline: `${fmt(hashes)} SHA-256/s (raw, this process)`,
				ratio: `${fmt(eventsPerSecond / hashes, 3)} (${fmt((eventsPerSecond * 4) / hashes, 3)} of the hashes)`,
				target: '≥ 50,000 events/s',
				met: eventsPerSecond >= 50_000,
			});
		} finally {
			await server.stop();
			await db?.drop();
		}
	}
	return rows;
}
