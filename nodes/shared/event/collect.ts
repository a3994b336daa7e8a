import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { prepareEvent } from '../../core/capi/build';
import { MAX_EVENTS_PER_REQUEST } from '../../core/capi/batch';
import type { ServerEvent } from '../../core/capi/types';
import { describeIssues } from '../../core/capi/validate';
import { describeValue } from '../../core/errors/redact';
import { paramReader } from '../params';
import { readEvent } from './readEvent';

export interface PreparedItem {
	index: number;
	pixelId: string;
	testEventCode: string;
	batchSize: number;
	/** Normalized, hashed and validated: what is sent. */
	event: ServerEvent;
}

/**
 * Reads, hashes and checks every item's event before anything is sent; an item that fails is
 * kept as its own error (naming the item and the reason) and the others go on.
 */
export function collectEvents(this: IExecuteFunctions, items: INodeExecutionData[]): { prepared: PreparedItem[]; failures: Map<number, Error> } {
	const prepared: PreparedItem[] = [];
	const failures = new Map<number, Error>();
	const get = paramReader(this);
	for (let i = 0; i < items.length; i++) {
		try {
			const pixelId = String(get('pixelId', i)).trim();
			if (!/^\d+$/.test(pixelId)) throw new NodeOperationError(this.getNode(), `Pixel ID must be digits only, not ${describeValue(get('pixelId', i))}`, { itemIndex: i });
			const options = get('options', i, {}) as IDataObject;
			const result = prepareEvent(readEvent.call(this, i, get, items[i].json));
			if (!result.ok) throw new NodeOperationError(this.getNode(), `Item ${i}: ${describeIssues(result.event, result.issues)}`, { itemIndex: i });
			prepared.push({
				index: i,
				pixelId,
				testEventCode: (options.testEventCode as string) || '',
				batchSize: Math.min((options.batchSize as number) || MAX_EVENTS_PER_REQUEST, MAX_EVENTS_PER_REQUEST),
				event: result.event,
			});
		} catch (error) {
			failures.set(i, error as Error);
		}
	}
	return { prepared, failures };
}

/** Items in order: each result, or its error (thrown unless "continue on fail"). */
export function outputInOrder(this: IExecuteFunctions, count: number, results: Map<number, INodeExecutionData>, failures: Map<number, Error>): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < count; i++) {
		const failure = failures.get(i);
		if (failure) {
			if (!this.continueOnFail()) throw failure;
			out.push({ json: { error: failure.message }, pairedItem: { item: i } });
		} else {
			const result = results.get(i);
			if (result) out.push(result);
		}
	}
	return out;
}
