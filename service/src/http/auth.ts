import type { NextFunction, Request, Response } from 'express';
import { safeEqual } from '../../../nodes/core/signatures/compare';
import {
	readRelaySignatureHeader,
	RELAY_SIGNATURE_HEADER,
	verifyRelaySignature,
} from '../../../nodes/core/signatures/relay';
import { systemClock, unixSeconds, type Clock } from '../clock';
import type { Config } from '../config';
import { HttpError } from './errors';

/** Every secret is compared, so the time taken does not tell which one came close. */
export function matchesAny(token: string, secrets: readonly string[]): boolean {
	let ok = false;
	for (const secret of secrets) ok = safeEqual(token, secret) || ok;
	return ok;
}

const bearerOf = (req: Request): string | undefined =>
	/^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1]?.trim();

/**
 * Before the body is read: Authorization: Bearer <secret> is checked in full, a signed request
 * (X-Relay-Signature: t=…,v1=…) by its shape and timestamp; any of `secrets` (rotation). So an
 * unauthenticated upload is refused without its body ever being buffered.
 */
export function requireApiHeaders(secrets: readonly string[], clock: Clock = systemClock) {
	return (req: Request, _res: Response, next: NextFunction): void => {
		const signature = req.header(RELAY_SIGNATURE_HEADER);
		if (signature !== undefined) {
			const header = readRelaySignatureHeader({ header: signature, now: unixSeconds(clock) });
			return next(
				header.ok ? undefined : new HttpError(401, 'unauthorized', `request signature rejected: ${header.reason}`),
			);
		}
		const token = bearerOf(req);
		if (token && matchesAny(token, secrets)) return next();
		next(new HttpError(401, 'unauthorized', 'send Authorization: Bearer <RELAY_API_SECRET> or a signed request'));
	};
}

/** After the body is read: a signed request's HMAC over exactly the bytes received. */
export function requireApiSignature(secrets: readonly string[], clock: Clock = systemClock) {
	return (req: Request, _res: Response, next: NextFunction): void => {
		const signature = req.header(RELAY_SIGNATURE_HEADER);
		if (signature === undefined) return next();
		const verdict = verifyRelaySignature({
			rawBody: (req.body as Buffer) ?? Buffer.alloc(0),
			header: signature,
			secrets,
			now: unixSeconds(clock),
		});
		next(verdict.ok ? undefined : new HttpError(401, 'unauthorized', `request signature rejected: ${verdict.reason}`));
	};
}

function presented(req: Request): string | undefined {
	const bearer = bearerOf(req);
	if (bearer) return bearer;
	const auth = req.header('authorization') ?? '';
	const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(auth)?.[1];
	if (!basic) return undefined;
	// A browser's login prompt: any user name, the secret (or the read-only token) as the password.
	const decoded = Buffer.from(basic, 'base64').toString('utf8');
	return decoded.slice(decoded.indexOf(':') + 1);
}

/**
 * Reading (status page, event lookups): the API secret or the read-only RELAY_STATUS_TOKEN, as
 * a Bearer token or as the password of HTTP Basic so a person can open the status page.
 */
export function requireReadAuth(
	apiSecrets: readonly string[],
	statusToken: string | undefined,
	clock: Clock = systemClock,
) {
	const accepted = statusToken ? [...apiSecrets, statusToken] : [...apiSecrets];
	const headers = requireApiHeaders(apiSecrets, clock);
	const signed = requireApiSignature(apiSecrets, clock);
	return (req: Request, res: Response, next: NextFunction): void => {
		if (req.header(RELAY_SIGNATURE_HEADER) !== undefined)
			return headers(req, res, (error?: unknown) => (error ? next(error) : signed(req, res, next)));
		const token = presented(req);
		const ok = token !== undefined && matchesAny(token, accepted);
		if (ok) return next();
		res.setHeader('WWW-Authenticate', 'Basic realm="Conversion Relay", charset="UTF-8"');
		next(
			new HttpError(
				401,
				'unauthorized',
				'send the API secret or RELAY_STATUS_TOKEN as a Bearer token or as the password of HTTP Basic',
			),
		);
	};
}

/** Sending and retrying take the API secret (and the previous one during a rotation); reading also takes RELAY_STATUS_TOKEN. */
export function relayAuth(config: Config, apiSecret: string, clock?: Clock) {
	const apiSecrets = config.RELAY_API_SECRET_PREVIOUS ? [apiSecret, config.RELAY_API_SECRET_PREVIOUS] : [apiSecret];
	return {
		/** Before the body. */
		apiHeaders: requireApiHeaders(apiSecrets, clock),
		/** After the body. */
		apiBody: requireApiSignature(apiSecrets, clock),
		read: requireReadAuth(apiSecrets, config.RELAY_STATUS_TOKEN, clock),
	};
}
