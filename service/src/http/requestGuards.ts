import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './errors';

// Headers that decide who is asking or what the body is: sent twice, they are ambiguous (Node
// keeps only the first), so the request is refused instead of guessed.
const SINGLE_HEADERS = [
	'authorization',
	'content-type',
	'x-relay-signature',
	'x-shopify-hmac-sha256',
	'x-shopify-topic',
	'x-shopify-shop-domain',
	'x-shopify-webhook-id',
	'x-shopify-event-id',
	'x-chatwoot-signature',
	'x-chatwoot-timestamp',
	'x-chatwoot-delivery',
	'x-chatwoot-token',
];

export function rejectDuplicateHeaders(req: Request, _res: Response, next: NextFunction): void {
	const seen = new Set<string>();
	for (let i = 0; i < req.rawHeaders.length; i += 2) {
		const name = req.rawHeaders[i].toLowerCase();
		if (!SINGLE_HEADERS.includes(name)) continue;
		if (seen.has(name)) return next(new HttpError(400, 'duplicate_header', `${name} was sent more than once`, name));
		seen.add(name);
	}
	next();
}

/** A body must be JSON and say so; an empty body (a bare POST …/retry) needs no type. */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
	const length = Buffer.isBuffer(req.body) ? req.body.length : 0;
	if (length === 0) return next();
	const type = (req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return next();
	next(
		new HttpError(
			415,
			'unsupported_media_type',
			`Content-Type must be application/json${type ? `, not ${type}` : ''}`,
			'content-type',
		),
	);
}
