import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';
import { SHOPIFY } from '../brand';
import * as get from './get.operation';
import * as recordPurchase from './recordPurchase.operation';
import * as search from './search.operation';
import * as upsert from './upsert.operation';

export const contactOperations = {
	upsert: upsert.execute,
	get: get.execute,
	search: search.execute,
	recordPurchase: recordPurchase.execute,
};

export const contactDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update contacts',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
			{ name: 'Get', value: 'get', action: 'Get a contact', description: 'Get a contact by e-mail or ID' },
			{
				name: 'Record Purchase',
				value: 'recordPurchase',
				action: `Record a ${SHOPIFY} purchase on a contact`,
				description: "Write a Shopify order's or customer's totals onto the buyer's contact",
			},
			{ name: 'Search', value: 'search', action: 'Search contacts', description: 'Find contacts by property values' },
		],
		default: 'upsert',
	},
	...updateDisplayOptions({ show: { resource: ['contact'], operation: ['upsert'] } }, upsert.description),
	...updateDisplayOptions({ show: { resource: ['contact'], operation: ['get'] } }, get.description),
	...updateDisplayOptions({ show: { resource: ['contact'], operation: ['search'] } }, search.description),
	...updateDisplayOptions(
		{ show: { resource: ['contact'], operation: ['recordPurchase'] } },
		recordPurchase.description,
	),
];
