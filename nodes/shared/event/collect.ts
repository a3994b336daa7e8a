import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { prepareEvent } from '../../core/capi/build';
import { MAX_EVENTS_PER_REQUEST } from '../../core/capi/batch';
import type { ServerEvent } from '../../core/capi/types';
import { describeIssues } from '../../core/capi/validate';
import { describeValue } from '../../core/errors/redact';
import type { ItemOutcomes } from '../itemOutcomes';
import { paramReader, type ParamReader } from '../params';
import { readEvent } from './readEvent';

export interface PreparedItem {
	index: number;
	pixelId: string;
	testEventCode: string;
	batchSize: number;
	/** Normalized, hashed and validated: what is sent. */
	event: ServerEvent;
}

function prepareItem(this: IExecuteFunctions, i: number, get: ParamReader, item: IDataObject): PreparedItem {
	const pixelId = String(get('pixelId', i)).trim();
	if (!/^\d+$/.test(pixelId))
		throw new NodeOperationError(
			this.getNode(),
			`Pixel ID must be digits only, not ${describeValue(get('pixelId', i))}`,
			{ itemIndex: i },
		);
	const options = get('options', i, {}) as IDataObject;
	const result = prepareEvent(readEvent.call(this, i, get, item));
	if (!result.ok)
		throw new NodeOperationError(this.getNode(), `Item ${i}: ${describeIssues(result.event, result.issues)}`, {
			itemIndex: i,
		});
	return {
		index: i,
		pixelId,
		testEventCode: (options.testEventCode as string) || '',
		batchSize: Math.min((options.batchSize as number) || MAX_EVENTS_PER_REQUEST, MAX_EVENTS_PER_REQUEST),
		event: result.event,
	};
}

/**
 * Reads, hashes and checks every item's event before anything is sent. With continue on fail,
 * an item that fails gets its error as its outcome (naming the item and the reason) and the
 * others go on; without it, the first such item stops the run here, before any request, as a
 * failing item does in every other operation (the valid events were sent first, so a run that
 * ended in an error had still delivered them, and running it again after the fix sent them twice).
 */
export function collectEvents(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	outcomes: ItemOutcomes,
): PreparedItem[] {
	const prepared: PreparedItem[] = [];
	const get = paramReader(this);
	const stops = !this.continueOnFail();
	for (let i = 0; i < items.length; i++) {
		try {
			prepared.push(prepareItem.call(this, i, get, items[i].json));
		} catch (error) {
			// Already a NodeOperationError naming the item: n8n hands it back as it is.
			if (stops) throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			outcomes.set(i, { ok: false, error: error as Error });
		}
	}
	return prepared;
}
