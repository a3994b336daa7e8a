import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { customerDescription } from './actions/customer/Customer.resource';
import { orderDescription } from './actions/order/Order.resource';
import { router } from './actions/router';

export class ShopifyRelay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Shopify (Conversion Relay)',
		documentationUrl: 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#shopify',
		name: 'shopifyRelay',
		icon: { light: 'file:shopify.svg', dark: 'file:shopify.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Read Shopify customers and orders through the Admin GraphQL API, in the field names of Shopify's webhooks",
		defaults: { name: 'Shopify (Conversion Relay)' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'shopifyRelayApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Customer', value: 'customer' },
					{ name: 'Order', value: 'order' },
				],
				default: 'customer',
			},
			...customerDescription,
			...orderDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
