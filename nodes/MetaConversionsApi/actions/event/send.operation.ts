import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { prepareEvent, type EventInput } from '../../../core/capi/build';
import { chunk, dropDuplicateEvents, eventsRequestBody, MAX_EVENTS_PER_REQUEST } from '../../../core/capi/batch';
import { sendWithBisection, type SendOutcome } from '../../../core/capi/bisect';
import type { ActionSource, ServerEvent } from '../../../core/capi/types';
import { describeIssues } from '../../../core/capi/validate';
import { classifyGraphError } from '../../../core/errors/graph';
import { graphRequest, type GraphResponse } from '../../../shared/transport/metaGraph';
import { USER_DATA_FIELDS } from './fields';

export { sendFields as description } from './fields';

interface Pending {
	index: number;
	event: ServerEvent;
}

const MAX_ATTEMPTS = 4;

function readEvent(this: IExecuteFunctions, i: number): EventInput {
	const eventName = this.getNodeParameter('eventName', i) as string;
	const userDataParam = this.getNodeParameter('userData', i, {}) as IDataObject;
	const cd = this.getNodeParameter('customData', i, {}) as IDataObject;
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const user_data: IDataObject = {};
	for (const [field, key] of USER_DATA_FIELDS) {
		if (userDataParam[field] !== undefined && userDataParam[field] !== '') user_data[key] = userDataParam[field];
	}
	let contents: unknown = cd.contents;
	if (typeof contents === 'string') {
		try {
			contents = JSON.parse(contents || '[]');
		} catch {
			throw new NodeOperationError(this.getNode(), 'Custom Data → Contents is not valid JSON', { itemIndex: i });
		}
	}
	const input: EventInput = {
		event_name: eventName === '__custom' ? (this.getNodeParameter('customEventName', i) as string) : eventName,
		action_source: this.getNodeParameter('actionSource', i) as ActionSource,
		event_time: (this.getNodeParameter('eventTime', i, '') as string) || undefined,
		event_id: this.getNodeParameter('eventId', i, '') as string,
		event_source_url: this.getNodeParameter('eventSourceUrl', i, '') as string,
		user_data,
		custom_data: {
			value: cd.value as number | undefined,
			currency: cd.currency as string | undefined,
			order_id: cd.orderId as string | undefined,
			content_name: cd.contentName as string | undefined,
			content_type: cd.contentType as 'product' | undefined,
			num_items: cd.numItems ? (cd.numItems as number) : undefined,
			content_ids: cd.contentIds ? String(cd.contentIds).split(',').map((s) => s.trim()).filter(Boolean) : undefined,
			contents: Array.isArray(contents) && contents.length ? (contents as never) : undefined,
		},
	};
	if (options.limitedDataUse) {
		input.data_processing_options = ['LDU'];
		input.data_processing_options_country = (options.lduCountry as number) ?? 0;
		input.data_processing_options_state = (options.lduState as number) ?? 0;
	}
	return input;
}

/** One POST, retried while Meta says the failure is transient or throttled. */
async function postEvents(this: IExecuteFunctions, pixelId: string, events: readonly Pending[], testEventCode: string): Promise<SendOutcome<GraphResponse>> {
	const body = eventsRequestBody(events.map((p) => p.event), { testEventCode: testEventCode || undefined });
	for (let attempt = 1; ; attempt++) {
		const response = await graphRequest.call(this, 'POST', `${encodeURIComponent(pixelId)}/events`, body as IDataObject);
		if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, result: response };
		const classified = classifyGraphError(response.statusCode, response.body, response.headers);
		const transient = classified.class === 'retry' || classified.class === 'throttle';
		if (!transient || attempt >= MAX_ATTEMPTS) {
			return { ok: false, invalid: classified.class === 'invalid', error: response };
		}
		await sleep(classified.retryAfterMs ?? 1000 * 2 ** (attempt - 1));
	}
}

function apiError(this: IExecuteFunctions, response: GraphResponse, itemIndex: number): NodeApiError {
	const error = (response.body.error ?? {}) as IDataObject;
	const message = (error.error_user_msg as string) || (error.message as string) || `Meta answered HTTP ${response.statusCode}`;
	return new NodeApiError(this.getNode(), response.body as JsonObject, {
		message,
		description: error.fbtrace_id ? `fbtrace_id ${error.fbtrace_id as string}` : undefined,
		httpCode: String(response.statusCode),
		itemIndex,
	});
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);
	const failures: Array<Error | undefined> = new Array(items.length);
	const groups = new Map<string, { pixelId: string; testEventCode: string; batchSize: number; pending: Pending[] }>();

	for (let i = 0; i < items.length; i++) {
		try {
			const pixelId = String(this.getNodeParameter('pixelId', i)).trim();
			if (!/^\d+$/.test(pixelId)) throw new NodeOperationError(this.getNode(), `Pixel ID "${pixelId}" must be digits only`, { itemIndex: i });
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			const prepared = prepareEvent(readEvent.call(this, i));
			if (!prepared.ok) {
				throw new NodeOperationError(this.getNode(), `Item ${i}: ${describeIssues(prepared.event, prepared.issues)}`, { itemIndex: i });
			}
			const testEventCode = (options.testEventCode as string) || '';
			const key = `${pixelId}\u0000${testEventCode}`;
			const group = groups.get(key) ?? { pixelId, testEventCode, batchSize: Math.min((options.batchSize as number) || MAX_EVENTS_PER_REQUEST, MAX_EVENTS_PER_REQUEST), pending: [] };
			group.pending.push({ index: i, event: prepared.event });
			groups.set(key, group);
		} catch (error) {
			failures[i] = error as Error;
		}
	}

	for (const group of groups.values()) {
		const { kept, duplicates } = dropDuplicateEvents(group.pending.map((p) => ({ ...p, event_name: p.event.event_name, event_id: p.event.event_id })));
		for (const d of duplicates) {
			const p = group.pending[d];
			results[p.index] = { json: { duplicate: true, event_name: p.event.event_name, event_id: p.event.event_id ?? null }, pairedItem: { item: p.index } };
		}
		for (const batch of chunk(kept, group.batchSize)) {
			const outcomes = await sendWithBisection(batch, (part) => postEvents.call(this, group.pixelId, part, group.testEventCode));
			for (const outcome of outcomes) {
				const { index, event } = outcome.item;
				if (outcome.ok && outcome.result) {
					const body = outcome.result.body;
					results[index] = {
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
					};
				} else {
					failures[index] = apiError.call(this, outcome.error as GraphResponse, index);
				}
			}
		}
	}

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const failure = failures[i];
		if (failure) {
			if (!this.continueOnFail()) throw failure;
			out.push({ json: { error: failure.message }, pairedItem: { item: i } });
		} else if (results[i]) {
			out.push(results[i] as INodeExecutionData);
		}
	}
	return out;
}
