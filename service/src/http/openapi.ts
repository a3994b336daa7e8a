import { z } from 'zod';
import { EventInputSchema } from '../usecases/eventSchema';
import { MAX_EVENTS } from './batchSchema';
import { ListQuerySchema } from './listQuery';
import { jobPaths, jobSchemas } from './openapiJobs';

const ErrorSchema = z.object({
	error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
const AcceptedSchema = z.object({
	data: z.array(z.object({ index: z.number().int(), id: z.uuid(), status: z.string(), duplicate: z.boolean() })),
	errors: z.array(
		z.object({
			index: z.number().int(),
			code: z.literal('invalid_event'),
			field: z.string().optional(),
			message: z.string(),
		}),
	),
});

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' });
const json = (ref: string) => ({
	content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const errors = {
	400: { description: 'invalid input', ...json('Error') },
	401: { description: 'unauthorized', ...json('Error') },
};

function components() {
	return {
		securitySchemes: {
			bearer: { type: 'http', scheme: 'bearer', description: 'RELAY_API_SECRET' },
			signature: {
				type: 'apiKey',
				in: 'header',
				name: 'X-Relay-Signature',
				description: 't=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>',
			},
		},
		schemas: {
			Event: schema(EventInputSchema),
			Batch: {
				type: 'object',
				required: ['data'],
				properties: {
					data: { type: 'array', minItems: 1, maxItems: MAX_EVENTS, items: { $ref: '#/components/schemas/Event' } },
				},
			},
			Accepted: schema(AcceptedSchema),
			Error: schema(ErrorSchema),
			ListQuery: schema(ListQuerySchema),
			...jobSchemas(),
		},
	};
}

function paths() {
	return {
		...jobPaths(),
		'/v1/events': {
			post: {
				summary: 'Store events for delivery (one event or {data: [...]}, up to 1,000)',
				requestBody: {
					required: true,
					content: {
						'application/json': {
							schema: { oneOf: [{ $ref: '#/components/schemas/Event' }, { $ref: '#/components/schemas/Batch' }] },
						},
					},
				},
				responses: {
					202: { description: 'stored after commit; invalid events reported by index', ...json('Accepted') },
					...errors,
				},
			},
			get: {
				summary: 'List events, newest first',
				parameters: ['status', 'limit', 'cursor'].map((name) => ({
					name,
					in: 'query',
					required: false,
					schema: { $ref: `#/components/schemas/ListQuery/properties/${name}` },
				})),
				responses: { 200: { description: 'a page of events and next_cursor' }, ...errors },
			},
		},
		'/v1/events/{id}': {
			get: {
				summary: 'One event and its delivery state',
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
				responses: { 200: { description: 'the event' }, 404: { description: 'no such event', ...json('Error') } },
			},
		},
		'/v1/events/{id}/retry': {
			post: {
				summary: 'Queue a dead letter again',
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
				responses: {
					202: { description: 'queued' },
					404: { description: 'no such event', ...json('Error') },
					409: { description: 'not a dead letter', ...json('Error') },
				},
			},
		},
		'/v1/webhooks/shopify': {
			post: {
				summary: 'Shopify webhook deliveries (X-Shopify-Hmac-Sha256)',
				security: [],
				responses: { 200: { description: 'committed' }, ...errors },
			},
		},
		'/v1/webhooks/supabase': {
			post: {
				summary: 'Supabase database webhooks (Bearer SUPABASE_WEBHOOK_SECRET)',
				security: [],
				responses: { 200: { description: 'committed' }, ...errors },
			},
		},
		'/v1/webhooks/chatwoot': {
			post: {
				summary: 'Chatwoot webhooks (X-Chatwoot-Signature)',
				security: [],
				responses: { 200: { description: 'committed' }, ...errors },
			},
		},
		'/health': {
			get: {
				summary: 'Database, dispatcher and Meta configuration',
				security: [],
				responses: { 200: { description: 'ok' }, 503: { description: 'degraded' } },
			},
		},
		'/metrics': {
			get: {
				summary: 'Prometheus metrics',
				security: [],
				responses: { 200: { description: 'text exposition format' } },
			},
		},
	};
}

/** The OpenAPI description, generated from the same zod schemas that validate requests. */
export function openApiDocument(): object {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Conversion Relay',
			version: '0.1.0',
			description: 'Durable, hashed, deduplicated delivery to the Meta Conversions API.',
		},
		components: components(),
		security: [{ bearer: [] }, { signature: [] }],
		paths: paths(),
	};
}
