import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class HubSpotRelayApi implements ICredentialType {
	name = 'hubSpotRelayApi';

	displayName = 'HubSpot (Conversion Relay) API';

	icon: Icon = { light: 'file:icons/hubspot.svg', dark: 'file:icons/hubspot.dark.svg' };

	documentationUrl = 'https://github.com/conversion-relay/n8n-nodes-conversion-relay#hubspot';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A private app access token (pat-…) with the scopes crm.objects.contacts.read/write, crm.objects.deals.read/write and crm.schemas.contacts.write, crm.schemas.deals.write (for ensuring properties)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.hubapi.com',
			description: "HubSpot's API, or a proxy, gateway or local test double standing in for it",
		},
	];

	// The token travels in a header, never in a URL that ends up in logs.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	// Reading one contact needs the same scope the node's contact operations need.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/crm/v3/objects/contacts',
			qs: { limit: 1 },
		},
	};
}
