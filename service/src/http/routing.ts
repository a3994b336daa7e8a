import express, { type NextFunction, type Request, type Response } from 'express';
import { requireJsonBody } from './requestGuards';

type Handler = (req: Request, res: Response) => Promise<void>;

// Express 5 forwards rejected promises; this keeps the handlers' types plain.
export const route = (handler: Handler) => (req: Request, res: Response, next: NextFunction) =>
	handler(req, res).catch(next);

/**
 * The most each endpoint reads. 1,000 events of a few KB each; one Shopify order with a long cart;
 * one Chatwoot delivery or database row; at most an empty object for reads and retries.
 */
export const BODY_LIMITS = {
	events: 5 * 1024 * 1024,
	shopify: 3 * 1024 * 1024,
	webhook: 1024 * 1024,
	control: 1024,
	/** A sync job's settings (a customer file is streamed instead, up to JOB_FILE_MAX_BYTES). */
	job: 64 * 1024,
} as const;

/** Middleware that steps aside for requests `skip` picks (a streamed upload reads its own body). */
export const unless =
	(skip: (req: Request) => boolean, handler: (req: Request, res: Response, next: NextFunction) => void) =>
	(req: Request, res: Response, next: NextFunction) => (skip(req) ? next() : handler(req, res, next));

/** Raw bytes first, at most `limit`: signatures are verified on exactly what was sent. */
export const jsonBody = (limit: number) => [express.raw({ type: () => true, limit }), requireJsonBody];
