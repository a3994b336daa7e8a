import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

/** Runs one call per item (Conversion Relay, Custom Audiences); an item's failure is its own (continue on fail) or stops the run. */
export async function perItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	run: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await run(i);
			for (const json of Array.isArray(result) ? result : [result]) out.push({ json, pairedItem: { item: i } });
		} catch (error) {
			if (!this.continueOnFail()) {
				if (error instanceof NodeApiError) throw new NodeApiError(this.getNode(), error.errorResponse ?? {}, { message: error.message, description: error.description ?? undefined, httpCode: error.httpCode ?? undefined, itemIndex: i });
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			}
			out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
		}
	}
	return out;
}
