import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { describeValue, redactText } from '../../../core/errors/redact';

export const jobIdField: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	default: '={{ $json.id }}',
	required: true,
	description: 'The ID the relay service gave the job (ID in the output of Start)',
};

// The service's job ids are UUIDs: anything else would address another path.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The item's job ID, checked, as the path segment of /v1/jobs/{id}. */
export function jobId(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('jobId', itemIndex);
	const id = typeof raw === 'string' ? raw.trim() : '';
	if (!UUID.test(id))
		throw new NodeOperationError(
			this.getNode(),
			`Job ID must be the ID Start returned (a UUID), not ${redactText(describeValue(raw))}`,
			{ itemIndex },
		);
	return id.toLowerCase();
}
