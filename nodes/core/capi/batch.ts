import type { ServerEvent } from './types';

/** Meta accepts at most 1,000 events in one request. */
export const MAX_EVENTS_PER_REQUEST = 1000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

export interface EventsRequestOptions {
	testEventCode?: string;
	partnerAgent?: string;
}

/** Body of POST /{version}/{pixel_id}/events without the token (the transport adds it). */
export function eventsRequestBody(events: readonly ServerEvent[], options: EventsRequestOptions = {}): Record<string, unknown> {
	if (events.length === 0 || events.length > MAX_EVENTS_PER_REQUEST) {
		throw new RangeError(`a request carries 1 to ${MAX_EVENTS_PER_REQUEST} events, not ${events.length}`);
	}
	const body: Record<string, unknown> = { data: events };
	if (options.testEventCode) body.test_event_code = options.testEventCode;
	if (options.partnerAgent) body.partner_agent = options.partnerAgent;
	return body;
}

/** Duplicate (event_name, event_id) pairs within one run: Meta would count both. First one wins. */
export function dropDuplicateEvents<T extends Pick<ServerEvent, 'event_name' | 'event_id'>>(events: readonly T[]): { kept: T[]; duplicates: number[] } {
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
