import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';

/** One log line and one latency observation per request, when its answer has gone out. */
export function requestLog(log: Logger, metrics?: Metrics) {
	return (req: Request, res: Response, next: NextFunction): void => {
		const started = process.hrtime.bigint();
		res.on('finish', () => {
			// Method, path and status only: bodies carry customer data.
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			log.info({ method: req.method, path: req.path, status: res.statusCode, ms: seconds * 1000 }, 'request');
			// The matched route pattern, not the path: ids must not explode the label set.
			metrics?.httpLatency.observe({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }, seconds);
		});
		next();
	};
}
