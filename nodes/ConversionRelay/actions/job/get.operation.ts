import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { perItem } from '../../../shared/itemOutcomes';
import { jobId, jobIdField } from './jobId';
import { readJob } from './jobs';

export const description: INodeProperties[] = [jobIdField];

/** The job now: its state, counters and progress. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => await readJob.call(this, jobId.call(this, i), i));
}
