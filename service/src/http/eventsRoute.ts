import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { readRelaySignatureHeader, RELAY_SIGNATURE_HEADER } from '../../../nodes/core/signatures/relay';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Repository } from '../db/repository';
import type { Dispatcher } from '../usecases/dispatcher';
import { ingestEvents } from '../usecases/ingestEvents';
import { retryDeadEvent } from '../usecases/retryEvent';
import type { Metrics } from '../metrics';
import { BatchSchema, MAX_EVENTS } from './batchSchema';
import { HttpError, invalidInput } from './errors';
import { EVENT_MAX_DEPTH, parseJsonBody } from './jsonLimits';
import { decodeCursor, encodeCursor, ListQuerySchema } from './listQuery';

interface Deps {
	repo: Repository;
	config: Config;
	metrics?: Metrics;
	dispatcher?: Dispatcher;
	clock?: Clock;
}

/** {data: [...]} is a batch; any other body is one event, checked by the use case. */
function eventsIn(body: unknown): unknown[] {
	if (!body || typeof body !== 'object' || Array.isArray(body) || !('data' in body)) return [body];
	const batch = BatchSchema.safeParse(body);
	if (!batch.success)
		throw new HttpError(400, 'invalid_batch', `data must be an array of 1 to ${MAX_EVENTS} events`, 'data');
	return batch.data.data;
}

/**
 * A signed request is unique: its MAC covers its timestamp and body. Events it sends without an
 * id take one derived from exactly those, so a replay within the signature's five minutes (the
 * same bytes, however its header is rewritten) is answered duplicate: true, not sent again.
 */
function signedEventIds(req: Request): ((index: number) => string) | undefined {
	const header = readRelaySignatureHeader({ header: req.header(RELAY_SIGNATURE_HEADER), toleranceSeconds: Infinity });
	if (!header.ok) return undefined;
	const digest = createHash('sha256')
		.update(`${header.timestamp}.`)
		.update((req.body as Buffer | undefined) ?? Buffer.alloc(0))
		.digest('hex')
		.slice(0, 40);
	return (index) => `signed:${digest}:${index}`;
}

/** POST /v1/events: 202 when at least one event is stored, else 400; invalid events are reported by index. */
export function postEventsRoute({ repo, config, metrics, dispatcher, clock }: Deps) {
	return async (req: Request, res: Response): Promise<void> => {
		const items = eventsIn(parseJsonBody(req.body as Buffer, EVENT_MAX_DEPTH));
		const { accepted, errors } = await ingestEvents(
			{ repo, config, metrics, clock, defaultEventId: signedEventIds(req) },
			'api',
			items,
		);
		if (accepted.length) dispatcher?.nudge();
		res.status(accepted.length ? 202 : 400).json({
			data: accepted,
			errors,
			...(accepted.length
				? {}
				: {
						error: { code: 'invalid_event', message: errors[0]?.message ?? 'no valid event', field: errors[0]?.field },
					}),
		});
	};
}

/**
 * GET /v1/events: newest first, a page at a time. A page holds up to `limit` rows and stops early
 * once their payloads reach 2 MB (LIST_MAX_PAYLOAD_BYTES), so its answer stays a few megabytes;
 * next_cursor is set whenever more rows follow.
 */
export function listEventsRoute({ repo }: Pick<Deps, 'repo'>) {
	return async (req: Request, res: Response): Promise<void> => {
		const query = ListQuerySchema.safeParse(req.query);
		if (!query.success) throw invalidInput('invalid_query', query.error);
		const { status, limit, cursor } = query.data;
		const { rows, last, more } = await repo.listEvents({
			status,
			limit,
			cursor: cursor ? decodeCursor(cursor) : undefined,
		});
		res.json({ data: rows, next_cursor: more && last ? encodeCursor(last.createdAt, last.id) : null });
	};
}

/** POST /v1/events/:id/retry: 202 with the requeued event; 404 or 409 for anything but a dead letter. */
export function retryEventRoute({ repo, dispatcher }: Pick<Deps, 'repo' | 'dispatcher'>) {
	return async (req: Request, res: Response): Promise<void> => {
		const outcome = await retryDeadEvent(repo, String(req.params.id));
		if (outcome.kind === 'missing') throw new HttpError(404, 'not_found', 'no event with this id', 'id');
		if (outcome.kind === 'not_dead')
			throw new HttpError(409, 'not_dead', `only dead events can be retried; this one is ${outcome.status}`, 'id');
		dispatcher?.nudge();
		res.status(202).json(outcome.event);
	};
}

/** GET /v1/events/:id: the event and its delivery state. */
export function getEventRoute({ repo }: Pick<Deps, 'repo'>) {
	return async (req: Request, res: Response): Promise<void> => {
		const event = await repo.getEvent(String(req.params.id));
		if (!event) throw new HttpError(404, 'not_found', 'no event with this id', 'id');
		res.json(event);
	};
}
