import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { withExactIds } from '../../core/shopify/exactIds';
import type { Customer, Order } from '../../core/shopify/types';
import { itemParam } from '../../shared/params';

export type RecordType = 'order' | 'customer';

/** The Shopify trigger puts the webhook body under payload; other sources may pass it whole. */
export const shopifyRecordField = (label: string, what: string): INodeProperties => ({
	displayName: label,
	name: 'shopifyRecord',
	type: 'json',
	default: '={{ $json.payload ?? $json }}',
	required: true,
	description: `The Shopify ${what} as JSON, in its webhook (REST) shape. The default takes the Shopify trigger's payload.`,
});

// Fields only orders carry: a customer payload has none of them.
const ORDER_MARKERS = ['line_items', 'order_number', 'financial_status', 'total_price', 'customer'];

export function typeOf(record: IDataObject): RecordType {
	return ORDER_MARKERS.some((key) => key in record) ? 'order' : 'customer';
}

/** The item's Shopify order or customer, parsed, with ids past 2^53 made exact. */
export function readShopifyRecord(this: IExecuteFunctions, itemIndex: number): IDataObject {
	let value = itemParam(this, 'shopifyRecord', itemIndex, {}) as unknown;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw new NodeOperationError(this.getNode(), 'The Shopify record is not valid JSON', { itemIndex });
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) {
		throw new NodeOperationError(
			this.getNode(),
			"The Shopify record is empty: map the Shopify trigger's payload or an order/customer object",
			{ itemIndex },
		);
	}
	return withExactIds(value as IDataObject);
}

export const asOrder = (record: IDataObject) => record as Order;
export const asCustomer = (record: IDataObject) => record as Customer;
