import type { Order, Refund } from './types';
import { amount } from '../values';

/** Webhook topics this package handles, with their Admin GraphQL enum names. */
export const SHOPIFY_TOPICS = {
	'orders/create': 'ORDERS_CREATE',
	'orders/paid': 'ORDERS_PAID',
	'orders/updated': 'ORDERS_UPDATED',
	'orders/cancelled': 'ORDERS_CANCELLED',
	'refunds/create': 'REFUNDS_CREATE',
	'customers/create': 'CUSTOMERS_CREATE',
	'customers/update': 'CUSTOMERS_UPDATE',
	'customers/data_request': 'CUSTOMERS_DATA_REQUEST',
	'customers/redact': 'CUSTOMERS_REDACT',
	'shop/redact': 'SHOP_REDACT',
} as const;
export type ShopifyTopic = keyof typeof SHOPIFY_TOPICS;

export const PRIVACY_TOPICS: readonly ShopifyTopic[] = ['customers/data_request', 'customers/redact', 'shop/redact'];

export type OrderKind = 'test' | 'cancelled' | 'refunded' | 'partially_refunded' | 'purchase' | 'pending';

/**
 * What an order is for conversion purposes. Test orders first (never real conversions), then
 * cancellations (a cancelled order may also be refunded: the cancellation is what counts), then
 * refunds, then paid / partially paid / authorized as a purchase.
 */
export function classifyOrder(order: Order): OrderKind {
	if (order.test === true) return 'test';
	if (order.cancelled_at) return 'cancelled';
	if (order.financial_status === 'refunded' || order.financial_status === 'voided') return 'refunded';
	if (order.financial_status === 'partially_refunded') return 'partially_refunded';
	if (['paid', 'partially_paid', 'authorized'].includes(order.financial_status ?? '')) return 'purchase';
	return 'pending';
}

export const isCancellation = (order: Order): boolean => Boolean(order.cancelled_at);

export function isRefund(topic: string, payload?: Order | Refund): boolean {
	if (topic === 'refunds/create') return true;
	const kind = payload ? classifyOrder(payload as Order) : undefined;
	return kind === 'refunded' || kind === 'partially_refunded';
}

/** Money actually returned by a refund: successful refund transactions. */
export function refundAmount(refund: Refund): number {
	let total = 0;
	for (const t of refund.transactions ?? []) {
		if (t?.kind === 'refund' && t.status === 'success') total += amount(t.amount) ?? 0;
	}
	return Math.round(total * 100) / 100;
}
