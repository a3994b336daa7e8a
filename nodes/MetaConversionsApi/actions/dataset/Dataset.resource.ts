import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';
import * as getQuality from './getQuality.operation';

export const datasetOperations = { getQuality: getQuality.execute };

export const datasetDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['dataset'] } },
		options: [
			{
				name: 'Get Quality',
				value: 'getQuality',
				action: 'Get the match quality of a dataset',
				description:
					"Meta's event match quality (0–10) per event name, with match key coverage, event coverage, deduplication and freshness",
			},
		],
		default: 'getQuality',
	},
	...updateDisplayOptions({ show: { resource: ['dataset'], operation: ['getQuality'] } }, getQuality.description),
];
