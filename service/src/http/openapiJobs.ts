import { z } from 'zod';
import { JOB_LIST_MAX } from '../db/jobsRepository';
import { JobRequestSchema } from '../usecases/jobs/jobRequest';
import { JOB_STATES } from '../usecases/jobs/types';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jobAnswer = (description: string) => ({ description, content: { 'application/json': { schema: ref('Job') } } });
const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

const counters = {
	type: 'object',
	properties: { sent: { type: 'integer' }, invalid: { type: 'integer' }, requests: { type: 'integer' } },
};

/** The sync jobs' schemas, for components.schemas. */
export function jobSchemas() {
	return {
		JobRequest: schema(JobRequestSchema),
		Job: {
			type: 'object',
			required: ['id', 'state', 'source', 'spec', 'checkpoint', 'counters', 'progress', 'created_at'],
			properties: {
				id: { type: 'string', format: 'uuid' },
				state: { type: 'string', enum: [...JOB_STATES] },
				source: { type: 'string' },
				spec: { type: 'object', description: 'what the job was asked to do' },
				checkpoint: {
					type: 'object',
					properties: { records: { type: 'integer', description: 'records every destination has handled' } },
				},
				counters: {
					type: 'object',
					properties: {
						read: { type: 'integer' },
						total: { type: 'integer' },
						outside_segment: { type: 'integer' },
						audience: counters,
						hubspot: counters,
						events: {
							type: 'object',
							properties: {
								stored: { type: 'integer' },
								duplicate: { type: 'integer' },
								invalid: { type: 'integer' },
							},
						},
					},
				},
				progress: {
					type: 'object',
					properties: {
						records: { type: 'integer' },
						total: { type: 'integer', nullable: true },
						fraction: { type: 'number', nullable: true },
						rate_per_second: { type: 'number', nullable: true },
						eta_seconds: { type: 'number', nullable: true },
					},
				},
				error: {
					type: 'string',
					nullable: true,
					description: 'why the job failed, or, while it waits to be tried again, which attempt failed and why',
				},
				attempts: { type: 'integer', description: 'claims so far (a retry or a crash adds one)' },
				cancel_requested: { type: 'boolean' },
				ignored_columns: {
					type: 'array',
					items: { type: 'string' },
					description: "a file's columns that fill no field",
				},
				created_at: { type: 'string', format: 'date-time' },
				updated_at: { type: 'string', format: 'date-time' },
				started_at: { type: 'string', format: 'date-time', nullable: true },
				finished_at: { type: 'string', format: 'date-time', nullable: true },
			},
		},
	};
}

const fileQuery = [
	{ name: 'source', in: 'query', schema: { type: 'string', enum: ['file'] } },
	{ name: 'audience_id', in: 'query', schema: { type: 'string', pattern: '^\\d+$' } },
	{ name: 'audience_mode', in: 'query', schema: { type: 'string', enum: ['replace', 'add', 'remove'] } },
	{ name: 'schema', in: 'query', schema: { type: 'string' }, description: 'schema keys, comma-separated' },
	{ name: 'hubspot', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
];

/** POST/GET /v1/jobs, GET /v1/jobs/{id}, POST /v1/jobs/{id}/cancel. */
export function jobPaths() {
	return {
		'/v1/jobs': {
			post: {
				summary: 'Start a sync job: a Shopify source (JSON body) or a customer file (NDJSON or CSV body)',
				description:
					'A JSON body names a Shopify source. A customer file is the body itself, streamed, with its settings in the query string (Bearer only); it is checked line by line and the job is queued only once all of it is stored.',
				parameters: fileQuery,
				requestBody: {
					required: true,
					content: {
						'application/json': { schema: ref('JobRequest') },
						'application/x-ndjson': { schema: { type: 'string' } },
						'text/csv': { schema: { type: 'string' } },
					},
				},
				responses: {
					202: jobAnswer('the job, queued'),
					400: error('invalid settings, or a line of the file (the field names the line)'),
					401: error('unauthorized'),
					409: error('a source or destination this service has no credentials for'),
					413: error('the file is larger than JOB_FILE_MAX_BYTES'),
					415: error('not JSON, NDJSON or CSV'),
				},
			},
			get: {
				summary: 'Sync jobs, newest first',
				parameters: [
					{ name: 'state', in: 'query', schema: { type: 'string', enum: [...JOB_STATES] } },
					{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: JOB_LIST_MAX, default: 50 } },
					{ name: 'cursor', in: 'query', schema: { type: 'string' } },
				],
				responses: { 200: { description: '{data: Job[], next_cursor}' } },
			},
		},
		'/v1/jobs/{id}': {
			get: {
				summary: 'One sync job: state, counters, progress, rate, time left, error',
				parameters: [id],
				responses: { 200: jobAnswer('the job'), 404: error('no such job') },
			},
		},
		'/v1/jobs/{id}/cancel': {
			post: {
				summary: 'Cancel a sync job (a replace in progress leaves the audience as it was)',
				parameters: [id],
				responses: { 200: jobAnswer('the job'), 404: error('no such job') },
			},
		},
	};
}
