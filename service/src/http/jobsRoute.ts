import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { JOB_LIST_MAX, type JobsRepository } from '../db/jobsRepository';
import { fileRequestFrom, JobRequestError, JobRequestSchema, jobSpecFrom } from '../usecases/jobs/jobRequest';
import { jobView } from '../usecases/jobs/jobView';
import { receiveFile, type FileReceiver } from '../usecases/jobs/receiveFile';
import { JOB_STATES, type FileFormat } from '../usecases/jobs/types';
import { HttpError, invalidInput } from './errors';
import { parseJsonBody } from './jsonLimits';
import { decodeCursor, encodeCursor } from './listQuery';

export interface JobsDeps {
	jobs: JobsRepository;
	config: Config;
	/** Told when a job is created, so a runner starts it now rather than at its next look. */
	wake?: () => void;
	files: FileReceiver;
}

const FILE_TYPES: Record<string, FileFormat> = {
	'application/x-ndjson': 'ndjson',
	'application/ndjson': 'ndjson',
	'application/jsonl': 'ndjson',
	'text/csv': 'csv',
};

const mediaType = (req: Request) => (req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();

/** The content type a job request may have: JSON for Shopify sources, NDJSON or CSV for a file. */
export function fileFormatOf(req: Request): FileFormat | undefined {
	return FILE_TYPES[mediaType(req)];
}

const asHttp = (error: unknown): unknown =>
	error instanceof JobRequestError ? new HttpError(error.status, 'invalid_job', error.message, error.field) : error;

/** A refused job request as the 4xx it is. */
function checked<T>(step: () => T): T {
	try {
		return step();
	} catch (error) {
		throw asHttp(error);
	}
}

/**
 * POST /v1/jobs: 202 with the job. A JSON body names a Shopify source; an NDJSON or CSV body is
 * the customer file itself, its settings in the query string, read whole and checked before
 * the job is queued (a bad line: 400 naming it, nothing kept).
 */
export function postJobRoute(deps: JobsDeps) {
	return async (req: Request, res: Response): Promise<void> => {
		const format = fileFormatOf(req);
		let job;
		if (format) {
			const request = JobRequestSchema.safeParse(checked(() => fileRequestFrom(req.query as Record<string, unknown>)));
			if (!request.success) throw invalidInput('invalid_job', request.error);
			const spec = checked(() => jobSpecFrom(request.data, deps.config, { format }));
			job = await receiveFile(deps.files, spec, format, req).catch((error: unknown) => {
				throw asHttp(error);
			});
		} else {
			if (mediaType(req) !== 'application/json')
				throw new HttpError(
					415,
					'unsupported_media_type',
					'Content-Type must be application/json (a Shopify source), application/x-ndjson or text/csv (a customer file)',
					'content-type',
				);
			const request = JobRequestSchema.safeParse(parseJsonBody(req.body as Buffer, 8));
			if (!request.success) throw invalidInput('invalid_job', request.error);
			const spec = checked(() => jobSpecFrom(request.data, deps.config));
			job = await deps.jobs.create(spec, 'queued');
		}
		deps.wake?.();
		res.status(202).json(jobView(job));
	};
}

const JobListQuery = z
	.object({
		state: z.enum(JOB_STATES).optional(),
		// The repository's page: more was a 500 rather than a 400.
		limit: z.coerce.number().int().min(1).max(JOB_LIST_MAX).default(50),
		cursor: z.string().max(200).optional(),
	})
	.strict();

/** GET /v1/jobs: newest first, a page at a time. */
export function listJobsRoute({ jobs }: Pick<JobsDeps, 'jobs'>) {
	return async (req: Request, res: Response): Promise<void> => {
		const query = JobListQuery.safeParse(req.query);
		if (!query.success) throw invalidInput('invalid_query', query.error);
		const { state, limit, cursor } = query.data;
		const page = await jobs.list({ state, limit, cursor: cursor ? decodeCursor(cursor) : undefined });
		const now = Date.now();
		res.json({
			data: page.jobs.map((j) => jobView(j, now)),
			next_cursor: page.more && page.last ? encodeCursor(page.last.createdAt, page.last.id) : null,
		});
	};
}

/** GET /v1/jobs/:id */
export function getJobRoute({ jobs }: Pick<JobsDeps, 'jobs'>) {
	return async (req: Request, res: Response): Promise<void> => {
		const job = await jobs.get(String(req.params.id));
		if (!job) throw new HttpError(404, 'not_found', 'no job with this id', 'id');
		res.json(jobView(job));
	};
}

/** POST /v1/jobs/:id/cancel: a queued job ends at once; a running one at its runner's next step. */
export function cancelJobRoute({ jobs }: Pick<JobsDeps, 'jobs'>) {
	return async (req: Request, res: Response): Promise<void> => {
		const job = await jobs.cancel(String(req.params.id));
		if (!job) throw new HttpError(404, 'not_found', 'no job with this id', 'id');
		res.json(jobView(job));
	};
}
