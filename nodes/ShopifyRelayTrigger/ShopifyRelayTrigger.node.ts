import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { properties } from './description';
import { receive } from './delivery/receive';
import { checkExists } from './subscriptions/checkExists';
import { create } from './subscriptions/create';
import { deleteSubscriptions } from './subscriptions/delete';

export class ShopifyRelayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Shopify (Conversion Relay) Trigger',
		documentationUrl: 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#shopify-trigger',
		name: 'shopifyRelayTrigger',
		icon: { light: 'file:shopify.svg', dark: 'file:shopify.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["topics"].join(", ")}}',
		// n8n's nodes panel shows this node and Shopify (Conversion Relay) as one entry (they share
		// the name shopifyRelay[Trigger]) with the trigger's description (editor-ui
		// useActionsGenerator generateMergedNodesAndActions): it names both halves.
		description:
			'Start a workflow on verified Shopify order, refund, customer and privacy webhooks, or read customers and orders',
		// "Shopify Trigger" is the name of n8n's own Shopify trigger.
		defaults: { name: 'Shopify (Conversion Relay) Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'shopifyRelayApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteSubscriptions.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receive.call(this);
	}
}
