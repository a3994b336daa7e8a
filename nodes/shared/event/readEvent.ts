import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import type { EventInput } from '../../core/capi/build';
import type { ActionSource } from '../../core/capi/types';
import type { ParamReader } from '../params';
import { USER_DATA_FIELDS } from './fields';

/** One item's event from the shared event fields, raw: the core normalizes, hashes and validates. */
export function readEvent(this: IExecuteFunctions, i: number, get: ParamReader): EventInput {
	const eventName = get('eventName', i) as string;
	const userDataParam = get('userData', i, {}) as IDataObject;
	const cd = get('customData', i, {}) as IDataObject;
	const options = get('options', i, {}) as IDataObject;
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
		event_name: eventName === '__custom' ? (get('customEventName', i) as string) : eventName,
		action_source: get('actionSource', i) as ActionSource,
		event_time: (get('eventTime', i, '') as string) || undefined,
		event_id: get('eventId', i, '') as string,
		event_source_url: get('eventSourceUrl', i, '') as string,
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
