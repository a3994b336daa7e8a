import type { NextFunction, Request, Response } from 'express';
import { safeEqual } from '../../../nodes/core/signatures/compare';
import { RELAY_SIGNATURE_HEADER, verifyRelaySignature } from '../../../nodes/core/signatures/relay';
import { HttpError } from './errors';

/** Authorization: Bearer <secret>, or a signed request (X-Relay-Signature: t=…,v1=…). */
export function requireApiAuth(secret: string) {
	return (req: Request, _res: Response, next: NextFunction): void => {
		const signature = req.header(RELAY_SIGNATURE_HEADER);
		if (signature !== undefined) {
			const verdict = verifyRelaySignature({ rawBody: (req.body as Buffer) ?? Buffer.alloc(0), header: signature, secrets: secret });
			if (verdict.ok) return next();
			return next(new HttpError(401, 'unauthorized', `request signature rejected: ${verdict.reason}`));
		}
		const auth = req.header('authorization') ?? '';
		const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
		if (token && safeEqual(token, secret)) return next();
		next(new HttpError(401, 'unauthorized', 'send Authorization: Bearer <RELAY_API_SECRET> or a signed request'));
	};
}
