import { amount, compact, present, setDefined } from '../values';
import type { RawUserData } from '../capi/types';
import { customerToUserData } from './customer';
import { orderUserData } from './order';
import type { Customer, Order } from './types';

/** A HubSpot property definition (POST /crm/v3/properties/{objectType}). */
export interface HubSpotPropertyDefinition {
	name: string;
	label: string;
	type: 'string' | 'number' | 'date';
	fieldType: 'text' | 'number' | 'date';
	groupName: string;
	description?: string;
}

/** The property group both definitions lists live in; it must exist before the properties. */
export const SHOPIFY_HUBSPOT_GROUP = { name: 'shopify', label: 'Shopify' } as const;

/** Contact properties this package writes, for the "ensure properties" operation. */
export const SHOPIFY_HUBSPOT_PROPERTIES: readonly HubSpotPropertyDefinition[] = [
	{
		name: 'shopify_customer_id',
		label: 'Shopify customer ID',
		type: 'string',
		fieldType: 'text',
		groupName: 'shopify',
	},
	{
		name: 'shopify_order_count',
		label: 'Shopify order count',
		type: 'number',
		fieldType: 'number',
		groupName: 'shopify',
		description: "Shopify's own count of the customer's orders",
	},
	{
		name: 'shopify_total_spent',
		label: 'Shopify total spent',
		type: 'number',
		fieldType: 'number',
		groupName: 'shopify',
		description: "Shopify's own total, in the shop's currency",
	},
	{
		name: 'shopify_last_order_date',
		label: 'Shopify last order date',
		type: 'date',
		fieldType: 'date',
		groupName: 'shopify',
	},
	{
		name: 'shopify_last_order_id',
		label: 'Shopify last order ID',
		type: 'string',
		fieldType: 'text',
		groupName: 'shopify',
	},
	{
		name: 'shopify_first_order_date',
		label: 'Shopify first order date',
		type: 'date',
		fieldType: 'date',
		groupName: 'shopify',
	},
];

/** Deal property that makes an order's deal findable and upsertable (one deal per order). */
export const SHOPIFY_DEAL_ORDER_ID = 'shopify_order_id';

export const SHOPIFY_HUBSPOT_DEAL_PROPERTIES: readonly HubSpotPropertyDefinition[] = [
	{ name: SHOPIFY_DEAL_ORDER_ID, label: 'Shopify order ID', type: 'string', fieldType: 'text', groupName: 'shopify' },
];

/** YYYY-MM-DD (UTC) of a timestamp: what a HubSpot date property accepts besides midnight-UTC ms. */
export function hubSpotDate(value: unknown): string | undefined {
	const t = Date.parse(present(value) ?? '');
	return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : undefined;
}

/** A decimal as Shopify wrote it ("199.65"), once it is known to be a number. */
function decimal(value: unknown): string | undefined {
	return amount(value) === undefined ? undefined : present(value);
}

// The contact is built in place: object spreads and compact() cost about 8 µs a customer here,
// a quarter of a sync job's mapping time.
function put(out: Record<string, string>, key: string, value: unknown): void {
	setDefined(out, key, present(value));
}

function putStandard(out: Record<string, string>, ud: RawUserData): void {
	put(out, 'email', ud.em);
	put(out, 'firstname', ud.fn);
	put(out, 'lastname', ud.ln);
	put(out, 'phone', ud.ph);
	put(out, 'city', ud.ct);
	put(out, 'state', ud.st);
	put(out, 'zip', ud.zp);
	put(out, 'country', ud.country);
}

// REST orders_count or GraphQL numberOfOrders (an UnsignedInt64 string); absent in newer order webhooks.
const orderCount = (customer: Customer): string | undefined => {
	const count = present(customer.orders_count) ?? present(customer.numberOfOrders);
	return count !== undefined && /^\d+$/.test(count) ? count : undefined;
};

/** Shopify's counters as absolute values: writing them twice is harmless. */
function putCounters(out: Record<string, string>, customer: Customer): void {
	put(out, 'shopify_customer_id', customer.id);
	put(out, 'shopify_order_count', orderCount(customer));
	put(out, 'shopify_total_spent', decimal(customer.total_spent) ?? decimal(customer.amountSpent?.amount));
	put(out, 'shopify_last_order_id', customer.last_order_id);
}

/** Standard contact properties and Shopify's own counters, never increments. */
export function customerToHubSpotProperties(
	customer: Customer,
	userData: RawUserData = customerToUserData(customer),
): Record<string, string> {
	const out: Record<string, string> = {};
	putStandard(out, userData);
	putCounters(out, customer);
	return out;
}

/**
 * Contact properties from an order: the buyer as the order describes them, the customer's
 * counters as Shopify reports them (absolute, so a retried delivery writes the same values), and
 * this order as the last one. The first order's date is known only when Shopify counts exactly
 * one order. Deliveries arrive in any order: the caller compares updated_at before overwriting.
 */
export function orderToHubSpotProperties(order: Order): Record<string, string> {
	const customer: Customer = order.customer ?? {};
	const when = hubSpotDate(present(order.processed_at) ?? order.created_at);
	const out: Record<string, string> = {};
	putStandard(out, orderUserData(order));
	putCounters(out, customer);
	put(out, 'shopify_last_order_id', order.id);
	put(out, 'shopify_last_order_date', when);
	if (orderCount(customer) === '1') put(out, 'shopify_first_order_date', when);
	return out;
}

export interface DealOptions {
	/** Default 'default', HubSpot's built-in sales pipeline. */
	pipeline?: string;
	/** Default 'closedwon' (a stage id of the default pipeline). */
	dealstage?: string;
	/** Also send deal_currency_code; only for portals with that currency enabled, else HubSpot rejects it. */
	includeCurrency?: boolean;
}

/** An order as deal properties, keyed by shopify_order_id so a retry updates the same deal. */
export function orderToHubSpotDeal(order: Order, options: DealOptions = {}): Record<string, string> {
	const number = present(order.order_number) ?? present(order.name)?.replace(/^#/, '');
	const closed = Date.parse(present(order.processed_at) ?? present(order.created_at) ?? '');
	return compact({
		dealname: number ? `Shopify order #${number}` : `Shopify order ${present(order.id) ?? ''}`.trim(),
		amount: decimal(order.total_price),
		closedate: Number.isFinite(closed) ? new Date(closed).toISOString() : undefined,
		pipeline: present(options.pipeline) ?? 'default',
		dealstage: present(options.dealstage) ?? 'closedwon',
		deal_currency_code: options.includeCurrency ? present(order.currency)?.toUpperCase() : undefined,
		[SHOPIFY_DEAL_ORDER_ID]: present(order.id),
	}) as Record<string, string>;
}
