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
import { returnProperties, returnPropertiesField } from './fields';
import { returnAllFields } from '../../../shared/returnAll';

// Operators that compare with nothing.
const NO_VALUE = ['HAS_PROPERTY', 'NOT_HAS_PROPERTY'];

export const description: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Filter',
		default: {},
		description: 'Contacts matching all of these filters',
		options: [
			{
				displayName: 'Filter',
				name: 'filter',
				values: [
					{
						displayName: 'Property Name',
						name: 'propertyName',
						type: 'string',
						default: '',
						placeholder: 'shopify_order_count',
						description: 'Internal name of the contact property',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: [
							{ name: 'Contains Token', value: 'CONTAINS_TOKEN' },
							{ name: 'Does Not Contain Token', value: 'NOT_CONTAINS_TOKEN' },
							{ name: 'Equal', value: 'EQ' },
							{ name: 'Greater Than', value: 'GT' },
							{ name: 'Greater Than or Equal', value: 'GTE' },
							{ name: 'Has Property', value: 'HAS_PROPERTY' },
							{ name: 'Less Than', value: 'LT' },
							{ name: 'Less Than or Equal', value: 'LTE' },
							{ name: 'Not Equal', value: 'NEQ' },
							{ name: 'Not Has Property', value: 'NOT_HAS_PROPERTY' },
						],
						default: 'EQ',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Ignored by Has Property and Not Has Property',
					},
				],
			},
		],
	},
	returnPropertiesField,
	...returnAllFields,
];

/** HubSpot's largest search page. */
const PAGE = 200;

function filtersOf(this: IExecuteFunctions, i: number): IDataObject[] {
	const rows = ((this.getNodeParameter('filters', i, {}) as IDataObject).filter ?? []) as IDataObject[];
	return rows.map((row) => {
		const propertyName = String(row.propertyName ?? '').trim();
		if (!propertyName) throw new NodeOperationError(this.getNode(), 'A filter has no property name', { itemIndex: i });
		const operator = String(row.operator ?? 'EQ');
		return NO_VALUE.includes(operator)
			? { propertyName, operator }
			: { propertyName, operator, value: String(row.value ?? '') };
	});
}

/**
 * POST /crm/v3/objects/contacts/search, following paging.next.after until enough (or all) are
 * read. Search lags writes by a few seconds: a contact upserted just before may not show yet.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const filters = filtersOf.call(this, i);
		const properties = returnProperties.call(this, i);
		const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
		const contacts: IDataObject[] = [];
		let after: string | undefined;
		do {
			const body: IDataObject = {
				filterGroups: filters.length ? [{ filters }] : [],
				...(properties ? { properties } : {}),
				limit: Math.min(PAGE, limit - contacts.length),
				...(after ? { after } : {}),
			};
			const response = await hubspotRequest.call(this, 'POST', `${CRM_OBJECTS}/contacts/search`, body);
			if (!response.ok) throw hubSpotApiError.call(this, response, i);
			contacts.push(...((response.body.results ?? []) as IDataObject[]).map(recordJson));
			const next = ((response.body.paging ?? {}) as IDataObject).next as IDataObject | undefined;
			after = next?.after !== undefined ? String(next.after) : undefined;
		} while (after && contacts.length < limit);
		return contacts.slice(0, limit);
	});
}
