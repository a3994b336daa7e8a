import { customerToUserData } from './customer';
import type { Customer, Order } from './types';
import { amount, compact, present } from '../values';

/** Contact properties this package creates in a "shopify" group (the ensure-properties operation). */
export const SHOPIFY_HUBSPOT_PROPERTIES = [
	{ name: 'shopify_customer_id', label: 'Shopify customer ID', type: 'string', fieldType: 'text' },
	{ name: 'shopify_order_count', label: 'Shopify order count', type: 'number', fieldType: 'number' },
	{ name: 'shopify_total_spent', label: 'Shopify total spent', type: 'number', fieldType: 'number' },
	{ name: 'shopify_last_order_date', label: 'Shopify last order date', type: 'date', fieldType: 'date' },
	{ name: 'shopify_last_order_id', label: 'Shopify last order ID', type: 'string', fieldType: 'text' },
	{ name: 'shopify_first_order_date', label: 'Shopify first order date', type: 'date', fieldType: 'date' },
].map((p) => ({ ...p, groupName: 'shopify' }));

/** Deal property that makes an order's deal upsertable (unique per order). */
export const SHOPIFY_DEAL_ORDER_ID = 'shopify_order_id';

const isoDate = (value: unknown): string | undefined => {
	const t = Date.parse(present(value) ?? '');
	return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : undefined;
};

/** Standard contact properties and Shopify's own counters: absolute values, never increments. */
export function customerToHubSpotProperties(customer: Customer & { numberOfOrders?: unknown; amountSpent?: { amount?: unknown } }): Record<string, string> {
	const ud = customerToUserData(customer);
	const orders = present(customer.orders_count ?? customer.numberOfOrders);
	const spent = amount(customer.total_spent ?? customer.amountSpent?.amount);
	return compact({
		email: ud.em as string | undefined,
		firstname: ud.fn as string | undefined,
		lastname: ud.ln as string | undefined,
		phone: ud.ph as string | undefined,
		city: ud.ct as string | undefined,
		state: ud.st as string | undefined,
		zip: ud.zp as string | undefined,
		country: ud.country as string | undefined,
		shopify_customer_id: ud.external_id as string | undefined,
		shopify_order_count: orders,
		shopify_total_spent: spent === undefined ? undefined : spent.toFixed(2),
		shopify_last_order_id: present(customer.last_order_id),
	}) as Record<string, string>;
}

/**
 * A paid order as contact properties. Totals come from the order's customer counters as Shopify
 * reports them (absolute), so a retried delivery writes the same values instead of adding twice.
 */
export function orderToHubSpotProperties(order: Order): Record<string, string> {
	const base = order.customer ? customerToHubSpotProperties(order.customer) : {};
	const email = present(order.email) ?? base.email;
	const when = isoDate(order.processed_at ?? order.created_at);
	return compact({
		...base,
		email,
		shopify_last_order_id: present(order.id) ?? base.shopify_last_order_id,
		shopify_last_order_date: when,
		// The first order's date is known only when this order is the first one.
		shopify_first_order_date: order.customer?.orders_count === 1 ? when : undefined,
	}) as Record<string, string>;
}

export function orderToHubSpotDeal(order: Order, options: { pipeline?: string; dealstage?: string } = {}): Record<string, string> {
	const label = present(order.order_number) ?? present(order.name)?.replace(/^#/, '') ?? present(order.id);
	const value = amount(order.total_price);
	const closed = Date.parse(order.processed_at ?? order.created_at ?? '');
	return compact({
		dealname: `Shopify order #${label ?? '?'}`,
		amount: value === undefined ? undefined : value.toFixed(2),
		closedate: Number.isFinite(closed) ? new Date(closed).toISOString() : undefined,
		pipeline: options.pipeline ?? 'default',
		dealstage: options.dealstage ?? 'closedwon',
		deal_currency_code: present(order.currency)?.toUpperCase(),
		[SHOPIFY_DEAL_ORDER_ID]: present(order.id),
	}) as Record<string, string>;
}
