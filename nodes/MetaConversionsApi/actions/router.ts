import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { datasetOperations } from './dataset/Dataset.resource';
import * as send from './event/send.operation';

/** Hands each resource/operation to its file; one operation per file. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	if (resource === 'event' && operation === 'send') return [await send.execute.call(this, items)];
	const run = resource === 'dataset' ? datasetOperations[operation as keyof typeof datasetOperations] : undefined;
	if (run) return [await run.call(this, items)];
	throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
}
