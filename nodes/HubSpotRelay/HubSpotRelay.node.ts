import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { contactDescription } from './actions/contact/Contact.resource';
import { dealDescription } from './actions/deal/Deal.resource';
import { propertyDescription } from './actions/property/Property.resource';
import { router } from './actions/router';

export class HubSpotRelay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot (Conversion Relay)',
		documentationUrl: 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#hubspot',
		name: 'hubSpotRelay',
		icon: { light: 'file:hubspot.svg', dark: 'file:hubspot.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Upsert contacts in batches, record Shopify purchases as absolute totals, and turn orders into deals',
		defaults: { name: 'HubSpot (Conversion Relay)' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hubSpotRelayApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Deal', value: 'deal' },
					{ name: 'Property', value: 'property' },
				],
				default: 'contact',
			},
			...contactDescription,
			...dealDescription,
			...propertyDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
