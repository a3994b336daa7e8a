import { FINAL_STATES, type Job } from './types';

export interface JobProgress {
	/** Records handled so far (the last checkpoint). */
	records: number;
	total: number | null;
	fraction: number | null;
	/** Records per second since the job started sending (this attempt's clock: started_at to updated_at). */
	rate_per_second: number | null;
	eta_seconds: number | null;
}

export type JobView = Job & { source: Job['spec']['source']; progress: JobProgress };

/** A job as the API and the status page show it: with its progress, rate and time left. */
export function jobView(job: Job, nowMs: number = Date.now()): JobView {
	const records = job.checkpoint.records;
	const total = job.counters.total ?? null;
	const started = job.started_at ? Date.parse(job.started_at) : NaN;
	const until = job.finished_at ? Date.parse(job.finished_at) : Math.max(nowMs, Date.parse(job.updated_at));
	const seconds = (until - started) / 1000;
	const rate = Number.isFinite(seconds) && seconds > 0 && records > 0 ? records / seconds : null;
	const final = FINAL_STATES.includes(job.state);
	const left = total !== null ? Math.max(0, total - records) : null;
	return {
		...job,
		source: job.spec.source,
		progress: {
			records,
			total,
			fraction: total ? Math.min(1, records / total) : final && job.state === 'done' ? 1 : null,
			rate_per_second: rate === null ? null : Math.round(rate),
			eta_seconds: final ? 0 : rate && left !== null ? Math.ceil(left / rate) : null,
		},
	};
}
