import { z } from 'zod';
import { parseSchema } from '../../../../nodes/core/audiences/rows';
import { MAX_PIXEL_ID_LENGTH } from '../../../../nodes/core/capi/limits';
import type { Config } from '../../config';
import { AUDIENCE_MODES, JOB_SOURCES, type FileFormat, type JobSpec } from './types';

const digits = (max: number) => z.string().regex(/^\d+$/, 'must be digits only').max(max, `at most ${max} digits`);

const AudienceSchema = z
	.object({
		id: digits(30),
		mode: z.enum(AUDIENCE_MODES).default('replace'),
		schema: z
			.array(z.string().max(20))
			.min(1)
			.max(16)
			.default(['EMAIL', 'PHONE', 'FN', 'LN', 'CT', 'ST', 'ZIP', 'COUNTRY']),
		segment: z.enum(['new', 'engaged', 'existing']).optional(),
	})
	.strict();

/** The JSON body of POST /v1/jobs (a file job takes the same fields from the query string). */
export const JobRequestSchema = z
	.object({
		source: z.enum(JOB_SOURCES),
		audience: AudienceSchema.optional(),
		hubspot: z.boolean().optional(),
		events: z
			.object({
				pixel_id: digits(MAX_PIXEL_ID_LENGTH).optional(),
				test_event_code: z.string().min(1).max(100).optional(),
			})
			.strict()
			.optional(),
	})
	.strict();

export type JobRequest = z.infer<typeof JobRequestSchema>;

/** A request the service cannot carry out as asked: a 4xx naming the field. */
export class JobRequestError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly status = 400,
	) {
		super(`${field}: ${message}`);
	}
}

/**
 * The job's spec, checked against what this service is configured to reach: a destination or a
 * source without its credentials is refused before anything starts, naming the setting.
 */
export function jobSpecFrom(request: JobRequest, config: Config, file?: { format: FileFormat }): JobSpec {
	const spec: JobSpec = { source: request.source };
	if (request.source === 'file' && !file) throw new JobRequestError('source', 'a file job sends the file as the body');
	if (request.source !== 'file' && file) throw new JobRequestError('source', 'a file body needs source=file');
	if (request.source !== 'file' && !config.SHOPIFY_SHOP)
		throw new JobRequestError(
			'source',
			`${request.source} needs SHOPIFY_SHOP and its token in the service's settings`,
			409,
		);
	if (request.audience) {
		if (!config.META_ACCESS_TOKEN)
			throw new JobRequestError('audience', "needs META_ACCESS_TOKEN in the service's settings", 409);
		let schema;
		try {
			schema = parseSchema(request.audience.schema);
		} catch (error) {
			throw new JobRequestError('audience.schema', (error as Error).message);
		}
		if (request.audience.segment && request.source !== 'shopify_customers')
			throw new JobRequestError('audience.segment', 'segments are for Shopify customers');
		spec.audience = { id: request.audience.id, mode: request.audience.mode, schema };
		if (request.audience.segment) spec.audience.segment = request.audience.segment;
	}
	if (request.hubspot) {
		if (!config.HUBSPOT_ACCESS_TOKEN)
			throw new JobRequestError('hubspot', "needs HUBSPOT_ACCESS_TOKEN in the service's settings", 409);
		spec.hubspot = { enabled: true };
	}
	if (request.events) {
		if (request.source !== 'shopify_orders') throw new JobRequestError('events', 'Purchase events come from orders');
		const pixel = request.events.pixel_id ?? config.META_PIXEL_ID;
		if (!pixel) throw new JobRequestError('events.pixel_id', 'required: send it or set META_PIXEL_ID');
		spec.events = {
			pixel_id: pixel,
			...(request.events.test_event_code ? { test_event_code: request.events.test_event_code } : {}),
		};
	}
	if (!spec.audience && !spec.hubspot && !spec.events)
		throw new JobRequestError('audience', 'a job needs at least one destination: audience, hubspot or events');
	return spec;
}

/** A file job's fields from the query string: audience_id, audience_mode, schema (comma-separated), segment, hubspot. */
const FILE_QUERY = ['source', 'format', 'audience_id', 'audience_mode', 'schema', 'hubspot'];

export function fileRequestFrom(query: Record<string, unknown>): unknown {
	const unknown = Object.keys(query).find((k) => !FILE_QUERY.includes(k));
	if (unknown) throw new JobRequestError(unknown, `not a setting of a file job (${FILE_QUERY.join(', ')})`);
	if (!query.audience_id && (query.audience_mode || query.schema))
		throw new JobRequestError('audience_id', 'required with audience_mode or schema');
	const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
	const audienceId = text('audience_id');
	const schema = text('schema');
	return {
		source: text('source') ?? 'file',
		...(audienceId
			? {
					audience: {
						id: audienceId,
						...(text('audience_mode') ? { mode: text('audience_mode') } : {}),
						...(schema ? { schema: schema.split(',').map((s) => s.trim()) } : {}),
					},
				}
			: {}),
		...(text('hubspot') ? { hubspot: text('hubspot') === 'true' } : {}),
	};
}
