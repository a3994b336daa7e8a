import express, { type NextFunction, type Request, type Response } from 'express';
import { requireJsonBody } from './requestGuards';

type Handler = (req: Request, res: Response) => Promise<void>;

// Express 5 forwards rejected promises; this keeps the handlers' types plain.
export const route = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => handler(req, res).catch(next);

/** Raw bytes first: signatures are verified on exactly what was sent. */
export const rawJsonBody = [express.raw({ type: () => true, limit: '5mb' }), requireJsonBody];
