import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as list from './list.operation';

export const audienceOperations = { create: create.execute, get: get.execute, list: list.execute, delete: del.execute };

export const audienceDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['audience'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an audience',
				description: 'Create an empty customer-list audience',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an audience',
				description: 'Delete an audience and its members',
			},
			{ name: 'Get', value: 'get', action: 'Get an audience', description: "Get an audience's size and status" },
			{ name: 'Get Many', value: 'list', action: 'Get many audiences', description: "List the ad account's audiences" },
		],
		default: 'create',
	},
	...updateDisplayOptions({ show: { resource: ['audience'], operation: ['create'] } }, create.description),
	...updateDisplayOptions({ show: { resource: ['audience'], operation: ['get'] } }, get.description),
	...updateDisplayOptions({ show: { resource: ['audience'], operation: ['list'] } }, list.description),
	...updateDisplayOptions({ show: { resource: ['audience'], operation: ['delete'] } }, del.description),
];
