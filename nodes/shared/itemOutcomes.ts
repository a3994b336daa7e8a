import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

/** What became of one input item: its output (one item per object) or its error. */
export type ItemOutcome = { ok: true; json: IDataObject | IDataObject[] } | { ok: false; error: Error };

/** Outcomes by item index, for operations that settle items in batches. */
export type ItemOutcomes = Map<number, ItemOutcome>;

/** The error that stops the run for a failed item, as n8n shows it. */
export type StopError = (this: IExecuteFunctions, error: Error, itemIndex: number) => Error;

/** The item's error as it is: it already names its item. */
export const asThrown: StopError = (error) => error;

/** The item's error with its index attached, so n8n points at the item. */
export const withItemIndex: StopError = function (this: IExecuteFunctions, error, itemIndex) {
	if (error instanceof NodeApiError) {
		return new NodeApiError(this.getNode(), error.errorResponse ?? {}, {
			message: error.message,
			description: error.description ?? undefined,
			httpCode: error.httpCode ?? undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(this.getNode(), error, { itemIndex });
};

/** The item's error with "Item N: " in front of its message, for errors that come from a batch. */
export const namingItem: StopError = function (this: IExecuteFunctions, error, itemIndex) {
	const message = `Item ${itemIndex}: ${error.message}`;
	const description = (error as NodeApiError | NodeOperationError).description ?? undefined;
	if (error instanceof NodeApiError) {
		return new NodeApiError(this.getNode(), error.errorResponse ?? {}, {
			message,
			description,
			httpCode: error.httpCode ?? undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(this.getNode(), message, { description, itemIndex });
};

/**
 * The one rule for every per-item operation: a result becomes the item's output, paired with
 * it; an error becomes {error} with continue on fail, otherwise it stops the run.
 */
export function itemOutput(
	this: IExecuteFunctions,
	itemIndex: number,
	outcome: ItemOutcome,
	stopError: StopError = asThrown,
): INodeExecutionData[] {
	if (outcome.ok)
		return (Array.isArray(outcome.json) ? outcome.json : [outcome.json]).map((json) => ({
			json,
			pairedItem: { item: itemIndex },
		}));
	if (!this.continueOnFail()) throw stopError.call(this, outcome.error, itemIndex);
	return [{ json: { error: outcome.error.message }, pairedItem: { item: itemIndex } }];
}

/** Every item's output in input order, once all outcomes are known; an item without one has none. */
export function outputInOrder(
	this: IExecuteFunctions,
	count: number,
	outcomeOf: (itemIndex: number) => ItemOutcome | undefined,
	stopError: StopError = asThrown,
): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < count; i++) {
		const outcome = outcomeOf(i);
		if (outcome) for (const item of itemOutput.call(this, i, outcome, stopError)) out.push(item);
	}
	return out;
}

/** Runs one call per item, in order; without continue on fail the first failure stops the run before the next call. */
export async function perItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	run: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		let outcome: ItemOutcome;
		try {
			outcome = { ok: true, json: await run(i) };
		} catch (error) {
			outcome = { ok: false, error: error as Error };
		}
		for (const item of itemOutput.call(this, i, outcome, withItemIndex)) out.push(item);
	}
	return out;
}
