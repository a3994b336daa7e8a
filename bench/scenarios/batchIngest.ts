import { createHash } from 'node:crypto';
import { runWorker, startChild } from '../lib/child';
import { simpleEvents } from '../lib/events';
import { closedLoop, type LoadRequest } from '../lib/load';
import { freshDatabase } from '../lib/postgres';
import { BENCH_SECRET, relayEnv } from '../lib/relayEnv';
import { fmt } from '../lib/stats';
import type { Row } from '../lib/table';

const CONCURRENCY = 2;

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

/** bench/workers/ingestFloor: events/s of the same rows by one unnest statement and by COPY. */
interface IngestFloor {
	unnest: number;
	copy: number;
}

/** The faster of the two floors, and both, for the table. */
function floorOf(f: IngestFloor): { best: number; text: string } {
	const best = Math.max(f.unnest, f.copy);
	return { best, text: `floor ${fmt(best)}: COPY ${fmt(f.copy)}, unnest ${fmt(f.unnest)}` };
}

/**
 * 2. POST /v1/events with 1,000 events (e-mail, phone, names: four hashes each), two clients,
 * against the floor: the same rows into the same table and indexes without the service.
 */
export async function batchIngest(): Promise<Row[]> {
	const bodies: LoadRequest[] = Array.from({ length: 400 }, (_, b) => ({
		path: '/v1/events',
		headers: { authorization: `Bearer ${BENCH_SECRET}`, 'content-type': 'application/json' },
		body: JSON.stringify({ data: simpleEvents('batch', b * 1000, 1000) }),
	}));
	const hashes = rawHashRate();
	const measured: Record<'PGlite' | 'Postgres', { perSecond: number; floor: IngestFloor }> = {} as never;
	for (const backend of ['PGlite', 'Postgres'] as const) {
		const db = backend === 'Postgres' ? await freshDatabase('batch') : undefined;
		const floorDb = backend === 'Postgres' ? await freshDatabase('batch_floor') : undefined;
		try {
			const floor = await runWorker<IngestFloor>('ingestFloor', {
				BENCH_FLOOR_BACKEND: floorDb ? 'postgres' : 'pglite',
				BENCH_FLOOR_URL: floorDb?.url ?? '',
				BENCH_FLOOR_CONCURRENCY: String(CONCURRENCY),
			});
			const server = await startChild('relay', relayEnv(db ? { DATABASE_URL: db.url } : {}));
			let i = 0;
			try {
				const r = await closedLoop(server.port, () => bodies[i++ % bodies.length], {
					concurrency: CONCURRENCY,
					seconds: 5,
				});
				if (i > bodies.length) throw new Error('batch ingest: ran out of distinct events; make more bodies');
				if (Object.keys(r.statuses).some((s) => s !== '202'))
					throw new Error(`batch ingest: ${JSON.stringify(r.statuses)}`);
				measured[backend] = { perSecond: r.perSecond * 1000, floor };
			} finally {
				await server.stop();
			}
		} finally {
			await floorDb?.drop();
			await db?.drop();
		}
	}
	const postgres = measured.Postgres;
	const pglite = measured.PGlite;
	const hashShare = (perSecond: number) =>
		`4 SHA-256 an event: ${fmt((perSecond * 4 * 100) / hashes, 1)}% of ${fmt(hashes)}/s`;
	const pgFloor = floorOf(postgres.floor);
	const liteFloor = floorOf(pglite.floor);
	return [
		{
			scenario: '2 batch ingest (Postgres, 1,000 events a request, c=2)',
			figure: 'events/s',
			value: fmt(postgres.perSecond),
			baseline: `${pgFloor.text} (same rows, table and indexes, 2 connections, no service); ${hashShare(postgres.perSecond)}`,
			ratio: fmt(postgres.perSecond / pgFloor.best, 2),
			target: '≥ 50,000 events/s',
			met: postgres.perSecond >= 50_000,
		},
		{
			scenario: '2 batch ingest (PGlite, 1,000 events a request, c=2)',
			figure: 'events/s',
			value: fmt(pglite.perSecond),
			baseline: `${liteFloor.text} (PGlite, same rows, table and indexes, no service); Postgres above ${fmt(postgres.perSecond)}`,
			ratio: `${fmt(pglite.perSecond / liteFloor.best, 2)} of the floor, ${fmt(pglite.perSecond / postgres.perSecond, 2)} of Postgres`,
			target: '≥ 0.50 of Postgres',
			met: pglite.perSecond >= 0.5 * postgres.perSecond,
		},
	];
}
