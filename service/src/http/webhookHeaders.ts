import type { NextFunction, Request, Response } from 'express';
import { decodeBase64 } from '../../../nodes/core/signatures/compare';
import { freshChatwootTimestamp, verifySharedSecret } from '../../../nodes/core/signatures/chatwoot';
import { shopifyHeader } from '../../../nodes/core/signatures/shopify';
import { systemClock, unixSeconds, type Clock } from '../clock';
import type { Config } from '../config';
import { matchesAny } from './auth';
import { HttpError } from './errors';

/**
 * What each webhook sender can be checked on before its body is read, so an upload from
 * anyone else is refused without being buffered. Signatures over the body are checked after it,
 * in the routes.
 */

/** "new,old" during a rotation: both are accepted. */
export const secretsOf = (value: string | undefined) =>
	(value ?? '')
		.split(',')
		.map((x) => x.trim())
		.filter(Boolean);

/** Shopify: a secret to check against, and an HMAC header that can be one (32 bytes, base64). */
export function shopifyHeaders(config: Config) {
	return (req: Request, _res: Response, next: NextFunction): void => {
		if (config.SHOPIFY_WEBHOOK_SECRETS.length === 0)
			return next(
				new HttpError(401, 'unauthorized', 'SHOPIFY_WEBHOOK_SECRETS is not set: deliveries cannot be verified'),
			);
		const hmac = shopifyHeader(req.headers as Record<string, string | string[] | undefined>, 'hmac-sha256');
		if (!hmac || decodeBase64(hmac)?.length !== 32)
			return next(new HttpError(401, 'unauthorized', 'X-Shopify-Hmac-Sha256 does not match the body'));
		next();
	};
}

/** Supabase database webhooks are unsigned: the bearer secret is the whole check. */
export function supabaseHeaders(config: Config) {
	return (req: Request, _res: Response, next: NextFunction): void => {
		const secrets = secretsOf(config.SUPABASE_WEBHOOK_SECRET);
		if (secrets.length === 0)
			return next(
				new HttpError(401, 'unauthorized', 'SUPABASE_WEBHOOK_SECRET is not set: deliveries cannot be checked'),
			);
		const token = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1]?.trim();
		if (!token || !matchesAny(token, secrets))
			return next(new HttpError(401, 'unauthorized', 'send Authorization: Bearer <SUPABASE_WEBHOOK_SECRET>'));
		next();
	};
}

/**
 * Chatwoot ≥ 4.11 signs "<timestamp>.<body>": the timestamp is checked here, the signature after
 * the body. Older versions send the shared secret (X-Chatwoot-Token or ?token=): checked in full here.
 */
export function chatwootHeaders(config: Config, clock: Clock = systemClock) {
	return (req: Request, _res: Response, next: NextFunction): void => {
		const secrets = secretsOf(config.CHATWOOT_WEBHOOK_SECRET);
		if (secrets.length === 0)
			return next(
				new HttpError(401, 'unauthorized', 'CHATWOOT_WEBHOOK_SECRET is not set: deliveries cannot be checked'),
			);
		if (req.header('x-chatwoot-signature')) {
			const ok = freshChatwootTimestamp({ timestamp: req.header('x-chatwoot-timestamp'), now: unixSeconds(clock) });
			return next(
				ok ? undefined : new HttpError(401, 'unauthorized', 'X-Chatwoot-Signature or X-Chatwoot-Timestamp rejected'),
			);
		}
		const token = req.header('x-chatwoot-token') ?? (typeof req.query.token === 'string' ? req.query.token : undefined);
		const ok = secrets.map((one) => verifySharedSecret(token, one)).includes(true);
		next(ok ? undefined : new HttpError(401, 'unauthorized', 'missing or wrong shared secret'));
	};
}
