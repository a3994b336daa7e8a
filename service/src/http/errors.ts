import type { NextFunction, Request, Response } from 'express';
import type { ZodError } from 'zod';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly field?: string,
	) {
		super(message);
	}
}

/** A 400 naming the first field zod refused and why. */
export function invalidInput(code: string, error: ZodError): HttpError {
	const issue = error.issues[0];
	return new HttpError(400, code, `${issue.path.join('.')}: ${issue.message}`, issue.path.join('.'));
}

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
	next(new HttpError(404, 'not_found', 'no such route'));
}

/** Every error leaves as {error: {code, message, field?}}; internals are logged, not shown. */
export function errorHandler(log: { error: (o: object, m: string) => void }) {
	// Express recognises an error handler by its four parameters.
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
		// Refused before its body was read: close the connection rather than read the rest.
		if (!req.complete) res.setHeader('Connection', 'close');
		if (err instanceof HttpError) {
			res
				.status(err.status)
				.json({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } });
			return;
		}
		const status = typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : 500;
		if (status === 413) {
			const limit = Number((err as { limit?: unknown }).limit);
			res.status(413).json({
				error: { code: 'payload_too_large', message: `request body is too large (at most ${limit} bytes here)` },
			});
			return;
		}
		if (status >= 400 && status < 500) {
			// The body reader's own refusals (aborted, bad encoding, length mismatch): its message
			// names the problem and never carries the body.
			const type = (err as { type?: unknown }).type;
			res.status(status).json({
				error: {
					code: typeof type === 'string' ? type.replace(/\./g, '_') : 'bad_request',
					message: (err as Error).message || 'bad request',
				},
			});
			return;
		}
		// Only the error's name and message: never the request body.
		log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'request failed');
		res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
	};
}
