import { openApiDocument } from '../../service/src/http/openapi';

describe('OpenAPI description', () => {
	const doc = openApiDocument() as {
		openapi: string;
		paths: Record<string, object>;
		components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
	};

	it('describes every endpoint', () => {
		expect(Object.keys(doc.paths).sort()).toEqual([
			'/health',
			'/metrics',
			'/v1/events',
			'/v1/events/{id}',
			'/v1/events/{id}/retry',
			'/v1/jobs',
			'/v1/jobs/{id}',
			'/v1/jobs/{id}/cancel',
			'/v1/webhooks/chatwoot',
			'/v1/webhooks/shopify',
			'/v1/webhooks/supabase',
		]);
	});

	it('derives the job request schema from the zod schema that validates job requests', () => {
		const request = doc.components.schemas.JobRequest;
		expect(request.required).toEqual(['source']);
		expect(Object.keys(request.properties ?? {})).toEqual(['source', 'audience', 'hubspot', 'events']);
	});

	it('derives the event schema from the zod schema that validates requests', () => {
		const event = doc.components.schemas.Event;
		expect(event.required).toEqual(['event_name']);
		expect(Object.keys(event.properties ?? {})).toEqual(
			expect.arrayContaining(['event_name', 'email', 'phone', 'user_data', 'custom_data', 'pixel_id', 'action_source']),
		);
		expect(JSON.stringify(event.properties?.action_source)).toContain('system_generated');
	});
});
