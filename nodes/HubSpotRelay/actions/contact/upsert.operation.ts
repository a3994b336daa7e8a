import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { batchUpsert, type UpsertInput } from '../batchUpsert';
import { outputRecords, readEach, type Outcomes } from '../outcomes';
import { emailField, jsonObject, propertyValues, readEmail } from './fields';
import { itemParam } from '../../../shared/params';

export const description: INodeProperties[] = [
	emailField,
	{
		displayName: 'Define Properties',
		name: 'propertiesInput',
		type: 'options',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'fields',
	},
	{
		displayName: 'Properties',
		name: 'properties',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Property',
		default: {},
		displayOptions: { show: { propertiesInput: ['fields'] } },
		options: [
			{
				displayName: 'Property',
				name: 'property',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'firstname',
						description: 'Internal name of the contact property',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Properties (JSON)',
		name: 'propertiesJson',
		type: 'json',
		default: '{}',
		displayOptions: { show: { propertiesInput: ['json'] } },
		description: 'Internal property name → value, e.g. {"firstname": "Ada", "lifecyclestage": "customer"}',
	},
];

function readProperties(this: IExecuteFunctions, i: number): Record<string, string> {
	if (itemParam(this, 'propertiesInput', i, 'fields') === 'json')
		return propertyValues.call(this, jsonObject.call(this, 'propertiesJson', i, 'Properties (JSON)'), i);
	const rows = ((itemParam(this, 'properties', i, {}) as IDataObject).property ?? []) as Array<{
		name?: string;
		value?: string;
	}>;
	const raw: IDataObject = {};
	for (const row of rows) {
		const name = String(row.name ?? '').trim();
		if (!name) throw new NodeOperationError(this.getNode(), 'A property has no name', { itemIndex: i });
		raw[name] = row.value ?? '';
	}
	return propertyValues.call(this, raw, i);
}

/** POST /crm/v3/objects/contacts/batch/upsert by e-mail, 100 contacts a request. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const outcomes: Outcomes = new Map();
	const inputs: UpsertInput[] = readEach(this, items, outcomes, (i) => {
		const email = readEmail.call(this, i);
		// The e-mail goes into the properties too, so the result names its contact.
		return { index: i, id: email, properties: { ...readProperties.call(this, i), email } };
	});
	await batchUpsert.call(this, 'contacts', 'email', inputs, outcomes);
	return outputRecords.call(this, items, outcomes);
}
