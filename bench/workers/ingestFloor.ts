import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { prepareEvent } from '../../nodes/core/capi/build';
import { flatToEventInput, type FlatEvent } from '../../nodes/core/capi/flatEvent';
import { migrate } from '../../service/src/db/migrate';
import { openPglite } from '../../service/src/db/pglite';
import { copyField, copyFrom } from '../lib/copyIn';
import { simpleEvents } from '../lib/events';

// The batch-ingest floor, in a process of its own: the rows the service stores for the batch
// scenario's events (prepared and hashed before the clock starts), inserted into the same table
// with the same constraints and indexes (the service's migrations), by the fastest means Postgres
// has and without the service: one INSERT … SELECT FROM unnest(arrays) per batch, and COPY FROM
// STDIN. Each batch of BATCH rows is its own transaction, as one request is in the service;
// CONCURRENCY connections at once (PGlite: one, it runs on this thread).
const BACKEND = process.env.BENCH_FLOOR_BACKEND ?? 'postgres';
const URL = process.env.BENCH_FLOOR_URL ?? '';
const BATCH = Number(process.env.BENCH_FLOOR_BATCH ?? 1000);
const BATCHES = Number(process.env.BENCH_FLOOR_BATCHES ?? 100);
const CONCURRENCY = BACKEND === 'pglite' ? 1 : Number(process.env.BENCH_FLOOR_CONCURRENCY ?? 2);
const PIXEL = '123456';

interface FloorRow {
	pixel_id: string;
	event_name: string;
	event_id: string;
	payload: string;
}

/** What the service would store for these events: the hashed payload as JSON text, keyed. */
function rowsFor(tag: string, batch: number): FloorRow[] {
	const now = Math.floor(Date.now() / 1000);
	return simpleEvents(tag, batch * BATCH, BATCH).map((body) => {
		const prepared = prepareEvent(flatToEventInput(body as FlatEvent, { actionSource: 'system_generated' }), { now });
		if (!prepared.ok) throw new Error(`floor: ${prepared.issues[0].message}`);
		const event = prepared.event;
		return {
			pixel_id: PIXEL,
			event_name: event.event_name,
			event_id: String(event.event_id),
			payload: JSON.stringify(event),
		};
	});
}

const COLUMNS = 'pixel_id, event_name, event_id, source, payload';
const UNNEST = `insert into relay_events (${COLUMNS}) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`;
const COPY = `copy relay_events (${COLUMNS}) from stdin`;
const unnestParams = (rows: FloorRow[]) => [
	rows.map((r) => r.pixel_id),
	rows.map((r) => r.event_name),
	rows.map((r) => r.event_id),
	rows.map(() => 'api'),
	rows.map((r) => r.payload),
];
const copyText = (rows: FloorRow[]) =>
	rows
		.map(
			(r) =>
				`${copyField(r.pixel_id)}\t${copyField(r.event_name)}\t${copyField(r.event_id)}\tapi\t${copyField(r.payload)}\n`,
		)
		.join('');

interface Store {
	unnest(rows: FloorRow[], lane: number): Promise<unknown>;
	copy(rows: FloorRow[], lane: number): Promise<unknown>;
	truncate(): Promise<unknown>;
	close(): Promise<void>;
}

async function postgres(): Promise<Store> {
	const clients = await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			const c = new Client({ connectionString: URL });
			await c.connect();
			return c;
		}),
	);
	const executor = {
		backend: 'postgres' as const,
		query: async <T>(sql: string, params: unknown[] = []) => (await clients[0].query(sql, params)).rows as T[],
		exec: async (sql: string) => void (await clients[0].query(sql)),
		close: async () => undefined,
	};
	await migrate(executor);
	return {
		unnest: (rows, lane) => clients[lane].query(UNNEST, unnestParams(rows)),
		copy: (rows, lane) => copyFrom(clients[lane], COPY, copyText(rows)),
		truncate: () => clients[0].query('truncate relay_events'),
		close: async () => void (await Promise.all(clients.map((c) => c.end()))),
	};
}

async function pglite(): Promise<Store> {
	// The service's own opening (a data folder on disk, as RELAY_DATA_DIR), then its PGlite.
	const dir = mkdtempSync(join(tmpdir(), 'relay-floor-'));
	const executor = await openPglite(dir);
	await migrate(executor);
	await executor.close();
	const db = await PGlite.create(join(dir, 'pgdata'));
	return {
		unnest: (rows) => db.query(UNNEST, unnestParams(rows)),
		copy: (rows) => db.query(COPY.replace('stdin', "'/dev/blob'"), [], { blob: new Blob([copyText(rows)]) }),
		truncate: () => db.query('truncate relay_events'),
		close: () => db.close(),
	};
}

/** Events per second: BATCHES batches, CONCURRENCY at a time, after one warm-up batch per lane. */
async function measure(store: Store, method: 'unnest' | 'copy'): Promise<number> {
	await store.truncate();
	const batches = Array.from({ length: BATCHES + CONCURRENCY }, (_, b) => rowsFor(`floor-${method}`, b));
	await Promise.all(Array.from({ length: CONCURRENCY }, (_, lane) => store[method](batches[lane], lane)));
	let next = CONCURRENCY;
	const started = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async (_, lane) => {
			while (next < batches.length) await store[method](batches[next++], lane);
		}),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	return (BATCHES * BATCH) / seconds;
}

async function main(): Promise<void> {
	const store = BACKEND === 'pglite' ? await pglite() : await postgres();
	try {
		const unnest = await measure(store, 'unnest');
		const copy = await measure(store, 'copy');
		process.stdout.write(
			`${JSON.stringify({ backend: BACKEND, batch: BATCH, concurrency: CONCURRENCY, unnest, copy })}\n`,
		);
	} finally {
		await store.close();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`ingest floor: ${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
