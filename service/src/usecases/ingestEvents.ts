import { randomUUID } from 'node:crypto';
import { prepareEvent, type EventInput } from '../../../nodes/core/capi/build';
import { flatToEventInput, type FlatEvent } from '../../../nodes/core/capi/flatEvent';
import type { Config } from '../config';
import type { NewEvent, Repository } from '../db/repository';
import type { Metrics } from '../metrics';
import { EventInputSchema, type EventInputBody } from '../http/eventSchema';

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
}

export async function ingestEvents({ repo, config, metrics }: IngestContext, source: string, items: unknown[], deliveryKey: string | null = null, shop?: string) {
	metrics?.received.inc({ source }, items.length);
	const errors: EventError[] = [];
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
		const prepared = prepareEvent(toEventInput(parsed.data));
		if (!prepared.ok) {
			const first = prepared.issues[0];
			errors.push({ index, code: 'invalid_event', field: first.field, message: prepared.issues.map((i) => i.message).join('; ') });
			return;
		}
		const testCode = parsed.data.test_event_code ?? config.META_TEST_EVENT_CODE;
		valid.push({ index, event: { pixel_id: pixelId, payload: prepared.event, ...(testCode ? { test_event_code: testCode } : {}), ...(shop ? { shop } : {}) } });
	});
	metrics?.invalid.inc({ source }, errors.length);
	if (valid.length === 0) return { accepted: [] as EventAccepted[], errors, duplicateDelivery: false };
	const result = await repo.ingest(source, deliveryKey, valid.map((v) => v.event));
	const accepted: EventAccepted[] = result.events.map((e, i) => ({ index: valid[i].index, ...e }));
	metrics?.stored.inc({ source }, accepted.filter((a) => !a.duplicate).length);
	return { accepted, errors, duplicateDelivery: result.duplicate_delivery };
}
