import {
	NodeConnectionTypes,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { datasetDescription } from './actions/dataset/Dataset.resource';
import * as send from './actions/event/send.operation';
import { router } from './actions/router';

export class MetaConversionsApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Meta Conversions API (Relay)',
		documentationUrl: 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#meta-conversions-api',
		name: 'metaConversionsApi',
		icon: { light: 'file:meta.svg', dark: 'file:meta.dark.svg' },
		group: ['output'],
		// 1.1: Action Source defaults to system_generated (1: website).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle:
			'={{$parameter["resource"] === "dataset" ? "Get Quality" : $parameter["eventName"] === "__custom" ? $parameter["customEventName"] : $parameter["eventName"]}}',
		description:
			"Send server events to the Meta Conversions API, normalized and hashed as Meta specifies, and read Meta's match quality of a dataset",
		defaults: { name: 'Meta Conversions API' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// No displayOptions and none required: n8n's editor would move Delivery (what they depended
		// on) out of the panel into the credential dialog. The operation asks for the credential it
		// needs: the chosen Delivery's, or the Meta Graph API's for Dataset (shared/credentials.ts).
		credentials: [{ name: 'metaConversionRelayApi' }, { name: 'conversionRelayApi' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Dataset', value: 'dataset' },
					{ name: 'Event', value: 'event' },
				],
				default: 'event',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['event'] } },
				options: [
					{ name: 'Send', value: 'send', action: 'Send events', description: 'Send events in batches of up to 1,000' },
				],
				default: 'send',
			},
			{
				displayName: 'Delivery',
				name: 'delivery',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['event'] } },
				options: [
					{
						name: 'Directly to Meta',
						value: 'direct',
						description:
							"This node sends to the Conversions API and reports Meta's answer per item. Uses the Meta Graph API credential.",
					},
					{
						name: 'Through the Relay Service',
						value: 'relay',
						description:
							'The relay service stores the hashed events and delivers them with retries; nothing is lost while Meta is down. Uses the Conversion Relay Service API credential.',
					},
				],
				default: 'direct',
				description:
					'Where the events go. Only the credential of the chosen delivery is needed; the other credential field can stay empty.',
			},
			...updateDisplayOptions({ show: { resource: ['event'], operation: ['send'] } }, send.description),
			...datasetDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
