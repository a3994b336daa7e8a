import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { chunk, dropDuplicateEvents, eventsRequestBody } from '../../../core/capi/batch';
import { sendWithBisection, type SendOutcome } from '../../../core/capi/bisect';
import type { ServerEvent } from '../../../core/capi/types';
import { graphApiError, graphCall } from '../../../shared/transport/graphCall';
import type { GraphResponse } from '../../../shared/transport/metaGraph';
import { collectEvents, outputInOrder } from '../../../shared/event/collect';
import { sendToRelay } from '../../../shared/event/sendToRelay';

export { sendFields as description } from '../../../shared/event/fields';

interface Pending {
	index: number;
	event: ServerEvent;
}

/** One POST, retried (by graphCall) while Meta says the failure is transient or throttled. */
async function postEvents(this: IExecuteFunctions, pixelId: string, events: readonly Pending[], testEventCode: string): Promise<SendOutcome<GraphResponse>> {
	const body = eventsRequestBody(events.map((p) => p.event), { testEventCode: testEventCode || undefined });
	const { ok, response, failure } = await graphCall.call(this, 'POST', `${encodeURIComponent(pixelId)}/events`, body as IDataObject);
	return ok ? { ok: true, result: response } : { ok: false, invalid: failure?.class === 'invalid', error: response };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { prepared, failures } = collectEvents.call(this, items);
	const results = new Map<number, INodeExecutionData>();
	if (this.getNodeParameter('delivery', 0, 'direct') === 'relay') {
		await sendToRelay.call(this, prepared, results, failures);
		return outputInOrder.call(this, items.length, results, failures);
	}

	const groups = new Map<string, { pixelId: string; testEventCode: string; batchSize: number; pending: Pending[] }>();
	for (const p of prepared) {
		const key = `${p.pixelId}\u0000${p.testEventCode}`;
		const group = groups.get(key) ?? { pixelId: p.pixelId, testEventCode: p.testEventCode, batchSize: p.batchSize, pending: [] };
		group.pending.push({ index: p.index, event: p.event });
		groups.set(key, group);
	}

	for (const group of groups.values()) {
		const { kept, duplicates } = dropDuplicateEvents(group.pending.map((p) => ({ ...p, event_name: p.event.event_name, event_id: p.event.event_id })));
		for (const d of duplicates) {
			const p = group.pending[d];
			results.set(p.index, { json: { duplicate: true, event_name: p.event.event_name, event_id: p.event.event_id ?? null }, pairedItem: { item: p.index } });
		}
		for (const batch of chunk(kept, group.batchSize)) {
			const outcomes = await sendWithBisection(batch, (part) => postEvents.call(this, group.pixelId, part, group.testEventCode));
			for (const outcome of outcomes) {
				const { index, event } = outcome.item;
				if (outcome.ok && outcome.result) {
					const body = outcome.result.body;
					results.set(index, {
						json: {
							events_received: body.events_received as number,
							fbtrace_id: body.fbtrace_id as string,
							messages: (body.messages as IDataObject[]) ?? [],
							event_name: event.event_name,
							event_id: event.event_id ?? null,
							event_time: event.event_time,
							user_data: event.user_data as IDataObject,
						},
						pairedItem: { item: index },
					});
				} else {
					failures.set(index, graphApiError.call(this, outcome.error as GraphResponse, index));
				}
			}
		}
	}
	return outputInOrder.call(this, items.length, results, failures);
}
