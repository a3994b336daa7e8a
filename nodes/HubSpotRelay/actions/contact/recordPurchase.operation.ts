import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { customerToHubSpotProperties, orderToHubSpotProperties } from '../../../core/shopify/hubspot';
import { batchUpsert, type UpsertInput } from '../batchUpsert';
import { dropOlderCounters } from '../freshness';
import { outputRecords, readEach, recordJson, type Outcomes } from '../outcomes';
import { asCustomer, asOrder, readShopifyRecord, shopifyRecordField, typeOf, type RecordType } from '../shopifyRecord';
import { itemParam } from '../../../shared/params';

// What customerToHubSpotProperties/orderToHubSpotProperties add besides Shopify's counters.
const CONTACT_DETAILS = ['firstname', 'lastname', 'phone', 'city', 'state', 'zip', 'country'];

export const description: INodeProperties[] = [
	shopifyRecordField('Shopify Order or Customer', 'order or customer'),
	{
		displayName: 'Record Type',
		name: 'recordType',
		type: 'options',
		options: [
			{
				name: 'Detect',
				value: 'auto',
				description: 'An order when it has line items, a total or an order number; else a customer',
			},
			{ name: 'Order', value: 'order' },
			{ name: 'Customer', value: 'customer' },
		],
		default: 'auto',
	},
	{
		displayName: 'Write Contact Details',
		name: 'writeDetails',
		type: 'boolean',
		default: true,
		description:
			'Whether to also write name, phone and address from Shopify; off writes only the e-mail and the shopify_* properties',
	},
	{
		displayName: 'Keep Later Totals',
		name: 'keepLater',
		type: 'boolean',
		default: true,
		description:
			'Whether to read the contacts first and leave their shopify_* totals alone when they already show more orders (or a later last order) than this delivery: Shopify may deliver an older order last. Costs one extra request per 100 contacts.',
	},
];

/** Contact properties from one item: Shopify's absolute counters, so a redelivery writes the same values. */
function purchaseProperties(
	this: IExecuteFunctions,
	i: number,
): { email: string; properties: Record<string, string>; type: RecordType } {
	const record = readShopifyRecord.call(this, i);
	const chosen = itemParam(this, 'recordType', i, 'auto') as RecordType | 'auto';
	const type = chosen === 'auto' ? typeOf(record) : chosen;
	const properties =
		type === 'order' ? orderToHubSpotProperties(asOrder(record)) : customerToHubSpotProperties(asCustomer(record));
	if (!itemParam(this, 'writeDetails', i, true)) for (const name of CONTACT_DETAILS) delete properties[name];
	const email = properties.email;
	if (!email)
		throw new NodeOperationError(
			this.getNode(),
			`The Shopify ${type} has no e-mail: HubSpot contacts are upserted by e-mail`,
			{ itemIndex: i },
		);
	return { email, properties, type };
}

/**
 * Writes a Shopify purchase onto the buyer's contact through the batch upsert by e-mail: order
 * count, total spent and last order as Shopify reports them, never increments.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const outcomes: Outcomes = new Map();
	const types: RecordType[] = [];
	const inputs: UpsertInput[] = readEach(this, items, outcomes, (i) => {
		const { email, properties, type } = purchaseProperties.call(this, i);
		types[i] = type;
		return { index: i, id: email, properties };
	});
	const keptBack = itemParam(this, 'keepLater', 0, true)
		? await dropOlderCounters.call(this, inputs, outcomes)
		: new Set<number>();
	await batchUpsert.call(
		this,
		'contacts',
		'email',
		inputs.filter((input) => !outcomes.has(input.index)),
		outcomes,
	);
	return outputRecords.call(this, items, outcomes, (record: IDataObject, i: number) => ({
		...recordJson(record),
		source: types[i],
		totalsWritten: !keptBack.has(i),
	}));
}
