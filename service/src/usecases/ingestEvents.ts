import { randomUUID } from 'node:crypto';
import { prepareEvent, type EventInput } from '../../../nodes/core/capi/build';
import { flatToEventInput, type FlatEvent } from '../../../nodes/core/capi/flatEvent';
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

function toEventInput(body: EventInputBody): EventInput {
	const input = flatToEventInput(body as FlatEvent, { actionSource: 'system_generated' });
	// Meta deduplicates on event_id: every stored event gets one.
	return { ...input, event_id: body.event_id ?? randomUUID() };
}

/**
 * Validate, normalize and hash each event, then store the valid ones in one transaction. Invalid
 * events are reported by index with the field and the reason; raw identifiers never reach storage.
 */
export interface IngestContext {
	repo: Repository;
	config: Config;
	metrics?: Metrics;
	clock?: Clock;
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

export async function ingestEvents({ repo, config, metrics, clock = systemClock }: IngestContext, source: string, items: unknown[], deliveryKey: string | null = null, shop?: string) {
	metrics?.received.inc({ source }, items.length);
	const now = unixSeconds(clock);
	const errors: EventError[] = [];
	const aged: Aged[] = [];
	const valid: Array<{ index: number; event: NewEvent }> = [];
	items.forEach((item, index) => {
		const parsed = EventInputSchema.safeParse(item);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
			errors.push({ index, code: 'invalid_event', field: field || undefined, message: issue.code === 'unrecognized_keys' ? `unknown field ${field}` : `${field || 'event'}: ${issue.message}` });
			return;
		}
		const pixelId = parsed.data.pixel_id ?? config.META_PIXEL_ID;
		if (!pixelId) {
			errors.push({ index, code: 'invalid_event', field: 'pixel_id', message: 'pixel_id is required: set META_PIXEL_ID or send pixel_id with the event' });
			return;
		}
		const prepared = prepareEvent(toEventInput(parsed.data), { now });
		if (!prepared.ok) {
			const first = prepared.issues[0];
			const error: EventError = { index, code: 'invalid_event', field: first.field, message: prepared.issues.map((i) => i.message).join('; ') };
			const { event_name: eventName, event_id: eventId } = prepared.event;
			if (parsed.data.event_id !== undefined && eventId && prepared.issues.every((i) => i.tooOld)) {
				aged.push({ index, key: { pixel_id: pixelId, event_name: eventName, event_id: eventId }, error });
			} else errors.push(error);
			return;
		}
		const testCode = parsed.data.test_event_code ?? config.META_TEST_EVENT_CODE;
		valid.push({ index, event: { pixel_id: pixelId, payload: prepared.event, ...(testCode ? { test_event_code: testCode } : {}), ...(shop ? { shop } : {}) } });
	});
	const repeats = aged.length ? await resolveAged(repo, aged, errors) : [];
	errors.sort((a, b) => a.index - b.index);
	metrics?.invalid.inc({ source }, errors.length);
	if (valid.length === 0) return { accepted: repeats, errors, duplicateDelivery: false };
	const result = await repo.ingest(source, deliveryKey, valid.map((v) => v.event));
	const fresh: EventAccepted[] = result.events.map((e, i) => ({ index: valid[i].index, ...e }));
	metrics?.stored.inc({ source }, fresh.filter((a) => !a.duplicate).length);
	const accepted = repeats.length ? [...fresh, ...repeats].sort((a, b) => a.index - b.index) : fresh;
	return { accepted, errors, duplicateDelivery: result.duplicate_delivery };
}
