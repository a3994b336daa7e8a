import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { flatToEventInput, type FlatEvent } from '../../core/capi/flatEvent';
import type { EventInput } from '../../core/capi/build';
import type { ActionSource, CustomData } from '../../core/capi/types';
import type { ParamReader } from '../params';
import { USER_DATA_FIELDS } from './fields';

/** One item's event from the shared event fields, raw: the core normalizes, hashes and validates. */
export function readEvent(this: IExecuteFunctions, i: number, get: ParamReader, item?: IDataObject): EventInput {
	if (get('mapping', i, 'manual') === 'auto')
		return withOptions(readItemEvent.call(this, i, get, item ?? {}), get('options', i, {}) as IDataObject);
	const eventName = get('eventName', i) as string;
	const userDataParam = get('userData', i, {}) as IDataObject;
	const cd = get('customData', i, {}) as IDataObject;
	const options = get('options', i, {}) as IDataObject;
	const user_data: IDataObject = {};
	for (const { name, key } of USER_DATA_FIELDS) {
		if (userDataParam[name] !== undefined && userDataParam[name] !== '') user_data[key] = userDataParam[name];
	}
	const custom_data = readCustomData.call(this, cd, i);
	const input: EventInput = {
		event_name: eventName === '__custom' ? (get('customEventName', i) as string) : eventName,
		action_source: get('actionSource', i) as ActionSource,
		event_time: (get('eventTime', i, '') as string) || undefined,
		event_id: get('eventId', i, '') as string,
		event_source_url: get('eventSourceUrl', i, '') as string,
		...(get('actionSource', i) === 'business_messaging'
			? { messaging_channel: get('messagingChannel', i, 'whatsapp') as string }
			: {}),
		user_data,
		custom_data,
	};
	return withOptions(input, options);
}

/** The Custom Data field as Meta's custom_data; Contents may come as JSON text. */
function readCustomData(this: IExecuteFunctions, cd: IDataObject, i: number): CustomData {
	let contents: unknown = cd.contents;
	if (typeof contents === 'string') {
		try {
			contents = JSON.parse(contents || '[]');
		} catch {
			throw new NodeOperationError(this.getNode(), 'Custom Data → Contents is not valid JSON', { itemIndex: i });
		}
	}
	return {
		value: cd.value as number | undefined,
		currency: cd.currency as string | undefined,
		order_id: cd.orderId as string | undefined,
		content_name: cd.contentName as string | undefined,
		content_type: cd.contentType as 'product' | undefined,
		num_items: cd.numItems ? (cd.numItems as number) : undefined,
		content_ids: cd.contentIds
			? String(cd.contentIds)
					.split(',')
					.map((s) => s.trim())
					.filter(Boolean)
			: undefined,
		contents: Array.isArray(contents) && contents.length ? (contents as never) : undefined,
		event_source: cd.eventSource as string | undefined,
		lead_event_source: cd.leadEventSource as string | undefined,
	};
}

/** The node's Limited Data Use option, unless the event carries its own processing options. */
function withOptions(input: EventInput, options: IDataObject): EventInput {
	if (options.limitedDataUse && input.data_processing_options === undefined) {
		input.data_processing_options = ['LDU'];
		input.data_processing_options_country = (options.lduCountry as number) ?? 0;
		input.data_processing_options_state = (options.lduState as number) ?? 0;
	}
	return input;
}

/**
 * "Map Automatically": the item itself is the event, in the relay's simple shape. No expression
 * is resolved per item; the node's event name and action source fill what the item leaves out.
 */
function readItemEvent(this: IExecuteFunctions, i: number, get: ParamReader, item: IDataObject): EventInput {
	const chosen = get('eventName', i) as string;
	const eventName = chosen === '__custom' ? (get('customEventName', i) as string) : chosen;
	try {
		return flatToEventInput(item as FlatEvent, { eventName, actionSource: get('actionSource', i) as ActionSource });
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Item ${i}: ${(error as Error).message}`, { itemIndex: i });
	}
}
