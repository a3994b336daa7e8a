import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { chunk, dropDuplicateEvents, eventsRequestBody } from '../../../core/capi/batch';
import { sendWithBisection, type SendOutcome } from '../../../core/capi/bisect';
import type { ServerEvent } from '../../../core/capi/types';
import type { PreparedItem } from '../../../shared/event/collect';
import type { ItemOutcomes } from '../../../shared/itemOutcomes';
import { graphApiError, graphCall } from '../../../shared/transport/graphCall';
import type { GraphResponse } from '../../../shared/transport/metaGraph';

interface Pending {
	index: number;
	event: ServerEvent;
}

/** Events for one pixel and test code: they can share a request. */
interface PixelGroup {
	pixelId: string;
	testEventCode: string;
	batchSize: number;
	pending: Pending[];
}

/** The items by pixel and test event code, in input order; the first item of a group sets its batch size. */
function byPixel(prepared: PreparedItem[]): PixelGroup[] {
	const groups = new Map<string, PixelGroup>();
	for (const p of prepared) {
		const key = `${p.pixelId}\u0000${p.testEventCode}`;
		const group = groups.get(key) ?? {
			pixelId: p.pixelId,
			testEventCode: p.testEventCode,
			batchSize: p.batchSize,
			pending: [],
		};
		group.pending.push({ index: p.index, event: p.event });
		groups.set(key, group);
	}
	return [...groups.values()];
}

/** One POST, retried (by graphCall) while Meta says the failure is transient or throttled. */
async function postEvents(
	this: IExecuteFunctions,
	pixelId: string,
	events: readonly Pending[],
	testEventCode: string,
): Promise<SendOutcome<GraphResponse>> {
	const body = eventsRequestBody(
		events.map((p) => p.event),
		{ testEventCode: testEventCode || undefined },
	);
	const { ok, response, failure } = await graphCall.call(
		this,
		'POST',
		`${encodeURIComponent(pixelId)}/events`,
		body as IDataObject,
	);
	return ok ? { ok: true, result: response } : { ok: false, invalid: failure?.class === 'invalid', error: response };
}

/**
 * One item's output: that its event was received (Meta answers per request, not per event), the
 * request's fbtrace_id, and what was sent. Meta's counts and messages are the request's, so they
 * come once, as `batch` on the first item of each request: repeated on every item, a column of
 * events_received summed to the batch size times itself (3 items showed 3 each).
 */
function receivedJson(body: IDataObject, event: ServerEvent, batch?: { eventsSent: number }): IDataObject {
	return {
		received: true,
		fbtrace_id: body.fbtrace_id as string,
		event_name: event.event_name,
		event_id: event.event_id ?? null,
		event_time: event.event_time,
		user_data: event.user_data as IDataObject,
		...(batch
			? {
					batch: {
						events_sent: batch.eventsSent,
						events_received: body.events_received as number,
						messages: (body.messages as IDataObject[]) ?? [],
					},
				}
			: {}),
	};
}

/**
 * A repeat of an event earlier in the run is not sent (Meta would count both); the others go in
 * batches, a rejected batch split until the invalid events are alone.
 */
async function sendGroup(this: IExecuteFunctions, group: PixelGroup, outcomes: ItemOutcomes): Promise<void> {
	const { kept, duplicates } = dropDuplicateEvents(
		group.pending.map((p) => ({ ...p, event_name: p.event.event_name, event_id: p.event.event_id })),
	);
	for (const d of duplicates) {
		const { index, event } = group.pending[d];
		outcomes.set(index, {
			ok: true,
			json: { received: false, duplicate: true, event_name: event.event_name, event_id: event.event_id ?? null },
		});
	}
	for (const batch of chunk(kept, group.batchSize)) {
		const sent = await sendWithBisection(batch, (part) =>
			postEvents.call(this, group.pixelId, part, group.testEventCode),
		);
		// The items a request carried share its answer (the same object), bisected or not.
		const carried = new Map<GraphResponse, number>();
		for (const outcome of sent)
			if (outcome.ok && outcome.result) carried.set(outcome.result, (carried.get(outcome.result) ?? 0) + 1);
		const reported = new Set<GraphResponse>();
		for (const outcome of sent) {
			const { index, event } = outcome.item;
			if (outcome.ok && outcome.result) {
				const first = !reported.has(outcome.result);
				reported.add(outcome.result);
				outcomes.set(index, {
					ok: true,
					json: receivedJson(
						outcome.result.body,
						event,
						first ? { eventsSent: carried.get(outcome.result)! } : undefined,
					),
				});
			} else outcomes.set(index, { ok: false, error: graphApiError.call(this, outcome.error as GraphResponse, index) });
		}
	}
}

/** Sends the prepared events straight to the Conversions API; each item's outcome is written by its index. */
export async function sendToMeta(
	this: IExecuteFunctions,
	prepared: PreparedItem[],
	outcomes: ItemOutcomes,
): Promise<void> {
	for (const group of byPixel(prepared)) await sendGroup.call(this, group, outcomes);
}
