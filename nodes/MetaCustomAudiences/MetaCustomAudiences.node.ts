import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { audienceDescription } from './actions/audience/Audience.resource';
import { router } from './actions/router';
import { usersDescription } from './actions/users/Users.resource';

export class MetaCustomAudiences implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Meta Custom Audiences (Relay)',
		documentationUrl: 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#meta-custom-audiences',
		name: 'metaCustomAudiences',
		icon: { light: 'file:audiences.svg', dark: 'file:audiences.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Create customer-list audiences and keep their members in sync, normalized and hashed as Meta specifies',
		defaults: { name: 'Meta Custom Audiences' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'metaConversionRelayApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Audience', value: 'audience' },
					{ name: 'User', value: 'users' },
				],
				default: 'users',
			},
			...audienceDescription,
			...usersDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
