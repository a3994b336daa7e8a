import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { perItem } from '../../../shared/itemOutcomes';
import { CRM_OBJECTS, hubSpotApiError, hubspotRequest } from '../../../shared/transport/hubspot';
import { recordJson } from '../outcomes';
import { readEmail, returnPropertiesField, returnProperties } from './fields';

export const description: INodeProperties[] = [
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'Contact ID', value: 'id' },
		],
		default: 'email',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		displayOptions: { show: { findBy: ['email'] } },
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { findBy: ['id'] } },
		description: "HubSpot's record ID (hs_object_id)",
	},
	returnPropertiesField,
];

/** GET /crm/v3/objects/contacts/{id}, or by e-mail with idProperty=email. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const byEmail = this.getNodeParameter('findBy', i, 'email') === 'email';
		const id = byEmail ? readEmail.call(this, i) : String(this.getNodeParameter('contactId', i, '') ?? '').trim();
		if (!id) throw new NodeOperationError(this.getNode(), 'The contact ID is empty', { itemIndex: i });
		const properties = returnProperties.call(this, i);
		const qs: IDataObject = {
			...(byEmail ? { idProperty: 'email' } : {}),
			...(properties ? { properties: properties.join(',') } : {}),
		};
		const response = await hubspotRequest.call(
			this,
			'GET',
			`${CRM_OBJECTS}/contacts/${encodeURIComponent(id)}`,
			undefined,
			qs,
		);
		if (!response.ok) throw hubSpotApiError.call(this, response, i);
		return recordJson(response.body);
	});
}
