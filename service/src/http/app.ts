import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Repository } from '../db/repository';
import type { Dispatcher } from '../usecases/dispatcher';
import type { Metrics } from '../metrics';
import { ingestEvents } from '../usecases/ingestEvents';
import { shopifyWebhookRoute } from './shopifyRoute';
import { supabaseWebhookRoute } from './supabaseRoute';
import { chatwootWebhookRoute } from './chatwootRoute';
import { openApiDocument } from './openapi';
import { renderStatusPage } from './statusPage';
import { requireApiAuth, requireReadAuth } from './auth';
import { errorHandler, HttpError } from './errors';
import { EVENT_MAX_DEPTH, parseJsonBody } from './jsonLimits';
import { rejectDuplicateHeaders, requireJsonBody } from './requestGuards';
import { encodeCursor, decodeCursor, ListQuerySchema } from './listQuery';
import { BatchSchema, MAX_EVENTS } from './batchSchema';

export interface AppDeps {
	repo: Repository;
	config: Config;
	apiSecret: string;
	log: Logger;
	dispatcher?: Dispatcher;
	metrics?: Metrics;
	clock?: Clock;
}

type Handler = (req: Request, res: Response) => Promise<void>;
// Express 5 forwards rejected promises; this keeps the handlers' types plain.
const route = (h: Handler) => (req: Request, res: Response, next: NextFunction) => h(req, res).catch(next);

export function createApp({ repo, config, apiSecret, log, dispatcher, metrics, clock }: AppDeps) {
	const app = express();
	app.disable('x-powered-by');
	app.use(rejectDuplicateHeaders);
	// Raw bytes first: signatures are verified on exactly what was sent.
	const raw = [express.raw({ type: () => true, limit: '5mb' }), requireJsonBody];
	app.use((req, res, next) => {
		const started = process.hrtime.bigint();
		res.on('finish', () => {
			// Method, path and status only: bodies carry customer data.
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			log.info({ method: req.method, path: req.path, status: res.statusCode, ms: seconds * 1000 }, 'request');
			// The matched route pattern, not the path: ids must not explode the label set.
			metrics?.httpLatency.observe({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }, seconds);
		});
		next();
	});

	const apiSecrets = config.RELAY_API_SECRET_PREVIOUS ? [apiSecret, config.RELAY_API_SECRET_PREVIOUS] : [apiSecret];
	const readAuth = requireReadAuth(apiSecrets, config.RELAY_STATUS_TOKEN, clock);

	app.get(
		'/',
		readAuth,
		route(async (_req, res) => {
			res.type('html').send(await renderStatusPage(repo, config, dispatcher?.state));
		}),
	);

	const openapi = openApiDocument();
	app.get('/openapi.json', (_req, res) => {
		res.json(openapi);
	});

	app.get(
		'/metrics',
		route(async (_req, res) => {
			if (!metrics) throw new HttpError(404, 'not_found', 'metrics are off');
			res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
		}),
	);

	app.get(
		'/health',
		route(async (_req, res) => {
			const database = await repo.ping();
			const state = dispatcher?.state;
			const healthy = database && !state?.authError;
			res.status(healthy ? 200 : 503).json({
				status: healthy ? 'ok' : 'degraded',
				database: { ok: database, backend: repo.backend },
				meta: { configured: Boolean(config.META_ACCESS_TOKEN), ...(state?.authError ? { error: state.authError } : {}) },
				dispatcher: state ? { running: state.running, last_round_at: state.lastRoundAt ?? null, paused_until: state.pausedUntil ?? null, sent: state.sent, retried: state.retried, dead: state.dead } : { running: false },
			});
		}),
	);

	app.post(
		'/v1/events',
		raw,
		requireApiAuth(apiSecrets, clock),
		route(async (req, res) => {
			const body = parseJsonBody(req.body as Buffer, EVENT_MAX_DEPTH);
			let items: unknown[];
			if (body && typeof body === 'object' && !Array.isArray(body) && 'data' in body) {
				const batch = BatchSchema.safeParse(body);
				if (!batch.success) throw new HttpError(400, 'invalid_batch', `data must be an array of 1 to ${MAX_EVENTS} events`, 'data');
				items = batch.data.data;
			} else {
				items = [body];
			}
			const result = await ingestEvents({ repo, config, metrics, clock }, 'api', items);
			if (result.accepted.length) dispatcher?.nudge();
			const status = result.accepted.length ? 202 : 400;
			res.status(status).json({
				data: result.accepted,
				errors: result.errors,
				...(result.accepted.length ? {} : { error: { code: 'invalid_event', message: result.errors[0]?.message ?? 'no valid event', field: result.errors[0]?.field } }),
			});
		}),
	);

	app.get(
		'/v1/events',
		raw,
		readAuth,
		route(async (req, res) => {
			const query = ListQuerySchema.safeParse(req.query);
			if (!query.success) {
				const issue = query.error.issues[0];
				throw new HttpError(400, 'invalid_query', `${issue.path.join('.')}: ${issue.message}`, issue.path.join('.'));
			}
			const { status, limit, cursor } = query.data;
			const { rows, last } = await repo.listEvents({ status, limit, cursor: cursor ? decodeCursor(cursor) : undefined });
			res.json({ data: rows, next_cursor: rows.length === limit && last ? encodeCursor(last.createdAt, last.id) : null });
		}),
	);

	app.post(
		'/v1/events/:id/retry',
		raw,
		requireApiAuth(apiSecrets, clock),
		route(async (req, res) => {
			const id = String(req.params.id);
			const event = await repo.requeue(id);
			if (!event) {
				const existing = await repo.getEvent(id);
				if (!existing) throw new HttpError(404, 'not_found', 'no event with this id', 'id');
				throw new HttpError(409, 'not_dead', `only dead events can be retried; this one is ${existing.status}`, 'id');
			}
			dispatcher?.nudge();
			res.status(202).json(event);
		}),
	);

	app.get(
		'/v1/events/:id',
		raw,
		readAuth,
		route(async (req, res) => {
			const event = await repo.getEvent(String(req.params.id));
			if (!event) throw new HttpError(404, 'not_found', 'no event with this id', 'id');
			res.json(event);
		}),
	);

	app.post('/v1/webhooks/shopify', raw, route(shopifyWebhookRoute({ repo, config, log, metrics, dispatcher, clock })));
	app.post('/v1/webhooks/supabase', raw, route(supabaseWebhookRoute({ repo, config, metrics, dispatcher, clock })));
	app.post('/v1/webhooks/chatwoot', raw, route(chatwootWebhookRoute({ repo, config, metrics, dispatcher, clock })));

	app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'no such route')));
	app.use(errorHandler(log));
	return app;
}
