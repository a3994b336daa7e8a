import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The HubSpot app's client secret, which signs its webhook deliveries (X-HubSpot-Signature-v3).
 * Nothing is sent with it: the Conversion Relay node's Webhook → Verify Signature checks
 * deliveries against it, and tests it locally (see the node's credentialTest). API calls use the
 * HubSpot (Conversion Relay) API credential's access token instead.
 */
export class HubSpotWebhookApi implements ICredentialType {
	name = 'hubSpotWebhookApi';

	displayName = 'HubSpot Webhook API';

	icon: Icon = { light: 'file:icons/hubspot.svg', dark: 'file:icons/hubspot.dark.svg' };

	documentationUrl = 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#conversion-relay';

	properties: INodeProperties[] = [
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The client secret of the app (or private app) whose webhook subscriptions call this workflow: its Auth tab in HubSpot',
		},
		{
			displayName: 'Previous Client Secret',
			name: 'previousClientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while rotating: deliveries signed with the old secret are still accepted until you clear this field',
		},
	];
}
