import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { relayList } from '../../../shared/transport/relay';
import { perItem } from '../../../shared/itemOutcomes';
import { returnAllFields } from '../../../shared/returnAll';

export const description: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Any', value: '' },
			{ name: 'Dead (Failed for Good)', value: 'dead' },
			{ name: 'Queued', value: 'queued' },
			{ name: 'Retry (Failed, Will Retry)', value: 'retry' },
			{ name: 'Sending', value: 'sending' },
			{ name: 'Sent', value: 'sent' },
		],
		default: 'dead',
		description: 'Only events in this state',
	},
	...returnAllFields,
];

// The most GET /v1/events gives in one page.
const PAGE = 500;

/** Newest first, following the service's cursor until enough events (or all) are read. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const status = this.getNodeParameter('status', i, '') as string;
		const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
		return await relayList.call(this, '/v1/events', status ? { status } : {}, { limit, page: PAGE }, i);
	});
}
