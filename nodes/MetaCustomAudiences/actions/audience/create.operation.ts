import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { graphApiError, graphCall } from '../../../shared/transport/graphCall';
import { adAccountIdField, adAccountPath } from '../ids';
import { perItem } from '../../../shared/itemOutcomes';

export const description: INodeProperties[] = [
	adAccountIdField,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		description: "The audience's name in Ads Manager",
	},
	{
		displayName: 'Customer File Source',
		name: 'customerFileSource',
		type: 'options',
		options: [
			{
				name: 'Both User and Partner Provided',
				value: 'BOTH_USER_AND_PARTNER_PROVIDED',
				description: 'Collected partly from customers, partly from partners',
			},
			{
				name: 'Partner Provided Only',
				value: 'PARTNER_PROVIDED_ONLY',
				description: 'Collected by partners (e.g. agencies or data providers)',
			},
			{ name: 'User Provided Only', value: 'USER_PROVIDED_ONLY', description: 'Collected directly from customers' },
		],
		default: 'USER_PROVIDED_ONLY',
		description: 'Where the customer information came from, as Meta requires for customer-list audiences',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
	},
];

/** POST /act_{id}/customaudiences: an empty customer-list audience (subtype CUSTOM). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const body: IDataObject = {
			name: this.getNodeParameter('name', i) as string,
			subtype: 'CUSTOM',
			customer_file_source: this.getNodeParameter('customerFileSource', i) as string,
		};
		const description = this.getNodeParameter('description', i, '') as string;
		if (description) body.description = description;
		const { ok, response } = await graphCall.call(this, 'POST', `${adAccountPath.call(this, i)}/customaudiences`, body);
		if (!ok) throw graphApiError.call(this, response, i);
		return {
			id: response.body.id as string,
			name: body.name,
			subtype: 'CUSTOM',
			customer_file_source: body.customer_file_source,
			description: description || null,
		};
	});
}
