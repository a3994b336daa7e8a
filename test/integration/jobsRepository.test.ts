import { randomBytes } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { executorRpc, type Executor } from '../../service/src/db/executor';
import { JOB_CHUNK_MAX_BYTES, JobNotReceivingError, JobsRepository } from '../../service/src/db/jobsRepository';
import { migrate } from '../../service/src/db/migrate';
import { openPglite } from '../../service/src/db/pglite';
import { openPostgres } from '../../service/src/db/postgres';
import type { Rpc } from '../../service/src/db/rpc';
import { openSupabase } from '../../service/src/db/supabase';
import type { Job, JobSpec } from '../../service/src/usecases/jobs/types';
import { freshDatabase } from '../support/database';
import { prepareSupabaseDatabase, startPostgrest, type Postgrest } from '../support/postgrest';

type Backend = 'pglite' | 'postgres' | 'supabase';

interface Opened {
	rpc: Rpc;
	/** Plain SQL on the same database, to look at what the functions left behind. */
	sql: Executor;
	/** A second repository on its own connections (another replica); PGlite has only one. */
	replica(): JobsRepository;
	postgrest?: Postgrest;
	close(): Promise<void>;
}

async function open(backend: Backend): Promise<Opened> {
	if (backend === 'pglite') {
		const db = await openPglite(undefined);
		await migrate(db);
		const rpc = executorRpc(db);
		return { rpc, sql: db, replica: () => new JobsRepository(rpc), close: () => db.close() };
	}
	const database = await freshDatabase('jobs');
	const others: Rpc[] = [];
	if (backend === 'postgres') {
		const db = openPostgres(database.url);
		await migrate(db);
		const sql = openPostgres(database.url);
		return {
			rpc: executorRpc(db),
			sql,
			replica: () => {
				const rpc = executorRpc(openPostgres(database.url));
				others.push(rpc);
				return new JobsRepository(rpc);
			},
			close: async () => {
				for (const o of others) await o.close();
				await db.close();
				await sql.close();
				await database.drop();
			},
		};
	}
	await prepareSupabaseDatabase(database.url);
	const postgrest = await startPostgrest(database.url);
	const sql = openPostgres(database.url);
	const rpc = openSupabase(postgrest.url, postgrest.serviceRoleKey);
	return {
		rpc,
		sql,
		postgrest,
		replica: () => {
			const other = openSupabase(postgrest.url, postgrest.serviceRoleKey);
			others.push(other);
			return new JobsRepository(other);
		},
		close: async () => {
			for (const o of others) await o.close();
			await rpc.close();
			await postgrest.stop();
			await sql.close();
			await database.drop();
		},
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * A job created after the one before it, by the database's clock: PGlite's counts milliseconds,
 * and two jobs created within one tie on created_at (the claim then orders them by their random id).
 */
const later = async <T>(create: () => Promise<T>): Promise<T> => {
	await sleep(2);
	return create();
};
const audienceSpec: JobSpec = {
	source: 'shopify_customers',
	audience: { id: '120210000000000', mode: 'replace', schema: ['EMAIL', 'PHONE'] },
	hubspot: { enabled: true },
};
const fileSpec: JobSpec = { source: 'file', audience: { id: '120210000000001', mode: 'add', schema: ['EMAIL'] } };
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const LEASE = 30;

describe.each<Backend>(['pglite', 'postgres', 'supabase'])('sync jobs storage (%s)', (backend) => {
	let db: Opened;
	let jobs: JobsRepository;
	beforeAll(async () => {
		db = await open(backend);
		jobs = new JobsRepository(db.rpc);
	}, 60_000);
	afterAll(async () => {
		await db?.close();
	});
	// Claims take any free job of the database: every test starts from an empty table.
	beforeEach(async () => {
		await db.sql.query('delete from relay_jobs');
	});

	const chunkCount = async (id: string) =>
		Number(
			(await db.sql.query<{ n: string }>('select count(*) as n from relay_job_chunks where job_id = $1', [id]))[0].n,
		);

	it('takes a file job through every state: receiving → queued → exporting → sending → done', async () => {
		const created = await jobs.create(fileSpec, 'receiving');
		expect(created).toMatchObject({
			state: 'receiving',
			spec: fileSpec,
			checkpoint: { records: 0 },
			counters: { read: 0 },
			error: null,
			attempts: 0,
			cancel_requested: false,
			started_at: null,
			finished_at: null,
		});
		expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(new Date(created.created_at).toISOString()).toBe(created.created_at);
		// An upload is never claimed.
		expect(await jobs.claim('w-a', LEASE)).toBeUndefined();

		await jobs.putChunk(created.id, 0, 2, Buffer.from('first'));
		await jobs.putChunk(created.id, 1, 1, Buffer.from('second'));
		const queued = await jobs.markReceived(created.id, { format: 'ndjson', records: 3, chunks: 2 });
		expect(queued).toMatchObject({
			state: 'queued',
			spec: { ...fileSpec, file: { format: 'ndjson', records: 3, chunks: 2 } },
		});
		expect(await jobs.markReceived(created.id, { format: 'ndjson', records: 3, chunks: 2 })).toBeUndefined();

		const claimed = (await jobs.claim('w-a', LEASE)) as Job;
		expect(claimed).toMatchObject({ id: created.id, state: 'queued', attempts: 1 });
		expect(claimed.started_at).not.toBeNull();
		// Held: no one else gets it.
		expect(await jobs.claim('w-b', LEASE)).toBeUndefined();

		expect(await jobs.progress('w-a', created.id, { state: 'exporting' }, LEASE)).toEqual({
			held: true,
			cancelRequested: false,
		});
		expect((await jobs.get(created.id))?.state).toBe('exporting');
		const checkpoint = { records: 2, bulk_operation_id: 'gid://shopify/BulkOperation/1' };
		const counters = { read: 2, audience: { sent: 2, invalid: 0, requests: 1 } };
		expect(await jobs.progress('w-a', created.id, { state: 'sending', checkpoint, counters }, LEASE)).toEqual({
			held: true,
			cancelRequested: false,
		});
		expect(await jobs.get(created.id)).toMatchObject({ state: 'sending', checkpoint, counters });
		// The state only moves on.
		await expect(jobs.progress('w-a', created.id, { state: 'exporting' }, LEASE)).rejects.toThrow(
			/state: a sending job does not go back to exporting/,
		);
		// Someone else's progress and finish change nothing.
		expect(await jobs.progress('w-b', created.id, { counters: { read: 99 } }, LEASE)).toEqual({
			held: false,
			cancelRequested: false,
		});
		expect(await jobs.finish('w-b', created.id, 'failed', 'not mine')).toBe(false);
		expect((await jobs.get(created.id))?.counters).toEqual(counters);

		const final = { read: 3, audience: { sent: 3, invalid: 0, requests: 1 } };
		expect(await jobs.finish('w-a', created.id, 'done', null, final)).toBe(true);
		const done = (await jobs.get(created.id)) as Job;
		expect(done).toMatchObject({ state: 'done', counters: final, checkpoint, error: null, attempts: 1 });
		expect(done.finished_at).not.toBeNull();
		expect(Date.parse(done.finished_at as string)).toBeGreaterThanOrEqual(Date.parse(done.started_at as string));
		const [claim] = await db.sql.query<{ claimed_by: string | null; claimed_at: unknown }>(
			'select claimed_by, claimed_at from relay_jobs where id = $1',
			[created.id],
		);
		expect(claim).toEqual({ claimed_by: null, claimed_at: null });
		expect(await chunkCount(created.id)).toBe(0);
		expect(await jobs.getChunk(created.id, 0)).toBeUndefined();
		// Final: never claimed, progressed or finished again.
		expect(await jobs.claim('w-a', LEASE)).toBeUndefined();
		expect(await jobs.progress('w-a', created.id, {}, LEASE)).toEqual({ held: false, cancelRequested: false });
		expect(await jobs.finish('w-a', created.id, 'failed', 'again')).toBe(false);
	});

	it('claims queued jobs oldest first, one at a time, and never a receiving or finished one', async () => {
		const upload = await jobs.create(fileSpec, 'receiving');
		const first = await jobs.create(audienceSpec, 'queued');
		const second = await later(() => jobs.create(audienceSpec, 'queued'));
		const finished = await later(() => jobs.create(audienceSpec, 'queued'));
		expect((await jobs.claim('w-f', LEASE))?.id).toBe(first.id);
		await jobs.cancel(second.id); // unclaimed queued: cancelled at once
		expect((await jobs.claim('w-f', LEASE))?.id).toBe(finished.id);
		await jobs.finish('w-f', finished.id, 'failed', 'Meta: audience not found');
		expect(await jobs.claim('w-g', LEASE)).toBeUndefined();
		expect((await jobs.get(upload.id))?.state).toBe('receiving');
		expect(await jobs.runningCounts()).toEqual({
			receiving: 1,
			queued: 1,
			exporting: 0,
			sending: 0,
			done: 0,
			failed: 1,
			cancelled: 1,
		});
	});

	it('lets another runner take a job over once its lease lapsed, and the first one stops', async () => {
		const job = await jobs.create(audienceSpec, 'queued');
		const other = db.replica();
		expect((await jobs.claim('w-dead', 1))?.id).toBe(job.id);
		expect((await jobs.progress('w-dead', job.id, { state: 'exporting' }, 1)).held).toBe(true);
		expect(await other.claim('w-live', 1)).toBeUndefined();
		await sleep(1_300);
		// Lapsed: the holder's renewal is refused even before anyone took the job.
		expect(await jobs.renew('w-dead', job.id, 1)).toEqual({ held: false, cancelRequested: false });
		const taken = (await other.claim('w-live', 1)) as Job;
		expect(taken).toMatchObject({ id: job.id, state: 'exporting', attempts: 2 });
		expect(taken.started_at).toBe((await jobs.get(job.id))?.started_at);
		expect(await jobs.progress('w-dead', job.id, { checkpoint: { records: 5 } }, 1)).toEqual({
			held: false,
			cancelRequested: false,
		});
		expect(await jobs.finish('w-dead', job.id, 'done', null)).toBe(false);
		expect(await other.renew('w-live', job.id, 1)).toEqual({ held: true, cancelRequested: false });
		expect(await other.finish('w-live', job.id, 'done', null)).toBe(true);
		expect((await jobs.get(job.id))?.checkpoint).toEqual({ records: 0 });
	});

	it('keeps a renewed lease past its length, and lets a holder whose lease lapsed untaken still finish', async () => {
		const job = await jobs.create(audienceSpec, 'queued');
		await jobs.claim('w-a', 2);
		// Renewed every 0.8 s of a 2 s lease, for longer than the lease.
		for (let i = 0; i < 3; i++) {
			await sleep(800);
			expect((await jobs.renew('w-a', job.id, 2)).held).toBe(true);
			expect(await jobs.claim('w-b', 2)).toBeUndefined();
		}
		await sleep(2_300);
		expect(await jobs.finish('w-a', job.id, 'done', null)).toBe(true);
		expect(await jobs.claim('w-b', 2)).toBeUndefined();
	});

	it('a queued job claimed by a runner that died before its first progress is claimed again', async () => {
		const job = await jobs.create(audienceSpec, 'queued');
		await jobs.claim('w-dead', 1);
		await sleep(1_300);
		expect(await jobs.claim('w-b', 1)).toMatchObject({ id: job.id, state: 'queued', attempts: 2 });
	});

	it('a job put off by its runner is claimed by no one until its wait is over, its reason in error meanwhile', async () => {
		const job = await jobs.create(audienceSpec, 'queued');
		await jobs.claim('w-a', 1);
		await jobs.progress('w-a', job.id, { state: 'sending', checkpoint: { records: 7 } }, 1);
		const why = 'attempt 1 of 8 failed; next attempt after (soon): HubSpot unavailable: 503';
		expect(await jobs.retryLater('w-a', job.id, 3, 1, why)).toBe(true);
		expect(await jobs.get(job.id)).toMatchObject({
			state: 'sending',
			error: why,
			attempts: 1,
			checkpoint: { records: 7 },
		});
		// Let go: a renewal of the former holder still in flight is refused, and so is a second put-off.
		expect(await jobs.renew('w-a', job.id, 1)).toEqual({ held: false, cancelRequested: false });
		expect(await jobs.retryLater('w-a', job.id, 3, 1, why)).toBe(false);
		await sleep(1_500);
		// Past one lease: still waiting.
		expect(await jobs.claim('w-b', 1)).toBeUndefined();
		await sleep(2_000);
		expect(await jobs.claim('w-b', 1)).toMatchObject({ id: job.id, state: 'sending', attempts: 2 });
		expect(await jobs.finish('w-b', job.id, 'done', null)).toBe(true);
		expect((await jobs.get(job.id))?.error).toBeNull();
		await expect(jobs.retryLater('w-b', job.id, 86_401, 1, why)).rejects.toThrow(/delay: 0 to 86400 seconds/);
	});

	it('gives each job to one replica only when replicas claim at the same moment', async () => {
		const created = new Set<string>();
		for (let i = 0; i < 24; i++) created.add((await jobs.create(audienceSpec, 'queued')).id);
		const replicas = [jobs, db.replica(), db.replica()];
		const claims = await Promise.all(
			Array.from({ length: 36 }, (_, i) => replicas[i % replicas.length].claim(`w-${i}`, LEASE)),
		);
		const got = claims.filter((j): j is Job => j !== undefined).map((j) => j.id);
		expect(new Set(got).size).toBe(got.length);
		// Whatever a claim skipped while others held it is still there for the next one.
		for (let job = await jobs.claim('w-drain', LEASE); job; job = await jobs.claim('w-drain', LEASE)) got.push(job.id);
		expect(got.length).toBe(created.size);
		expect(new Set(got)).toEqual(created);
		const attempts = await db.sql.query<{ attempts: number }>('select distinct attempts from relay_jobs');
		expect(attempts).toEqual([{ attempts: 1 }]);
	});

	describe('cancel', () => {
		it('cancels an upload at once and deletes its chunks', async () => {
			const job = await jobs.create(fileSpec, 'receiving');
			await jobs.putChunk(job.id, 0, 1, randomBytes(100));
			const cancelled = (await jobs.cancel(job.id)) as Job;
			expect(cancelled).toMatchObject({ id: job.id, state: 'cancelled', cancel_requested: false });
			expect(cancelled.finished_at).not.toBeNull();
			expect(await chunkCount(job.id)).toBe(0);
			await expect(jobs.putChunk(job.id, 1, 1, randomBytes(10))).rejects.toThrow(JobNotReceivingError);
			await expect(jobs.putChunk(job.id, 1, 1, randomBytes(10))).rejects.toThrow(/not receiving \(cancelled\)/);
			expect(await chunkCount(job.id)).toBe(0);
		});

		it('cancels an unclaimed queued job at once', async () => {
			const job = await jobs.create(audienceSpec, 'queued');
			expect(await jobs.cancel(job.id)).toMatchObject({ state: 'cancelled' });
			expect(await jobs.claim('w-a', LEASE)).toBeUndefined();
		});

		it('asks the runner of a claimed job to stop; it finishes the job as cancelled', async () => {
			const queued = await jobs.create(audienceSpec, 'queued');
			await jobs.claim('w-a', LEASE);
			// Claimed but not yet started: its runner is asked, like any running job's.
			expect(await jobs.cancel(queued.id)).toMatchObject({ state: 'queued', cancel_requested: true });
			expect(await jobs.progress('w-a', queued.id, { state: 'exporting' }, LEASE)).toEqual({
				held: true,
				cancelRequested: true,
			});
			expect(await jobs.cancel(queued.id)).toMatchObject({ state: 'exporting', cancel_requested: true });
			expect(await jobs.renew('w-a', queued.id, LEASE)).toEqual({ held: true, cancelRequested: true });
			// A live holder's job is not taken from it, cancelled or not.
			expect(await jobs.claim('w-b', LEASE)).toBeUndefined();
			expect(await jobs.finish('w-a', queued.id, 'cancelled', null)).toBe(true);
			expect(await jobs.get(queued.id)).toMatchObject({ state: 'cancelled', cancel_requested: true });
		});

		it('cancels a job waiting to be tried again at once (no runner holds it), its chunks deleted', async () => {
			const job = await jobs.create(fileSpec, 'receiving');
			await jobs.putChunk(job.id, 0, 1, randomBytes(64));
			await jobs.markReceived(job.id, { format: 'ndjson', records: 1, chunks: 1 });
			await jobs.claim('w-a', LEASE);
			await jobs.progress('w-a', job.id, { state: 'sending' }, LEASE);
			await jobs.retryLater('w-a', job.id, 600, LEASE, 'attempt 1 of 8 failed');
			const cancelled = (await jobs.cancel(job.id)) as Job;
			expect(cancelled).toMatchObject({ state: 'cancelled', cancel_requested: false });
			expect(cancelled.finished_at).not.toBeNull();
			expect(await chunkCount(job.id)).toBe(0);
			expect(await jobs.claim('w-b', LEASE)).toBeUndefined();
		});

		it('hands a sending job whose runner died to the next claim first, to be finished as cancelled', async () => {
			const older = await jobs.create(audienceSpec, 'queued');
			const running = await later(() => jobs.create(fileSpec, 'receiving'));
			await jobs.putChunk(running.id, 0, 1, randomBytes(64));
			await jobs.markReceived(running.id, { format: 'csv', records: 1, chunks: 1 });
			// Take the older one out of the way first, then the file job.
			expect((await jobs.claim('w-x', LEASE))?.id).toBe(older.id);
			expect((await jobs.claim('w-dead', 1))?.id).toBe(running.id);
			await jobs.progress('w-dead', running.id, { state: 'sending' }, 1);
			await jobs.finish('w-x', older.id, 'done', null);
			const newer = await jobs.create(audienceSpec, 'queued');
			expect(await jobs.cancel(running.id)).toMatchObject({ state: 'sending', cancel_requested: true });
			await sleep(1_300);
			// The cancelled one before the queued one, although the queued one is free too.
			const next = (await jobs.claim('w-b', 1)) as Job;
			expect(next).toMatchObject({ id: running.id, cancel_requested: true, attempts: 2 });
			expect(await jobs.finish('w-b', running.id, 'cancelled', null)).toBe(true);
			expect(await chunkCount(running.id)).toBe(0);
			expect((await jobs.claim('w-b', 1))?.id).toBe(newer.id);
		});

		it('returns a finished job unchanged, and nothing for an unknown one', async () => {
			const job = await jobs.create(audienceSpec, 'queued');
			await jobs.claim('w-a', LEASE);
			await jobs.finish('w-a', job.id, 'failed', 'HubSpot: 401');
			const failed = (await jobs.get(job.id)) as Job;
			expect(await jobs.cancel(job.id)).toEqual(failed);
			expect(await jobs.cancel(UNKNOWN)).toBeUndefined();
			expect(await jobs.cancel('not-a-uuid')).toBeUndefined();
			expect(await jobs.get('not-a-uuid')).toBeUndefined();
			expect(await jobs.get(UNKNOWN)).toBeUndefined();
		});
	});

	describe('chunks', () => {
		it('round-trips random bytes byte for byte: zeros, every byte value, empty, 1 MB', async () => {
			const job = await jobs.create(fileSpec, 'receiving');
			const blobs = [
				Buffer.from([0x00]),
				Buffer.alloc(1000, 0),
				Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
				Buffer.alloc(0),
				randomBytes(1024 * 1024),
				Buffer.concat([Buffer.from([0x00, 0x00, 0x5c, 0x78, 0x00]), randomBytes(777), Buffer.from([0x00])]),
			];
			for (const [seq, blob] of blobs.entries()) await jobs.putChunk(job.id, seq, seq * 10, blob);
			for (const [seq, blob] of blobs.entries()) {
				const back = await jobs.getChunk(job.id, seq);
				expect(back?.records).toBe(seq * 10);
				expect(back?.data.length).toBe(blob.length);
				expect(back?.data.equals(blob)).toBe(true);
			}
			// Stored as bytes (bytea), not as their base64 text.
			const [size] = await db.sql.query<{ n: number }>(
				'select octet_length(data) as n from relay_job_chunks where job_id = $1 and seq = 4',
				[job.id],
			);
			expect(Number(size.n)).toBe(1024 * 1024);
			// Written again: replaced.
			const again = randomBytes(300);
			await jobs.putChunk(job.id, 1, 7, again);
			expect(await jobs.getChunk(job.id, 1)).toEqual({ records: 7, data: again });
			expect(await jobs.getChunk(job.id, 99)).toBeUndefined();
			expect(await jobs.getChunk(UNKNOWN, 0)).toBeUndefined();
		}, 60_000);

		it('finds the chunk holding a record from the stored counts alone, and how many records come before it', async () => {
			const job = await jobs.create(fileSpec, 'receiving');
			for (const [seq, records] of [3, 5, 2].entries()) await jobs.putChunk(job.id, seq, records, randomBytes(32));
			const at = async (record: number) => jobs.chunkAt(job.id, record);
			expect(await at(0)).toEqual({ seq: 0, before: 0 });
			expect(await at(2)).toEqual({ seq: 0, before: 0 });
			expect(await at(3)).toEqual({ seq: 1, before: 3 });
			expect(await at(7)).toEqual({ seq: 1, before: 3 });
			expect(await at(8)).toEqual({ seq: 2, before: 8 });
			expect(await at(9)).toEqual({ seq: 2, before: 8 });
			// Past the last record: nothing left to read.
			expect(await at(10)).toBeUndefined();
			expect(await jobs.chunkAt(UNKNOWN, 0)).toBeUndefined();
			expect(await jobs.chunkAt('not-a-uuid', 0)).toBeUndefined();
		});

		it('refuses a chunk for a job that is not receiving or does not exist', async () => {
			const queued = await jobs.create(audienceSpec, 'queued');
			await expect(jobs.putChunk(queued.id, 0, 1, Buffer.from('x'))).rejects.toThrow(/not receiving \(queued\)/);
			await expect(jobs.putChunk(UNKNOWN, 0, 1, Buffer.from('x'))).rejects.toThrow(/not receiving \(no such job\)/);
			expect(await chunkCount(queued.id)).toBe(0);
		});

		it('marks an upload received only when its chunks are all there and hold the records it says', async () => {
			const job = await jobs.create(fileSpec, 'receiving');
			await jobs.putChunk(job.id, 0, 10, randomBytes(10));
			await jobs.putChunk(job.id, 2, 5, randomBytes(10));
			await expect(jobs.markReceived(job.id, { format: 'csv', records: 15, chunks: 2 })).rejects.toThrow(
				/file\.chunks: 2 declared, 2 stored \(seq 0 to 2\)/,
			);
			await expect(jobs.markReceived(job.id, { format: 'csv', records: 15, chunks: 3 })).rejects.toThrow(
				/file\.chunks: 3 declared, 2 stored/,
			);
			await jobs.putChunk(job.id, 1, 1, randomBytes(10));
			await expect(jobs.markReceived(job.id, { format: 'csv', records: 15, chunks: 3 })).rejects.toThrow(
				/file\.records: 15 declared, 16 in the stored chunks/,
			);
			expect((await jobs.get(job.id))?.state).toBe('receiving');
			expect(await jobs.markReceived(job.id, { format: 'csv', records: 16, chunks: 3 })).toMatchObject({
				state: 'queued',
				spec: { file: { format: 'csv', records: 16, chunks: 3 } },
			});
			expect(await jobs.markReceived(UNKNOWN, { format: 'csv', records: 0, chunks: 0 })).toBeUndefined();
		});

		it('discards an upload refused halfway: no job, no chunk left', async () => {
			const job = await jobs.create(fileSpec, 'receiving');
			await jobs.putChunk(job.id, 0, 1, randomBytes(1000));
			await jobs.discard(job.id);
			expect(await jobs.get(job.id)).toBeUndefined();
			expect(await chunkCount(job.id)).toBe(0);
			// Only uploads: a queued job stays.
			const queued = await jobs.create(audienceSpec, 'queued');
			await jobs.discard(queued.id);
			expect((await jobs.get(queued.id))?.state).toBe('queued');
		});

		it('fails uploads that stopped arriving ("upload interrupted"), and only those', async () => {
			const stale = await jobs.create(fileSpec, 'receiving');
			await jobs.putChunk(stale.id, 0, 1, randomBytes(10));
			const moving = await jobs.create(fileSpec, 'receiving');
			const queued = await jobs.create(audienceSpec, 'queued');
			await db.sql.query(`update relay_jobs set updated_at = now() - interval '2 hours' where id = any($1::uuid[])`, [
				[stale.id, queued.id],
			]);
			// A chunk arriving now keeps its upload alive.
			await db.sql.query(`update relay_jobs set updated_at = now() - interval '2 hours' where id = $1`, [moving.id]);
			await jobs.putChunk(moving.id, 0, 1, randomBytes(10));
			expect(await jobs.failStaleReceiving(3600)).toBe(1);
			const failed = (await jobs.get(stale.id)) as Job;
			expect(failed).toMatchObject({ state: 'failed', error: 'upload interrupted' });
			expect(failed.finished_at).not.toBeNull();
			expect(await chunkCount(stale.id)).toBe(0);
			expect((await jobs.get(moving.id))?.state).toBe('receiving');
			expect((await jobs.get(queued.id))?.state).toBe('queued');
			expect(await jobs.failStaleReceiving(3600)).toBe(0);
		});
	});

	describe('size bounds, refused in SQL with the field named', () => {
		const big = (bytes: number) => ({ source: 'file' as const, note: 'x'.repeat(bytes) }) as unknown as JobSpec;

		it('spec, checkpoint and counters: at most 65,536 bytes as JSON text', async () => {
			await expect(jobs.create(big(70_000), 'queued')).rejects.toThrow(/spec: \d+ bytes as JSON text, at most 65536/);
			const fits = await jobs.create(big(65_000), 'queued');
			await jobs.claim('w-a', LEASE);
			const huge = { records: 1, note: 'y'.repeat(70_000) } as unknown as { records: number };
			await expect(jobs.progress('w-a', fits.id, { checkpoint: huge }, LEASE)).rejects.toThrow(
				/checkpoint: \d+ bytes as JSON text, at most 65536/,
			);
			const hugeCounters = { read: 1, note: 'z'.repeat(70_000) } as unknown as { read: number };
			await expect(jobs.progress('w-a', fits.id, { counters: hugeCounters }, LEASE)).rejects.toThrow(
				/counters: \d+ bytes as JSON text, at most 65536/,
			);
			await expect(jobs.finish('w-a', fits.id, 'done', null, hugeCounters)).rejects.toThrow(
				/counters: \d+ bytes as JSON text, at most 65536/,
			);
			expect(await jobs.get(fits.id)).toMatchObject({
				state: 'queued',
				checkpoint: { records: 0 },
				counters: { read: 0 },
			});
			// The table refuses it even written around the functions.
			await expect(
				db.sql.query(`update relay_jobs set spec = jsonb_build_object('n', repeat('x', 70000)) where id = $1`, [
					fits.id,
				]),
			).rejects.toThrow(/relay_jobs_spec_size/);
		});

		it('an error is kept to 1,000 characters; a worker id to 200', async () => {
			const job = await jobs.create(audienceSpec, 'queued');
			await expect(jobs.claim('w'.repeat(201), LEASE)).rejects.toThrow(/worker: 1 to 200 characters/);
			await jobs.claim('w'.repeat(200), LEASE);
			expect(await jobs.finish('w'.repeat(200), job.id, 'failed', 'e'.repeat(5000))).toBe(true);
			expect((await jobs.get(job.id))?.error).toBe('e'.repeat(1000));
		});

		it('a chunk: at most 16 MiB, refused by the repository and by the SQL function', async () => {
			const job = await jobs.create(fileSpec, 'receiving');
			const tooBig = Buffer.alloc(JOB_CHUNK_MAX_BYTES + 1, 0xab);
			await expect(jobs.putChunk(job.id, 0, 1, tooBig)).rejects.toThrow(/data: 16777217 bytes, at most 16777216/);
			// Past the repository, straight to the function: the database refuses it too.
			await expect(
				db.rpc.value('relay_job_put_chunk', {
					p_id: job.id,
					p_seq: 0,
					p_records: 1,
					p_data: tooBig.toString('base64'),
				}),
			).rejects.toThrow(/data: 16777217 bytes, at most 16777216/);
			await expect(jobs.putChunk(job.id, 100_000, 1, Buffer.from('x'))).rejects.toThrow(/seq: 0 to 99999/);
			await expect(jobs.putChunk(job.id, 0, -1, Buffer.from('x'))).rejects.toThrow(/records: 0 or more/);
			expect(await chunkCount(job.id)).toBe(0);
		}, 60_000);
	});

	it('lists newest first, page by page with the cursor, every job once, by state too', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 7; i++) ids.push((await jobs.create(audienceSpec, i % 2 ? 'receiving' : 'queued')).id);
		// Two rows with the same created_at: the id breaks the tie.
		await db.sql.query(
			`update relay_jobs set created_at = (select created_at from relay_jobs where id = $1) where id = $2`,
			[ids[3], ids[4]],
		);
		const expected = (
			await db.sql.query<{ id: string }>('select id from relay_jobs order by created_at desc, id desc')
		).map((r) => r.id);
		const seen: string[] = [];
		let cursor: { createdAt: string; id: string } | undefined;
		let pages = 0;
		for (;;) {
			const page = await jobs.list({ limit: 3, cursor });
			seen.push(...page.jobs.map((j) => j.id));
			pages++;
			if (!page.more) break;
			cursor = page.last;
		}
		expect(seen).toEqual(expected);
		expect(pages).toBe(3);
		const receiving = await jobs.list({ limit: 10, state: 'receiving' });
		expect(receiving.jobs.map((j) => j.id)).toEqual(expected.filter((id) => ids.indexOf(id) % 2 === 1));
		expect(receiving.more).toBe(false);
		expect(await jobs.list({ limit: 10, state: 'done' })).toEqual({ jobs: [], last: undefined, more: false });
		await expect(jobs.list({ limit: 101 })).rejects.toThrow(/limit: 1 to 100/);
	});

	if (backend === 'supabase')
		it('gives anon nothing of the jobs: no table, no function', async () => {
			const anon = createClient(db.postgrest!.url, db.postgrest!.anonKey, {
				auth: { persistSession: false, autoRefreshToken: false },
				realtime: { transport: WebSocket as never },
			});
			expect((await anon.from('relay_jobs').select('id')).error?.code).toBe('42501');
			expect((await anon.from('relay_job_chunks').select('seq')).error?.code).toBe('42501');
			expect((await anon.rpc('relay_job_claim', { p_worker: 'anon', p_lease_seconds: 1 })).error?.code).toBe('42501');
			expect((await anon.rpc('relay_job_get_chunk', { p_id: UNKNOWN, p_seq: 0 })).error?.code).toBe('42501');
			const granted = await db.sql.query(`
				select c.relname, r.role from pg_class c, unnest(array['anon', 'authenticated']) as r(role)
				where c.relname in ('relay_jobs', 'relay_job_chunks') and has_table_privilege(r.role, c.oid, 'select,insert,update,delete')
				union all
				select p.proname, r.role from pg_proc p, unnest(array['anon', 'authenticated']) as r(role)
				where p.proname like 'relay\\_job\\_%' and has_function_privilege(r.role, p.oid, 'execute')`);
			expect(granted).toEqual([]);
			const rls = await db.sql.query(
				`select relname from pg_class where relname in ('relay_jobs', 'relay_job_chunks') and not relrowsecurity`,
			);
			expect(rls).toEqual([]);
		});
});
