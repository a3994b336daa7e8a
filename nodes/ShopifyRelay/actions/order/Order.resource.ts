import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';
import * as get from './get.operation';

export const orderOperations = { get: get.execute };

export const orderDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get an order',
				description: "Get an order with its customer's current totals and its products' tags",
			},
		],
		default: 'get',
	},
	...updateDisplayOptions({ show: { resource: ['order'], operation: ['get'] } }, get.description),
];
