import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * On every answer: nothing may frame, sniff or load anything but the status page's own inline
 * style (allowed by its hash, not by 'unsafe-inline'), and the page is never cached.
 */
export function securityHeaders(inlineStyles: readonly string[]) {
	const styles = inlineStyles.map((css) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`).join(' ');
	const policy = [
		"default-src 'none'",
		`style-src ${styles || "'none'"}`,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	].join('; ');
	return (_req: Request, res: Response, next: NextFunction): void => {
		res.setHeader('Content-Security-Policy', policy);
		res.setHeader('X-Frame-Options', 'DENY');
		res.setHeader('X-Content-Type-Options', 'nosniff');
		res.setHeader('Referrer-Policy', 'no-referrer');
		res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
		res.setHeader('Cache-Control', 'no-store');
		next();
	};
}
