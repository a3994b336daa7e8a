import express from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Repository } from '../db/repository';
import type { Dispatcher } from '../usecases/dispatcher';
import type { Metrics } from '../metrics';
import { relayAuth } from './auth';
import { chatwootWebhookRoute } from './chatwootRoute';
import { errorHandler, notFound } from './errors';
import { getEventRoute, listEventsRoute, postEventsRoute, retryEventRoute } from './eventsRoute';
import { healthRoute, metricsRoute, openApiRoute, statusPageRoute } from './opsRoute';
import { rejectDuplicateHeaders } from './requestGuards';
import { requestLog } from './requestLog';
import { rawJsonBody, route } from './routing';
import { shopifyWebhookRoute } from './shopifyRoute';
import { supabaseWebhookRoute } from './supabaseRoute';

export interface AppDeps {
	repo: Repository;
	config: Config;
	apiSecret: string;
	log: Logger;
	dispatcher?: Dispatcher;
	metrics?: Metrics;
	clock?: Clock;
}

/** Every endpoint, its body parsing and its authentication; the handlers live in the route files. */
export function createApp(deps: AppDeps) {
	const { config, apiSecret, log, metrics, clock } = deps;
	const auth = relayAuth(config, apiSecret, clock);
	const app = express();
	app.disable('x-powered-by');
	app.use(rejectDuplicateHeaders);
	app.use(requestLog(log, metrics));

	app.get('/', auth.read, route(statusPageRoute(deps)));
	app.get('/openapi.json', openApiRoute());
	app.get('/metrics', route(metricsRoute(metrics)));
	app.get('/health', route(healthRoute(deps)));

	app.post('/v1/events', rawJsonBody, auth.api, route(postEventsRoute(deps)));
	app.get('/v1/events', rawJsonBody, auth.read, route(listEventsRoute(deps)));
	app.post('/v1/events/:id/retry', rawJsonBody, auth.api, route(retryEventRoute(deps)));
	app.get('/v1/events/:id', rawJsonBody, auth.read, route(getEventRoute(deps)));

	// Webhooks authenticate inside their routes: each source signs its own way.
	app.post('/v1/webhooks/shopify', rawJsonBody, route(shopifyWebhookRoute(deps)));
	app.post('/v1/webhooks/supabase', rawJsonBody, route(supabaseWebhookRoute(deps)));
	app.post('/v1/webhooks/chatwoot', rawJsonBody, route(chatwootWebhookRoute(deps)));

	app.use(notFound);
	app.use(errorHandler(log));
	return app;
}
