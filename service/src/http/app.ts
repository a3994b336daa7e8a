import type { EventEmitter } from 'node:events';
import express from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { JobsRepository } from '../db/jobsRepository';
import type { Repository } from '../db/repository';
import type { QualityView } from '../usecases/datasetQuality';
import type { FileReceiver } from '../usecases/jobs/receiveFile';
import type { Dispatcher } from '../usecases/dispatcher';
import type { Metrics } from '../metrics';
import { relayAuth } from './auth';
import { chatwootWebhookRoute } from './chatwootRoute';
import { errorHandler, notFound } from './errors';
import { getEventRoute, listEventsRoute, postEventsRoute, retryEventRoute } from './eventsRoute';
import { cancelJobRoute, fileFormatOf, getJobRoute, listJobsRoute, postJobRoute } from './jobsRoute';
import { healthRoute, metricsRoute, openApiRoute, statusPageRoute } from './opsRoute';
import { rejectDuplicateHeaders } from './requestGuards';
import { requestLog } from './requestLog';
import { BODY_LIMITS, jsonBody, route, unless } from './routing';
import { securityHeaders } from './securityHeaders';
import { shopifyWebhookRoute } from './shopifyRoute';
import { STATUS_PAGE_STYLE } from './statusPage';
import { supabaseWebhookRoute } from './supabaseRoute';
import { chatwootHeaders, shopifyHeaders, supabaseHeaders } from './webhookHeaders';

export interface AppDeps {
	repo: Repository;
	config: Config;
	apiSecret: string;
	log: Logger;
	dispatcher?: Dispatcher;
	metrics?: Metrics;
	clock?: Clock;
	/** Sync jobs: their storage, the uploads' receiver and the runner to wake. */
	jobs?: { repo: JobsRepository; files: FileReceiver; wake: () => void; bulkFinished?: EventEmitter };
	/** Meta's own match quality for the status page. */
	quality?: { view(): QualityView };
}

/** Every endpoint, its body parsing and its authentication; the handlers live in the route files. */
export function createApp(deps: AppDeps) {
	const { config, apiSecret, log, metrics, clock } = deps;
	const auth = relayAuth(config, apiSecret, clock);
	const app = express();
	app.disable('x-powered-by');
	app.use(securityHeaders([STATUS_PAGE_STYLE]));
	app.use(rejectDuplicateHeaders);
	app.use(requestLog(log, metrics));

	app.get('/', auth.read, route(statusPageRoute(deps)));
	app.get('/openapi.json', openApiRoute());
	app.get('/metrics', route(metricsRoute(metrics)));
	app.get('/health', route(healthRoute(deps)));

	// The sender is checked from the headers before the body is read, wherever the headers suffice.
	app.post('/v1/events', auth.apiHeaders, jsonBody(BODY_LIMITS.events), auth.apiBody, route(postEventsRoute(deps)));
	app.get('/v1/events', jsonBody(BODY_LIMITS.control), auth.read, route(listEventsRoute(deps)));
	app.post(
		'/v1/events/:id/retry',
		auth.apiHeaders,
		jsonBody(BODY_LIMITS.control),
		auth.apiBody,
		route(retryEventRoute(deps)),
	);
	app.get('/v1/events/:id', jsonBody(BODY_LIMITS.control), auth.read, route(getEventRoute(deps)));

	// Each webhook sender signs its own way: what its headers show first, its signature after the body.
	app.post(
		'/v1/webhooks/shopify',
		shopifyHeaders(config),
		jsonBody(BODY_LIMITS.shopify),
		route(shopifyWebhookRoute(deps)),
	);
	app.post(
		'/v1/webhooks/supabase',
		supabaseHeaders(config),
		jsonBody(BODY_LIMITS.webhook),
		route(supabaseWebhookRoute(deps)),
	);
	app.post(
		'/v1/webhooks/chatwoot',
		chatwootHeaders(config, clock),
		jsonBody(BODY_LIMITS.webhook),
		route(chatwootWebhookRoute(deps)),
	);

	if (deps.jobs) {
		const jobs = { jobs: deps.jobs.repo, config, files: deps.jobs.files, wake: deps.jobs.wake };
		// A customer file streams into the job as it arrives: no body parser, and Bearer only (a
		// signature covers the whole body, which is never held).
		const specBody = jsonBody(BODY_LIMITS.job).map((handler) => unless((req) => Boolean(fileFormatOf(req)), handler));
		app.post('/v1/jobs', auth.apiHeaders, ...specBody, auth.apiBody, route(postJobRoute(jobs)));
		app.get('/v1/jobs', jsonBody(BODY_LIMITS.control), auth.read, route(listJobsRoute(jobs)));
		app.get('/v1/jobs/:id', jsonBody(BODY_LIMITS.control), auth.read, route(getJobRoute(jobs)));
		app.post(
			'/v1/jobs/:id/cancel',
			auth.apiHeaders,
			jsonBody(BODY_LIMITS.control),
			auth.apiBody,
			route(cancelJobRoute(jobs)),
		);
	}

	app.use(notFound);
	app.use(errorHandler(log));
	return app;
}
