import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';
import { SHOPIFY } from '../brand';
import * as upsertFromOrder from './upsertFromOrder.operation';

export const dealOperations = { upsertFromOrder: upsertFromOrder.execute };

export const dealDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['deal'] } },
		options: [
			{
				name: 'Create or Update From Order',
				value: 'upsertFromOrder',
				action: `Create or update a deal from a ${SHOPIFY} order`,
				description: "One deal per Shopify order, associated with the buyer's contact",
			},
		],
		default: 'upsertFromOrder',
	},
	...updateDisplayOptions(
		{ show: { resource: ['deal'], operation: ['upsertFromOrder'] } },
		upsertFromOrder.description,
	),
];
