import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { requireCredential } from '../../shared/credentials';
import { RELAY_CREDENTIAL } from '../../shared/transport/relay';
import * as get from './event/get.operation';
import * as list from './event/list.operation';
import * as retry from './event/retry.operation';
import * as send from './event/send.operation';
import { jobOperations } from './job/Job.resource';
import * as verifySignature from './webhook/verifySignature.operation';

type Operation = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, Operation>> = {
	event: { send: send.execute, get: get.execute, list: list.execute, retry: retry.execute },
	job: jobOperations,
	webhook: { verifySignature: verifySignature.execute },
};

/** Hands each operation to its file. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run =
		Object.hasOwn(operations, resource) && Object.hasOwn(operations[resource], operation)
			? operations[resource][operation]
			: undefined;
	if (!run)
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	// Verify Signature asks for its source's credential itself.
	if (resource === 'event') await requireCredential.call(this, RELAY_CREDENTIAL, 'Event operations');
	if (resource === 'job') await requireCredential.call(this, RELAY_CREDENTIAL, 'Sync job operations');
	return [await run.call(this, items)];
}
