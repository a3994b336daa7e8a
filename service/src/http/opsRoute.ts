import type { Request, Response } from 'express';
import type { Config } from '../config';
import type { JobsRepository } from '../db/jobsRepository';
import type { Repository } from '../db/repository';
import { jobView } from '../usecases/jobs/jobView';
import type { QualityView } from '../usecases/datasetQuality';
import type { Dispatcher, DispatcherState } from '../usecases/dispatcher';
import type { Metrics } from '../metrics';
import { HttpError } from './errors';
import { openApiDocument } from './openapi';
import { renderStatusPage } from './statusPage';

interface Deps {
	repo: Repository;
	config: Config;
	dispatcher?: Dispatcher;
	jobs?: { repo: JobsRepository };
	/** Meta's own match quality, as last read. */
	quality?: { view(): QualityView };
}

/** GET /: the status page. */
export function statusPageRoute({ repo, config, dispatcher, jobs, quality }: Deps) {
	const recentJobs = async () => {
		if (!jobs) return [];
		const now = Date.now();
		return (await jobs.repo.list({ limit: 20 })).jobs.map((j) => jobView(j, now));
	};
	return async (_req: Request, res: Response): Promise<void> => {
		res.type('html').send(await renderStatusPage(repo, config, dispatcher?.state, recentJobs, quality?.view()));
	};
}

/** GET /openapi.json: generated once, when the app is built. */
export function openApiRoute() {
	const document = openApiDocument();
	return (_req: Request, res: Response): void => {
		res.json(document);
	};
}

/** GET /metrics: Prometheus' text format; 404 when the app runs without metrics. */
export function metricsRoute(metrics: Metrics | undefined) {
	return async (_req: Request, res: Response): Promise<void> => {
		if (!metrics) throw new HttpError(404, 'not_found', 'metrics are off');
		res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
	};
}

function dispatcherHealth(state: DispatcherState | undefined) {
	if (!state) return { running: false };
	return {
		running: state.running,
		last_round_at: state.lastRoundAt ?? null,
		paused_until: state.pausedUntil ?? null,
		sent: state.sent,
		retried: state.retried,
		dead: state.dead,
	};
}

/** GET /health: 503 when the database does not answer or Meta refused the token. Open: it names the refusal and its code, never Meta's text. */
export function healthRoute({ repo, config, dispatcher }: Deps) {
	return async (_req: Request, res: Response): Promise<void> => {
		const database = await repo.ping();
		const state = dispatcher?.state;
		const healthy = database && !state?.authError;
		res.status(healthy ? 200 : 503).json({
			status: healthy ? 'ok' : 'degraded',
			database: { ok: database, backend: repo.backend },
			meta: {
				configured: Boolean(config.META_ACCESS_TOKEN),
				...(state?.authError ? { error: state.authRefusal ?? 'Meta refused the token' } : {}),
			},
			dispatcher: dispatcherHealth(state),
		});
	};
}
