import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret Chatwoot signs its webhook deliveries with (Chatwoot ≥ 4.11: X-Chatwoot-Signature =
 * "sha256=" + hex HMAC-SHA256 of "<X-Chatwoot-Timestamp>.<raw body>"). Nothing is sent with it:
 * the Conversion Relay node's Webhook → Verify Signature checks deliveries against it, and tests
 * it locally (see the node's credentialTest).
 */
export class ChatwootWebhookApi implements ICredentialType {
	name = 'chatwootWebhookApi';

	displayName = 'Chatwoot Webhook API';

	icon: Icon = { light: 'file:icons/chatwoot.svg', dark: 'file:icons/chatwoot.dark.svg' };

	documentationUrl = 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#conversion-relay';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Shown in Chatwoot under Settings → Integrations → Webhooks, on the webhook that calls this workflow',
		},
		{
			displayName: 'Previous Webhook Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while rotating: deliveries signed with the old secret are still accepted until you clear this field',
		},
	];
}
