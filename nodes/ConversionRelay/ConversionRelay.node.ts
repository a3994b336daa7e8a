import {
	NodeConnectionTypes,
	updateDisplayOptions,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as get from './actions/event/get.operation';
import * as list from './actions/event/list.operation';
import * as retry from './actions/event/retry.operation';
import * as send from './actions/event/send.operation';
import { jobDescription } from './actions/job/Job.resource';
import { router } from './actions/router';
import { chatwootWebhookSecret, hubSpotWebhookSecret } from './actions/webhook/credentialTest';
import * as verifySignature from './actions/webhook/verifySignature.operation';

export class ConversionRelay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Conversion Relay',
		documentationUrl: 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#conversion-relay',
		name: 'conversionRelay',
		icon: { light: 'file:relay.svg', dark: 'file:relay.dark.svg' },
		group: ['output'],
		// 1.1: Action Source defaults to system_generated (1: website).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Hand conversions to the Conversion Relay service, which stores them hashed and delivers them to Meta with retries; run its sync jobs for whole shops and large files',
		defaults: { name: 'Conversion Relay' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// No displayOptions and none required: n8n's editor would move Resource, Operation and Source
		// (what they depended on) out of the panel. Each operation asks for the one it uses
		// (shared/credentials.ts requireCredential), naming it when none is selected.
		credentials: [
			{ name: 'conversionRelayApi' },
			{ name: 'chatwootWebhookApi', testedBy: 'chatwootWebhookSecret' },
			{ name: 'hubSpotWebhookApi', testedBy: 'hubSpotWebhookSecret' },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Event', value: 'event' },
					{ name: 'Sync Job', value: 'job' },
					{ name: 'Webhook', value: 'webhook' },
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
					{ name: 'Get', value: 'get', action: 'Get an event', description: "Get an event's delivery status" },
					{
						name: 'Get Many',
						value: 'list',
						action: 'Get many events',
						description: 'List events, e.g. the failed ones',
					},
					{ name: 'Retry', value: 'retry', action: 'Retry an event', description: 'Send a dead-lettered event again' },
					{
						name: 'Send',
						value: 'send',
						action: 'Send events',
						description: 'Hash and hand events to the relay service',
					},
				],
				default: 'send',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['webhook'] } },
				options: [
					{
						name: 'Verify Signature',
						value: 'verifySignature',
						action: 'Verify a webhook signature',
						description: "Check a delivery's signature on its raw body and output the parsed payload",
					},
				],
				default: 'verifySignature',
			},
			{
				displayName:
					'Event operations use the Conversion Relay Service API credential. The Chatwoot and HubSpot webhook credentials are only for Webhook → Verify Signature: leave them empty.',
				name: 'eventCredentialNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { resource: ['event'] } },
			},
			...updateDisplayOptions({ show: { resource: ['event'], operation: ['send'] } }, send.description),
			...updateDisplayOptions({ show: { resource: ['event'], operation: ['get'] } }, get.description),
			...updateDisplayOptions({ show: { resource: ['event'], operation: ['list'] } }, list.description),
			...updateDisplayOptions({ show: { resource: ['event'], operation: ['retry'] } }, retry.description),
			...jobDescription,
			...updateDisplayOptions(
				{ show: { resource: ['webhook'], operation: ['verifySignature'] } },
				verifySignature.description,
			),
		],
	};

	methods = {
		credentialTest: {
			async chatwootWebhookSecret(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await chatwootWebhookSecret.call(this, credential);
			},
			async hubSpotWebhookSecret(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await hubSpotWebhookSecret.call(this, credential);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
