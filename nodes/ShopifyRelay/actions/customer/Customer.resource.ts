import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const customerOperations = { get: get.execute, getAll: getAll.execute };

export const customerDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a customer',
				description: 'Get a customer with their current order count and total spent',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many customers',
				description: "Page through the shop's customers, optionally filtered by a search query",
			},
		],
		default: 'getAll',
	},
	...updateDisplayOptions({ show: { resource: ['customer'], operation: ['get'] } }, get.description),
	...updateDisplayOptions({ show: { resource: ['customer'], operation: ['getAll'] } }, getAll.description),
];
