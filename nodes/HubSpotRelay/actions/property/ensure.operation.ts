import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import {
	SHOPIFY_DEAL_ORDER_ID,
	SHOPIFY_HUBSPOT_DEAL_PROPERTIES,
	SHOPIFY_HUBSPOT_GROUP,
	SHOPIFY_HUBSPOT_PROPERTIES,
	type HubSpotPropertyDefinition,
} from '../../../core/shopify/hubspot';
import { CRM_PROPERTIES, hubSpotApiError, hubspotRequest } from '../../../shared/transport/hubspot';

export const description: INodeProperties[] = [
	{
		displayName:
			'Creates the property group "shopify" on contacts and deals, the shopify_* contact properties the Record Purchase operation writes, and the unique deal property shopify_order_id. Properties that already exist are left as they are.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
];

interface Step {
	label: string;
	path: string;
	body: IDataObject;
}

/** Everything the contact and deal operations write, in the order HubSpot needs it (groups first). */
function steps(): Step[] {
	const group = { name: SHOPIFY_HUBSPOT_GROUP.name, label: SHOPIFY_HUBSPOT_GROUP.label };
	const property = (objectType: string, definition: HubSpotPropertyDefinition, extra: IDataObject = {}): Step => ({
		label: `${objectType}/${definition.name}`,
		path: `${CRM_PROPERTIES}/${objectType}`,
		body: { ...definition, ...extra },
	});
	return [
		{ label: `contacts/groups/${group.name}`, path: `${CRM_PROPERTIES}/contacts/groups`, body: group },
		...SHOPIFY_HUBSPOT_PROPERTIES.map((d) => property('contacts', d)),
		{ label: `deals/groups/${group.name}`, path: `${CRM_PROPERTIES}/deals/groups`, body: group },
		// Upserting deals by the order id needs it to be a unique property.
		...SHOPIFY_HUBSPOT_DEAL_PROPERTIES.map((d) =>
			property('deals', d, d.name === SHOPIFY_DEAL_ORDER_ID ? { hasUniqueValue: true } : {}),
		),
	];
}

/**
 * Runs once per execution, whatever the number of items: POSTs each group and property; 409
 * (already exists) counts as done. One summary, paired with every input item.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (items.length === 0) return [];
	const pairedItem = items.map((_, item) => ({ item }));
	const summary = { created: [] as string[], existed: [] as string[] };
	for (const step of steps()) {
		const response = await hubspotRequest.call(this, 'POST', step.path, step.body);
		if (response.ok) summary.created.push(step.label);
		else if (response.statusCode === 409) summary.existed.push(step.label);
		else {
			const error = hubSpotApiError.call(this, response, undefined, `Creating ${step.label}: `);
			if (!this.continueOnFail()) throw error;
			return [{ json: { ...summary, failed: step.label, error: error.message }, pairedItem }];
		}
	}
	return [{ json: summary, pairedItem }];
}
