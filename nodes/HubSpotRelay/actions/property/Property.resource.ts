import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';
import { SHOPIFY } from '../brand';
import * as ensure from './ensure.operation';

export const propertyOperations = { ensure: ensure.execute };

export const propertyDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['property'] } },
		options: [
			{
				name: 'Ensure Shopify Properties',
				value: 'ensure',
				action: `Ensure the ${SHOPIFY} properties exist`,
				description: 'Create the shopify_* contact and deal properties this node writes, once per run',
			},
		],
		default: 'ensure',
	},
	...updateDisplayOptions({ show: { resource: ['property'], operation: ['ensure'] } }, ensure.description),
];
