import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { redactText } from '../../../../nodes/core/errors/redact';
import { runPipeline, type Destinations } from './pipeline';
import type { Job, JobCheckpoint, JobCounters, JobState, SyncRecord } from './types';

/** The storage a runner needs (JobsRepository). */
export interface JobStore {
	claim(worker: string, leaseSeconds: number): Promise<Job | undefined>;
	progress(
		worker: string,
		id: string,
		patch: { state?: 'exporting' | 'sending'; checkpoint?: JobCheckpoint; counters?: JobCounters },
		leaseSeconds: number,
	): Promise<{ held: boolean; cancelRequested: boolean }>;
	renew(worker: string, id: string, leaseSeconds: number): Promise<{ held: boolean; cancelRequested: boolean }>;
	finish(
		worker: string,
		id: string,
		state: 'done' | 'failed' | 'cancelled',
		error: string | null,
		counters?: JobCounters,
	): Promise<boolean>;
	retryLater(worker: string, id: string, delaySeconds: number, leaseSeconds: number, error: string): Promise<boolean>;
}

/** What a source may tell the runner while it opens (Shopify's export runs for minutes first). */
export interface SourceContext {
	signal: AbortSignal;
	/** The job as claimed (its checkpoint says where a resume goes on). */
	job: Job;
	/** Saved at once: a resume polls this operation instead of starting another. */
	exporting(bulkOperationId: string): Promise<void>;
	total(records: number): void;
}

/** The job's records, from its checkpoint on (the first `checkpoint.records` skipped). */
export type OpenSource = (ctx: SourceContext) => Promise<AsyncIterable<SyncRecord>>;

/** A job cannot go on: it ends failed with this reason (no customer data in it). */
export class JobFailure extends Error {}

/** The replace session Meta can no longer continue: the job starts its replace again from the beginning. */
export class RestartReplace extends Error {}

export interface RunnerOptions {
	leaseSeconds?: number;
	idleMs?: number;
	/** Replace restarts allowed in one claim before the job fails. */
	maxRestarts?: number;
	/** Claims of one job (a crash or a lapsed lease adds one) before it fails. */
	maxAttempts?: number;
	/**
	 * The wait before a failed attempt's job is claimed again: this after the first attempt, doubled
	 * after each next one, at most retryMaxSeconds. A destination down for longer than its client's
	 * own retries then gets minutes, not one lease, between two claims.
	 */
	retryFirstSeconds?: number;
	retryMaxSeconds?: number;
	/**
	 * Turns the sources' and destinations' own errors into JobFailure (cannot go on) or
	 * RestartReplace; anything else it returns as is is tried again after the retry wait.
	 */
	classify?: (error: unknown) => unknown;
	/** Run when idle, at most once a minute (uploads a crash cut off are failed and their chunks dropped). */
	housekeeping?: () => Promise<void>;
	/** Told what each saved checkpoint added (records, and requests per destination). */
	onProgress?: (job: Job, added: { records: number; audience: number; hubspot: number }) => void;
}

class Stopped extends Error {
	constructor(readonly why: 'cancelled' | 'lost' | 'stopping') {
		super(why);
	}
}

const FAILURE_TEXT = 1_000;

/**
 * Claims one job at a time (SKIP LOCKED, with a lease renewed while it works, so two replicas
 * never run the same job and a dead runner's job is taken over one lease later), opens its source
 * and streams it into its destinations.
 */
export class JobRunner {
	readonly worker = `jobs-${randomUUID()}`;
	private readonly options: Required<RunnerOptions>;
	private running = false;
	private loop?: Promise<void>;
	private wakeUp?: () => void;
	private current?: AbortController;

	constructor(
		private readonly store: JobStore,
		private readonly openSource: OpenSource,
		private readonly destinations: (job: Job, signal: AbortSignal) => Destinations,
		private readonly log: Logger,
		options: RunnerOptions = {},
	) {
		this.options = {
			leaseSeconds: 30,
			idleMs: 2_000,
			maxRestarts: 2,
			// With the waits below, 30 s + 1 + 2 + 4 + 8 + 15 + 15 min between the 8 claims.
			maxAttempts: 8,
			retryFirstSeconds: 30,
			retryMaxSeconds: 15 * 60,
			classify: (error) => error,
			housekeeping: async () => undefined,
			onProgress: () => undefined,
			...options,
		};
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		this.loop = this.run();
	}

	/** A job was created or an export finished: look now rather than at the next idle tick. */
	wake(): void {
		this.wakeUp?.();
	}

	async stop(): Promise<void> {
		this.running = false;
		this.current?.abort(new Stopped('stopping'));
		this.wake();
		await this.loop;
	}

	private async run(): Promise<void> {
		let tidiedAt = 0;
		while (this.running) {
			if (Date.now() - tidiedAt > 60_000) {
				tidiedAt = Date.now();
				await this.options
					.housekeeping()
					.catch((error) =>
						this.log.warn({ err: { message: (error as Error).message } }, 'sync job housekeeping failed'),
					);
			}
			let job: Job | undefined;
			try {
				job = await this.store.claim(this.worker, this.options.leaseSeconds);
			} catch (error) {
				this.log.warn({ err: { message: (error as Error).message } }, 'claiming a sync job failed');
			}
			if (job) await this.work(job);
			else
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, this.options.idleMs);
					this.wakeUp = () => {
						clearTimeout(timer);
						resolve();
					};
				});
		}
	}

	private async work(claimed: Job): Promise<void> {
		const controller = new AbortController();
		this.current = controller;
		const lease = this.options.leaseSeconds;
		const heartbeat = setInterval(
			() => {
				this.store.renew(this.worker, claimed.id, lease).then(
					(r) => this.onLease(controller, r),
					(error) =>
						this.log.warn({ job: claimed.id, err: { message: (error as Error).message } }, 'lease renewal failed'),
				);
			},
			Math.max(50, (lease * 1000) / 5),
		);
		heartbeat.unref();
		const log = this.log.child({ job: claimed.id });
		try {
			if (claimed.cancel_requested) throw new Stopped('cancelled');
			if (claimed.attempts > this.options.maxAttempts)
				throw new JobFailure(`stopped after ${claimed.attempts - 1} attempts; see the service's log`);
			const counters = await this.attempt(claimed, controller, log);
			await this.store.finish(this.worker, claimed.id, 'done', null, counters);
			log.info({ read: counters.read }, 'sync job done');
		} catch (error) {
			await this.ended(
				claimed,
				controller.signal.aborted ? controller.signal.reason : this.options.classify(error),
				log,
			);
		} finally {
			clearInterval(heartbeat);
			this.current = undefined;
		}
	}

	private onLease(controller: AbortController, r: { held: boolean; cancelRequested: boolean }): void {
		if (!r.held) controller.abort(new Stopped('lost'));
		else if (r.cancelRequested) controller.abort(new Stopped('cancelled'));
	}

	/** The whole job, restarting a replace from the beginning when Meta ended its session. */
	private async attempt(claimed: Job, controller: AbortController, log: Logger): Promise<JobCounters> {
		let job = claimed;
		for (let restarts = 0; ; restarts++) {
			try {
				return await this.once(job, controller);
			} catch (raw) {
				const error = controller.signal.aborted ? controller.signal.reason : this.options.classify(raw);
				if (!(error instanceof RestartReplace) || restarts >= this.options.maxRestarts) throw error;
				log.warn({ reason: error.message }, 'replace session ended by Meta; starting the replace again');
				// From record 0 with a new session; the export (if any) is read again, not started again.
				const checkpoint: JobCheckpoint = {
					records: 0,
					...(job.checkpoint.bulk_operation_id ? { bulk_operation_id: job.checkpoint.bulk_operation_id } : {}),
				};
				const counters: JobCounters = { read: 0, ...(job.counters.total ? { total: job.counters.total } : {}) };
				await this.save(job, controller, { checkpoint, counters });
				job = { ...job, checkpoint, counters };
			}
		}
	}

	private async once(job: Job, controller: AbortController): Promise<JobCounters> {
		const signal = controller.signal;
		let total = job.counters.total;
		const records = await this.openSource({
			signal,
			job,
			exporting: async (bulkOperationId) => {
				job = { ...job, checkpoint: { ...job.checkpoint, bulk_operation_id: bulkOperationId } };
				await this.save(job, controller, { state: 'exporting', checkpoint: job.checkpoint });
			},
			total: (n) => {
				total = n;
			},
		});
		const counters = total === undefined ? job.counters : { ...job.counters, total };
		await this.save(job, controller, { state: 'sending', counters });
		let last = counters;
		return runPipeline({ ...job, counters }, records, this.destinations(job, signal), async (checkpoint, c) => {
			signal.throwIfAborted();
			await this.save(job, controller, { checkpoint, counters: c });
			this.options.onProgress(job, {
				records: c.read - last.read,
				audience: (c.audience?.requests ?? 0) - (last.audience?.requests ?? 0),
				hubspot: (c.hubspot?.requests ?? 0) - (last.hubspot?.requests ?? 0),
			});
			last = c;
		});
	}

	private async save(
		job: Job,
		controller: AbortController,
		patch: { state?: 'exporting' | 'sending'; checkpoint?: JobCheckpoint; counters?: JobCounters },
	): Promise<void> {
		const r = await this.store.progress(this.worker, job.id, patch, this.options.leaseSeconds);
		this.onLease(controller, r);
		controller.signal.throwIfAborted();
	}

	private async ended(job: Job, error: unknown, log: Logger): Promise<void> {
		const stopped = error instanceof Stopped ? error : undefined;
		if (stopped?.why === 'lost') return log.warn('sync job taken over by another runner; left to it');
		// Stopping the service: the lease lapses and the job goes on from its checkpoint after a restart.
		if (stopped?.why === 'stopping' && this.running === false) return log.info('sync job left for the next start');
		let state: 'failed' | 'cancelled' = 'failed';
		let reason: string | null;
		if (stopped?.why === 'cancelled') {
			state = 'cancelled';
			reason = null;
		} else if (error instanceof JobFailure) {
			reason = error.message;
		} else if (error instanceof RestartReplace) {
			reason = `Meta ended the replace session ${this.options.maxRestarts + 1} times: ${error.message}`;
		} else {
			// Unexpected (a destination down past its client's retries): tried again later from the
			// checkpoint, until the last attempt.
			const message = redactText((error as Error)?.message ?? String(error));
			log.error({ err: { message }, attempts: job.attempts }, 'sync job attempt failed');
			if (job.attempts < this.options.maxAttempts) return this.retryLater(job, message, log);
			reason = `stopped after ${job.attempts} attempts: ${message}`;
		}
		const text = reason === null ? null : redactText(reason, FAILURE_TEXT);
		await this.store
			.finish(this.worker, job.id, state, text)
			.catch((e) => log.error({ err: { message: (e as Error).message } }, 'finishing a sync job failed'));
		log.info({ state }, 'sync job ended');
	}

	/** Lets go of the job until its wait has passed, saying why in its error meanwhile. */
	private async retryLater(job: Job, message: string, log: Logger): Promise<void> {
		const { retryFirstSeconds, retryMaxSeconds, maxAttempts, leaseSeconds } = this.options;
		const delay = Math.min(retryMaxSeconds, retryFirstSeconds * 2 ** Math.max(0, job.attempts - 1));
		const at = new Date(Date.now() + delay * 1000).toISOString();
		const text = redactText(
			`attempt ${job.attempts} of ${maxAttempts} failed; next attempt after ${at}: ${message}`,
			FAILURE_TEXT,
		);
		// Not stored (the database is unreachable too): the lease lapses and the job is claimed one lease later.
		const held = await this.store
			.retryLater(this.worker, job.id, delay, leaseSeconds, text)
			.catch((e) => log.error({ err: { message: (e as Error).message } }, 'deferring a sync job failed'));
		if (held) log.info({ attempts: job.attempts, delay_seconds: delay }, 'sync job tried again later');
	}
}

/** States in which a job's runner is working on it. */
export const ACTIVE_STATES: readonly JobState[] = ['exporting', 'sending'];
