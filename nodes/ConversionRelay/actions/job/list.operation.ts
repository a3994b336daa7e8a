import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { relayList } from '../../../shared/transport/relay';
import { perItem } from '../../../shared/itemOutcomes';
import { returnAllFields } from '../../../shared/returnAll';

export const description: INodeProperties[] = [
	{
		displayName: 'State',
		name: 'jobState',
		type: 'options',
		options: [
			{ name: 'Any', value: '' },
			{ name: 'Cancelled', value: 'cancelled' },
			{ name: 'Done', value: 'done' },
			{ name: 'Exporting (Shopify Builds Its File)', value: 'exporting' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Queued', value: 'queued' },
			{ name: 'Receiving (a File Still Arriving)', value: 'receiving' },
			{ name: 'Sending', value: 'sending' },
		],
		default: '',
		description: 'Only jobs in this state',
	},
	...returnAllFields,
];

// The most GET /v1/jobs gives in one page (service/src/db/jobsRepository.ts JOB_LIST_MAX).
const PAGE = 100;

/** Newest first, following the service's cursor until enough jobs (or all) are read. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const state = this.getNodeParameter('jobState', i, '') as string;
		const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
		return await relayList.call(this, '/v1/jobs', state ? { state } : {}, { limit, page: PAGE }, i);
	});
}
