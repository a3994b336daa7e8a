import { MAX_EVENT_BYTES, MAX_REQUEST_BYTES } from './limits';
import type { ServerEvent } from './types';

/** Meta accepts at most 1,000 events in one request. */
export const MAX_EVENTS_PER_REQUEST = 1000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/** UTF-8 bytes of a text, as it goes over the wire. */
export function utf8Bytes(text: string): number {
	return Buffer.byteLength(text, 'utf8');
}

/**
 * Bytes of a request body around its events: `{"data":[]}` and the other fields (test_event_code,
 * appsecret_proof…). A body of events a, b, c weighs this + |a| + |b| + |c| + 2 (the commas).
 */
export function envelopeBytes(fields: Record<string, unknown> = {}): number {
	return utf8Bytes(JSON.stringify({ data: [], ...fields }));
}

export interface ByteLimits {
	/** Items in one request (Meta: 1,000). */
	maxCount?: number;
	/** One request's serialized body, envelope included. */
	maxBytes?: number;
	/** One item, serialized: an item above it is never sent. */
	maxItemBytes?: number;
	/** The body around the items (envelopeBytes). */
	envelopeBytes?: number;
}

export interface ByteBatches<T> {
	/** In the items' order, each within the count and the byte bound. */
	batches: T[][];
	/** Items that no request may carry (above maxItemBytes, or too large even alone), in order. */
	tooLarge: T[];
}

/**
 * chunk by count and by bytes: consecutive items fill a request until the next one would pass
 * `maxCount` items or `maxBytes` bytes. `bytesOf` is an item's serialized size (the caller
 * serializes once and knows it). An item that cannot be sent at all is set aside in `tooLarge`,
 * so its size never holds back or fails the others.
 */
export function chunkByBytes<T>(
	items: readonly T[],
	bytesOf: (item: T) => number,
	limits: ByteLimits = {},
): ByteBatches<T> {
	const {
		maxCount = MAX_EVENTS_PER_REQUEST,
		maxBytes = MAX_REQUEST_BYTES,
		maxItemBytes = MAX_EVENT_BYTES,
		envelopeBytes: envelope = envelopeBytes(),
	} = limits;
	if (!Number.isInteger(maxCount) || maxCount < 1) throw new RangeError('maxCount must be a positive integer');
	const batches: T[][] = [];
	const tooLarge: T[] = [];
	let batch: T[] = [];
	let bytes = envelope;
	for (const item of items) {
		const size = bytesOf(item);
		// Written so that a size that is not a number counts as too large.
		if (!(size <= maxItemBytes && envelope + size <= maxBytes)) {
			tooLarge.push(item);
			continue;
		}
		// One comma before every item but the first.
		const added = batch.length ? size + 1 : size;
		if (batch.length === maxCount || bytes + added > maxBytes) {
			batches.push(batch);
			batch = [];
			bytes = envelope + size;
		} else {
			bytes += added;
		}
		batch.push(item);
	}
	if (batch.length) batches.push(batch);
	return { batches, tooLarge };
}

export interface EventsRequestOptions {
	testEventCode?: string;
	partnerAgent?: string;
}

/** Body of POST /{version}/{pixel_id}/events without the token (the transport adds it). */
export function eventsRequestBody(
	events: readonly ServerEvent[],
	options: EventsRequestOptions = {},
): Record<string, unknown> {
	if (events.length === 0 || events.length > MAX_EVENTS_PER_REQUEST) {
		throw new RangeError(`a request carries 1 to ${MAX_EVENTS_PER_REQUEST} events, not ${events.length}`);
	}
	const body: Record<string, unknown> = { data: events };
	if (options.testEventCode) body.test_event_code = options.testEventCode;
	if (options.partnerAgent) body.partner_agent = options.partnerAgent;
	return body;
}

/** Duplicate (event_name, event_id) pairs within one run: Meta would count both. First one wins. */
export function dropDuplicateEvents<T extends Pick<ServerEvent, 'event_name' | 'event_id'>>(
	events: readonly T[],
): { kept: T[]; duplicates: number[] } {
	const seen = new Set<string>();
	const kept: T[] = [];
	const duplicates: number[] = [];
	events.forEach((event, index) => {
		if (!event.event_id) {
			kept.push(event);
			return;
		}
		const key = `${event.event_name}\u0000${event.event_id}`;
		if (seen.has(key)) duplicates.push(index);
		else {
			seen.add(key);
			kept.push(event);
		}
	});
	return { kept, duplicates };
}
