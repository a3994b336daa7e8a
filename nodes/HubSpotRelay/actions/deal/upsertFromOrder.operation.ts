import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { orderToHubSpotDeal, orderToHubSpotProperties, SHOPIFY_DEAL_ORDER_ID } from '../../../core/shopify/hubspot';
import { batchUpsert, type UpsertInput } from '../batchUpsert';
import { dropOlderCounters } from '../freshness';
import { outputRecords, readEach, recordJson, type Outcome, type Outcomes } from '../outcomes';
import { asOrder, readShopifyRecord, shopifyRecordField } from '../shopifyRecord';
import { associateDealsWithContacts, errorFor, type Pair } from './associate';

export const description: INodeProperties[] = [
	shopifyRecordField('Shopify Order', 'order'),
	{
		displayName: 'Pipeline ID',
		name: 'pipeline',
		type: 'string',
		default: 'default',
		description: 'Internal ID of the deal pipeline; "default" is HubSpot\'s built-in sales pipeline',
	},
	{
		displayName: 'Deal Stage ID',
		name: 'dealstage',
		type: 'string',
		default: 'closedwon',
		description: 'Internal ID of a stage of that pipeline (the default pipeline\'s won stage is "closedwon")',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Associate With Contact',
				name: 'associate',
				type: 'boolean',
				default: true,
				description: "Whether to upsert the buyer's contact by e-mail and associate the deal with it",
			},
			{
				displayName: 'Send Currency',
				name: 'includeCurrency',
				type: 'boolean',
				default: false,
				description:
					"Whether to send deal_currency_code; only for accounts with the order's currency enabled, else HubSpot rejects the deal",
			},
			{
				displayName: 'Write Purchase Totals to Contact',
				name: 'writeTotals',
				type: 'boolean',
				default: false,
				description:
					"Whether the contact upsert also writes the buyer's details and Shopify totals, as Record Purchase does (never setting later totals back); off only makes sure the contact exists",
			},
		],
	},
];

interface Prepared {
	deal: UpsertInput;
	contact?: UpsertInput;
}

function prepare(this: IExecuteFunctions, i: number, options: IDataObject): Prepared {
	const order = asOrder(readShopifyRecord.call(this, i));
	const properties = orderToHubSpotDeal(order, {
		pipeline: String(this.getNodeParameter('pipeline', i, 'default') ?? ''),
		dealstage: String(this.getNodeParameter('dealstage', i, 'closedwon') ?? ''),
		includeCurrency: options.includeCurrency === true,
	});
	const orderId = properties[SHOPIFY_DEAL_ORDER_ID];
	if (!orderId)
		throw new NodeOperationError(
			this.getNode(),
			'The Shopify order has no id: deals are upserted by Shopify order ID',
			{ itemIndex: i },
		);
	const prepared: Prepared = { deal: { index: i, id: orderId, properties } };
	if (options.associate !== false) {
		const contact = orderToHubSpotProperties(order);
		// Without an e-mail there is no contact to find: the deal is still written, unassociated.
		if (contact.email)
			prepared.contact = {
				index: i,
				id: contact.email,
				properties: options.writeTotals === true ? contact : { email: contact.email },
			};
	}
	return prepared;
}

/** The buyers' contacts, upserted by e-mail before the deals (never setting later totals back), by item. */
async function upsertContacts(this: IExecuteFunctions, prepared: Prepared[]): Promise<Outcomes> {
	const contacts: Outcomes = new Map();
	const inputs = prepared.flatMap((p) => (p.contact ? [p.contact] : []));
	// Only inputs with totals carry counters; the others are not read.
	await dropOlderCounters.call(this, inputs, contacts);
	await batchUpsert.call(
		this,
		'contacts',
		'email',
		inputs.filter((input) => !contacts.has(input.index)),
		contacts,
	);
	return contacts;
}

/** Each written deal with its written contact; an association that fails fails its item. Returns the pairs by item. */
async function associateWritten(
	this: IExecuteFunctions,
	outcomes: Outcomes,
	contacts: Outcomes,
): Promise<Map<number, Pair>> {
	const pairs = new Map<number, Pair>();
	for (const [i, outcome] of outcomes) {
		const contact = contacts.get(i);
		if (outcome.ok && contact?.ok)
			pairs.set(i, { dealId: String(outcome.record.id), contactId: String(contact.record.id) });
	}
	const failed = await associateDealsWithContacts.call(this, [...pairs.values()]);
	for (const [i, pair] of pairs) {
		const error = errorFor(failed, pair);
		if (error) outcomes.set(i, { ok: false, error });
	}
	return pairs;
}

function dealJson(record: IDataObject, contact: Outcome | undefined, associated: boolean): IDataObject {
	return {
		...recordJson(record),
		contact: contact?.ok
			? { id: contact.record.id, ...(contact.record.new !== undefined ? { new: contact.record.new } : {}) }
			: null,
		associated,
	};
}

/**
 * One deal per Shopify order, upserted by shopify_order_id (a unique property: run "Ensure
 * Properties" first), after the buyer's contact is upserted by e-mail; then the two are
 * associated. An item whose contact fails is not turned into a deal.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const outcomes: Outcomes = new Map();
	const prepared = readEach(this, items, outcomes, (i) =>
		prepare.call(this, i, this.getNodeParameter('options', i, {}) as IDataObject),
	);
	const contacts = await upsertContacts.call(this, prepared);
	for (const [i, outcome] of contacts) if (!outcome.ok) outcomes.set(i, outcome);
	const deals = prepared.filter((p) => !outcomes.has(p.deal.index)).map((p) => p.deal);
	await batchUpsert.call(this, 'deals', SHOPIFY_DEAL_ORDER_ID, deals, outcomes);
	const pairs = await associateWritten.call(this, outcomes, contacts);
	return outputRecords.call(this, items, outcomes, (record, i) => dealJson(record, contacts.get(i), pairs.has(i)));
}
