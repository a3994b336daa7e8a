import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';
import { namingItem, outputInOrder } from '../../shared/itemOutcomes';

export type Outcome = { ok: true; record: IDataObject } | { ok: false; error: NodeApiError | NodeOperationError };

/** What happened to each input item, by item index. */
export type Outcomes = Map<number, Outcome>;

/** A record as the node outputs it: id, new (when HubSpot says), properties, timestamps. */
export function recordJson(record: IDataObject): IDataObject {
	const out: IDataObject = { id: record.id };
	if (record.new !== undefined) out.new = record.new;
	out.properties = record.properties ?? {};
	for (const key of ['createdAt', 'updatedAt', 'archived']) if (record[key] !== undefined) out[key] = record[key];
	return out;
}

/**
 * Reads every item before anything is sent. An item that cannot be read stops the run at once,
 * or with continue on fail becomes that item's error. Returns what was read, in input order.
 */
export function readEach<T>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	outcomes: Outcomes,
	read: (itemIndex: number) => T,
): T[] {
	const values: T[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			values.push(read(i));
		} catch (error) {
			const failure =
				error instanceof NodeOperationError
					? error
					: new NodeOperationError(context.getNode(), error as Error, { itemIndex: i });
			if (!context.continueOnFail()) throw failure;
			outcomes.set(i, { ok: false, error: failure });
		}
	}
	return values;
}

/**
 * One output per input item, in order: its record as toJson shapes it, or its error. Without
 * continue on fail the first failure stops the run, naming its item.
 */
export function outputRecords(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	outcomes: Outcomes,
	toJson: (record: IDataObject, index: number) => IDataObject = recordJson,
): INodeExecutionData[] {
	return outputInOrder.call(
		this,
		items.length,
		(i) => {
			const outcome: Outcome = outcomes.get(i) ?? {
				ok: false,
				error: new NodeOperationError(this.getNode(), 'Nothing was sent for this item', { itemIndex: i }),
			};
			return outcome.ok ? { ok: true, json: toJson(outcome.record, i) } : outcome;
		},
		namingItem,
	);
}
