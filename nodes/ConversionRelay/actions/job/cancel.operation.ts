import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { perItem } from '../../../shared/itemOutcomes';
import { relayApiError, relayRequest } from '../../../shared/transport/relay';
import { jobId, jobIdField } from './jobId';

export const description: INodeProperties[] = [jobIdField];

/** Asks the service to stop the job; the answer is the job, with cancel_requested set. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const id = jobId.call(this, i);
		const response = await relayRequest.call(this, 'POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`, {});
		if (response.statusCode < 200 || response.statusCode >= 300) throw relayApiError.call(this, response, i);
		return response.body;
	});
}
