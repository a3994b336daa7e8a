import type { FileFormat, Job, JobCheckpoint, JobCounters, JobSpec, JobState } from './jobRecord';
import { JOB_STATES } from './jobRecord';
import type { Rpc } from './rpc';
import { iso, json, UUID } from './rowValues';

/** A chunk's bytes at most (the SQL refuses more too): 16 MiB. */
export const JOB_CHUNK_MAX_BYTES = 16 * 1024 * 1024;
/** spec, checkpoint and counters at most, as jsonb's text form (bounded in SQL). */
export const JOB_JSON_MAX_BYTES = 65_536;
/** Rows one page of the list holds at most. */
export const JOB_LIST_MAX = 100;

/** A chunk was offered to a job that is not receiving (cancelled, failed, received already) or unknown. */
export class JobNotReceivingError extends Error {
	constructor(
		readonly id: string,
		readonly state: JobState | undefined,
	) {
		super(`job ${UUID.test(id) ? id : '(not a job id)'}: not receiving (${state ?? 'no such job'})`);
		this.name = 'JobNotReceivingError';
	}
}

export interface JobCursor {
	createdAt: string;
	id: string;
}

export interface JobLease {
	/** false: the job is no longer this worker's (taken over, finished, lease lapsed): stop. */
	held: boolean;
	cancelRequested: boolean;
}

type JobRow = Omit<
	Job,
	'spec' | 'checkpoint' | 'counters' | 'created_at' | 'updated_at' | 'started_at' | 'finished_at'
> & {
	spec: unknown;
	checkpoint: unknown;
	counters: unknown;
	created_at: unknown;
	updated_at: unknown;
	started_at: unknown;
	finished_at: unknown;
};

function isoOrNull(value: unknown): string | null {
	return value === null || value === undefined ? null : iso(value);
}

function toJob(row: JobRow): Job {
	return {
		id: row.id,
		state: row.state,
		spec: json<JobSpec>(row.spec),
		checkpoint: json<JobCheckpoint>(row.checkpoint),
		counters: json<JobCounters>(row.counters),
		error: row.error ?? null,
		attempts: Number(row.attempts),
		cancel_requested: row.cancel_requested === true,
		created_at: iso(row.created_at),
		updated_at: iso(row.updated_at),
		started_at: isoOrNull(row.started_at),
		finished_at: isoOrNull(row.finished_at),
	};
}

function toLease(row: { held: boolean; cancel_requested: boolean } | undefined): JobLease {
	return { held: row?.held === true, cancelRequested: row?.cancel_requested === true };
}

/**
 * Sync jobs and their uploaded chunks (supabase/migrations/20261201000600_relay_jobs.sql, and the
 * relay_job_* files after it): one SQL function per method, the same on PGlite, Postgres and
 * Supabase. After a claim, only the holder (worker) moves its job on; a lease that lapsed lets
 * another runner take the job over.
 */
export class JobsRepository {
	constructor(private readonly db: Rpc) {}

	async create(spec: JobSpec, state: 'queued' | 'receiving'): Promise<Job> {
		const [row] = await this.db.rows<JobRow>('relay_job_create', { p_spec: spec, p_state: state });
		return toJob(row);
	}

	async get(id: string): Promise<Job | undefined> {
		if (!UUID.test(id)) return undefined;
		const [row] = await this.db.rows<JobRow>('relay_job_get', { p_id: id });
		return row && toJob(row);
	}

	/** Newest first; the cursor is the last row's (created_at as text, id), so pages never skip or repeat. */
	async list(filter: {
		limit: number;
		state?: JobState;
		cursor?: JobCursor;
	}): Promise<{ jobs: Job[]; last?: JobCursor; more: boolean }> {
		if (!Number.isInteger(filter.limit) || filter.limit < 1 || filter.limit > JOB_LIST_MAX)
			throw new Error(`limit: 1 to ${JOB_LIST_MAX}, not ${filter.limit}`);
		if (filter.cursor && !UUID.test(filter.cursor.id)) throw new Error('cursor: its id is not a job id');
		const rows = await this.db.rows<JobRow & { cursor_at: string; more: boolean }>('relay_job_list', {
			p_limit: filter.limit,
			p_state: filter.state,
			p_cursor_at: filter.cursor?.createdAt,
			p_cursor_id: filter.cursor?.id,
		});
		const tail = rows[rows.length - 1];
		// cursor_at is created_at as text: a JS Date would drop the microseconds and skip rows.
		return {
			jobs: rows.map(toJob),
			last: tail ? { createdAt: String(tail.cursor_at), id: tail.id } : undefined,
			more: rows[0]?.more === true,
		};
	}

	/**
	 * At most one job no other runner holds: one whose cancel was requested first, then the oldest
	 * queued or lapsed (exporting, sending, or queued and claimed by a runner that died). A claimed
	 * queued job stays queued until the runner's first progress names its state.
	 */
	async claim(worker: string, leaseSeconds: number): Promise<Job | undefined> {
		const [row] = await this.db.rows<JobRow>('relay_job_claim', {
			p_worker: worker,
			p_lease_seconds: Math.ceil(leaseSeconds),
		});
		return row && toJob(row);
	}

	/** Applies the patch and renews the lease while the job is still the worker's; held=false: stop. */
	async progress(
		worker: string,
		id: string,
		patch: { state?: 'exporting' | 'sending'; checkpoint?: JobCheckpoint; counters?: JobCounters },
		leaseSeconds: number,
	): Promise<JobLease> {
		if (!UUID.test(id)) return { held: false, cancelRequested: false };
		const [row] = await this.db.rows<{ held: boolean; cancel_requested: boolean }>('relay_job_progress', {
			p_worker: worker,
			p_id: id,
			p_lease_seconds: Math.ceil(leaseSeconds),
			p_state: patch.state,
			p_checkpoint: patch.checkpoint,
			p_counters: patch.counters,
		});
		return toLease(row);
	}

	renew(worker: string, id: string, leaseSeconds: number): Promise<JobLease> {
		return this.progress(worker, id, {}, leaseSeconds);
	}

	/** Ends the worker's job (the claim cleared, the chunks deleted); false when it is no longer the worker's. */
	async finish(
		worker: string,
		id: string,
		state: 'done' | 'failed' | 'cancelled',
		error: string | null,
		counters?: JobCounters,
	): Promise<boolean> {
		if (!UUID.test(id)) return false;
		return (
			(await this.db.value<boolean>('relay_job_finish', {
				p_worker: worker,
				p_id: id,
				p_state: state,
				p_error: error,
				p_counters: counters,
			})) === true
		);
	}

	/**
	 * The worker lets go of its job until `delaySeconds` from now (the claim skips it until then),
	 * `error` saying why meanwhile; false when the job is no longer the worker's. `leaseSeconds`
	 * is the claimers' lease: the wait is kept as a lease that lapses at that moment.
	 */
	async retryLater(
		worker: string,
		id: string,
		delaySeconds: number,
		leaseSeconds: number,
		error: string | null,
	): Promise<boolean> {
		if (!UUID.test(id)) return false;
		return (
			(await this.db.value<boolean>('relay_job_retry_later', {
				p_worker: worker,
				p_id: id,
				p_lease_seconds: Math.ceil(leaseSeconds),
				p_delay_seconds: Math.ceil(delaySeconds),
				p_error: error,
			})) === true
		);
	}

	/**
	 * An upload, an unclaimed queued job or one waiting to be tried again: cancelled at once. A held one: cancel_requested (its
	 * runner finishes it). A finished one: as it is. Unknown: undefined.
	 */
	async cancel(id: string): Promise<Job | undefined> {
		if (!UUID.test(id)) return undefined;
		const [row] = await this.db.rows<JobRow>('relay_job_cancel', { p_id: id });
		return row && toJob(row);
	}

	/** Stores (or replaces) chunk `seq` of a receiving job; JobNotReceivingError otherwise. */
	async putChunk(id: string, seq: number, records: number, data: Buffer): Promise<void> {
		if (data.length > JOB_CHUNK_MAX_BYTES)
			throw new Error(`data: ${data.length} bytes, at most ${JOB_CHUNK_MAX_BYTES}`);
		if (!UUID.test(id)) throw new JobNotReceivingError(id, undefined);
		const state = await this.db.value<string | null>('relay_job_put_chunk', {
			p_id: id,
			p_seq: seq,
			p_records: records,
			// base64 text: the one form every backend (PostgREST's JSON included) carries unchanged.
			p_data: data.toString('base64'),
		});
		if (state !== 'receiving') throw new JobNotReceivingError(id, (state ?? undefined) as JobState | undefined);
	}

	async getChunk(id: string, seq: number): Promise<{ records: number; data: Buffer } | undefined> {
		if (!UUID.test(id)) return undefined;
		const [row] = await this.db.rows<{ records: number; data: string }>('relay_job_get_chunk', {
			p_id: id,
			p_seq: seq,
		});
		return row && { records: Number(row.records), data: Buffer.from(row.data, 'base64') };
	}

	/**
	 * The chunk holding record `record` (0-based) and how many records the chunks before it hold,
	 * from the stored counts alone (no chunk's bytes are read); undefined when the chunks hold no
	 * more than `record` records.
	 */
	async chunkAt(id: string, record: number): Promise<{ seq: number; before: number } | undefined> {
		if (!UUID.test(id)) return undefined;
		const [row] = await this.db.rows<{ seq: number; before: number | string }>('relay_job_chunk_at', {
			p_id: id,
			p_record: record,
		});
		return row && { seq: Number(row.seq), before: Number(row.before) };
	}

	/**
	 * The upload is whole: receiving → queued with spec.file. Refused when the stored chunks are
	 * not 0 to chunks - 1 or do not hold `records` between them; undefined when not receiving.
	 */
	async markReceived(
		id: string,
		file: { format: FileFormat; records: number; chunks: number },
	): Promise<Job | undefined> {
		if (!UUID.test(id)) return undefined;
		const [row] = await this.db.rows<JobRow>('relay_job_mark_received', {
			p_id: id,
			p_format: file.format,
			p_records: file.records,
			p_chunks: file.chunks,
		});
		return row && toJob(row);
	}

	/** A receiving job and its chunks deleted (an upload refused halfway leaves nothing). */
	async discard(id: string): Promise<void> {
		if (!UUID.test(id)) return;
		await this.db.value('relay_job_discard', { p_id: id });
	}

	/** Uploads with no chunk for `olderThanSeconds`: failed ("upload interrupted"), chunks deleted; how many. */
	async failStaleReceiving(olderThanSeconds: number): Promise<number> {
		return Number(
			await this.db.value('relay_job_fail_stale_receiving', { p_older_than_seconds: Math.floor(olderThanSeconds) }),
		);
	}

	/** Jobs per state (every state, zeros included), for the metrics. */
	async runningCounts(): Promise<Record<JobState, number>> {
		const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
		for (const r of await this.db.rows<{ state: JobState; n: number | string }>('relay_job_counts'))
			if (r.state in counts) counts[r.state] = Number(r.n);
		return counts;
	}
}
