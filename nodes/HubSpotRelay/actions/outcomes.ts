import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

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

/** The error again, now naming its item, as n8n shows it when the run stops. */
export function forItem(this: IExecuteFunctions, error: NodeApiError | NodeOperationError, itemIndex: number): NodeApiError | NodeOperationError {
	const message = `Item ${itemIndex}: ${error.message}`;
	if (error instanceof NodeApiError) {
		return new NodeApiError(this.getNode(), error.errorResponse ?? {}, { message, description: error.description ?? undefined, httpCode: error.httpCode ?? undefined, itemIndex });
	}
	return new NodeOperationError(this.getNode(), message, { description: error.description ?? undefined, itemIndex });
}

/** What reading an item's parameters threw, as a NodeOperationError on that item. */
export function asItemError(this: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	return error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

/**
 * One output item per input item, in order, each paired with its input. A failed item becomes
 * {error} with continue on fail; otherwise the first failure stops the run, naming its item.
 */
export function emit(this: IExecuteFunctions, items: INodeExecutionData[], outcomes: Outcomes, toJson: (record: IDataObject, index: number) => IDataObject): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const outcome: Outcome = outcomes.get(i) ?? { ok: false, error: new NodeOperationError(this.getNode(), 'Nothing was sent for this item', { itemIndex: i }) };
		if (outcome.ok) {
			out.push({ json: toJson(outcome.record, i), pairedItem: { item: i } });
			continue;
		}
		if (!this.continueOnFail()) throw forItem.call(this, outcome.error, i);
		out.push({ json: { error: outcome.error.message }, pairedItem: { item: i } });
	}
	return out;
}
