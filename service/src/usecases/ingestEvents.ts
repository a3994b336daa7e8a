import { randomUUID } from 'node:crypto';
import type { ZodError } from 'zod';
import { prepareEvent, type EventInput } from '../../../nodes/core/capi/build';
import { flatToEventInput, type FlatEvent } from '../../../nodes/core/capi/flatEvent';
import { MAX_EVENT_BYTES, MAX_PIXEL_ID_LENGTH } from '../../../nodes/core/capi/limits';
import type { ServerEvent } from '../../../nodes/core/capi/types';
import { systemClock, unixSeconds, type Clock } from '../clock';
import type { Config } from '../config';
import type { EventKey, NewEvent, Repository } from '../db/repository';
import type { Metrics } from '../metrics';
import { EventInputSchema, type EventInputBody } from './eventSchema';

export interface EventError {
	index: number;
	code: 'invalid_event';
	field?: string;
	message: string;
}

export interface EventAccepted {
	index: number;
	id: string;
	status: string;
	duplicate: boolean;
}

function toEventInput(body: EventInputBody, defaultId: string): EventInput {
	const input = flatToEventInput(body as FlatEvent, { actionSource: 'system_generated' });
	// Meta deduplicates on event_id: every stored event gets one.
	return { ...input, event_id: body.event_id ?? defaultId };
}

export interface IngestContext {
	repo: Repository;
	config: Config;
	metrics?: Metrics;
	clock?: Clock;
	/**
	 * The id of an event sent without one, by its index in the request: random unless the
	 * request itself is unique (a signed request), so that replaying it stores nothing new.
	 */
	defaultEventId?: (index: number) => string;
}

/** An event too old for Meta: refused, unless it is a repeat of one already stored. */
interface Aged {
	index: number;
	key: EventKey;
	error: EventError;
}

/**
 * A webhook retried, or a sync run again, after its event has aged past Meta's window is a
 * duplicate of what is stored, not an invalid event: answered as the stored copy, nothing written.
 */
async function resolveAged(repo: Repository, aged: Aged[], errors: EventError[]): Promise<EventAccepted[]> {
	const stored = await repo.findEvents(aged.map((a) => a.key));
	const repeats: EventAccepted[] = [];
	aged.forEach((a, i) => {
		const found = stored.get(i);
		if (found) repeats.push({ index: a.index, id: found.id, status: found.status, duplicate: true });
		else errors.push(a.error);
	});
	return repeats;
}

/** One item after its checks: ready to store, too old (perhaps a repeat), or refused. */
type Checked =
	| { kind: 'valid'; index: number; event: NewEvent }
	| ({ kind: 'aged' } & Aged)
	| { kind: 'invalid'; error: EventError };

function schemaError(index: number, error: ZodError): EventError {
	const issue = error.issues[0];
	const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
	return {
		index,
		code: 'invalid_event',
		field: field || undefined,
		message: issue.code === 'unrecognized_keys' ? `unknown field ${field}` : `${field || 'event'}: ${issue.message}`,
	};
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * An event as it would be sent (hashed, serialized) above MAX_EVENT_BYTES can never be sent:
 * refused here, naming its largest part, rather than held in the queue forever.
 */
/** The event as it will be stored and sent (its JSON text), or why it is too large for Meta. */
function serialize(index: number, event: ServerEvent): { text: string } | { error: EventError } {
	const text = JSON.stringify(event);
	const bytes = Buffer.byteLength(text);
	if (bytes <= MAX_EVENT_BYTES) return { text };
	const [largest] = Object.entries(event)
		.map(([key, value]) => [key, Buffer.byteLength(JSON.stringify(value) ?? '')] as const)
		.sort((a, b) => b[1] - a[1]);
	return {
		error: {
			index,
			code: 'invalid_event',
			field: largest[0],
			message: `event: ${count(bytes)} bytes as sent (hashed, serialized), at most ${count(MAX_EVENT_BYTES)}; ${largest[0]} is ${count(largest[1])} of them`,
		},
	};
}

/** One item: checked against the schema, given its pixel, normalized and hashed, and checked as Meta would. */
function checkItem(
	item: unknown,
	index: number,
	config: Config,
	now: number,
	shop: string | undefined,
	defaultId: string,
): Checked {
	const parsed = EventInputSchema.safeParse(item);
	if (!parsed.success) return { kind: 'invalid', error: schemaError(index, parsed.error) };
	const pixelId = parsed.data.pixel_id ?? config.META_PIXEL_ID;
	if (!pixelId)
		return {
			kind: 'invalid',
			error: {
				index,
				code: 'invalid_event',
				field: 'pixel_id',
				message: 'pixel_id is required: set META_PIXEL_ID or send pixel_id with the event',
			},
		};
	// The schema caps the event's own; META_PIXEL_ID is a stored key as well.
	if (pixelId.length > MAX_PIXEL_ID_LENGTH)
		return {
			kind: 'invalid',
			error: {
				index,
				code: 'invalid_event',
				field: 'pixel_id',
				message: `pixel_id: at most ${MAX_PIXEL_ID_LENGTH} characters`,
			},
		};
	const prepared = prepareEvent(toEventInput(parsed.data, defaultId), { now });
	if (!prepared.ok) {
		const first = prepared.issues[0];
		const error: EventError = {
			index,
			code: 'invalid_event',
			field: first.field,
			message: prepared.issues.map((i) => i.message).join('; '),
		};
		const { event_name: eventName, event_id: eventId } = prepared.event;
		// Only an event with its own id can be a repeat of a stored one.
		if (parsed.data.event_id !== undefined && eventId && prepared.issues.every((i) => i.tooOld)) {
			return { kind: 'aged', index, key: { pixel_id: pixelId, event_name: eventName, event_id: eventId }, error };
		}
		return { kind: 'invalid', error };
	}
	const serialized = serialize(index, prepared.event);
	if ('error' in serialized) return { kind: 'invalid', error: serialized.error };
	const testCode = parsed.data.test_event_code ?? config.META_TEST_EVENT_CODE;
	return {
		kind: 'valid',
		index,
		event: {
			pixel_id: pixelId,
			payload: prepared.event,
			payloadText: serialized.text,
			...(testCode ? { test_event_code: testCode } : {}),
			...(shop ? { shop } : {}),
		},
	};
}

/**
 * Validate, normalize and hash each event, then store the valid ones in one transaction. Invalid
 * events are reported by index with the field and the reason; raw identifiers never reach storage.
 */
export async function ingestEvents(
	{ repo, config, metrics, clock = systemClock, defaultEventId = () => randomUUID() }: IngestContext,
	source: string,
	items: unknown[],
	deliveryKey: string | null = null,
	shop?: string,
) {
	metrics?.received.inc({ source }, items.length);
	const now = unixSeconds(clock);
	const checked = items.map((item, index) => checkItem(item, index, config, now, shop, defaultEventId(index)));
	const errors = checked.flatMap((c) => (c.kind === 'invalid' ? [c.error] : []));
	const aged = checked.filter((c) => c.kind === 'aged');
	const valid = checked.filter((c) => c.kind === 'valid');
	const repeats = aged.length ? await resolveAged(repo, aged, errors) : [];
	errors.sort((a, b) => a.index - b.index);
	metrics?.invalid.inc({ source }, errors.length);
	if (valid.length === 0) return { accepted: repeats, errors, duplicateDelivery: false };
	const result = await repo.ingest(
		source,
		deliveryKey,
		valid.map((v) => v.event),
	);
	const fresh: EventAccepted[] = result.events.map((e, i) => ({ index: valid[i].index, ...e }));
	metrics?.stored.inc({ source }, fresh.filter((a) => !a.duplicate).length);
	const accepted = repeats.length ? [...fresh, ...repeats].sort((a, b) => a.index - b.index) : fresh;
	return { accepted, errors, duplicateDelivery: result.duplicate_delivery };
}
