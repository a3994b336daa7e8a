import { amount, present } from '../values';
import type { Order, Refund } from './types';

/** Webhook topics this package handles, as X-Shopify-Topic spells them. */
export const TOPICS = {
	ORDERS_CREATE: 'orders/create',
	ORDERS_PAID: 'orders/paid',
	ORDERS_UPDATED: 'orders/updated',
	ORDERS_CANCELLED: 'orders/cancelled',
	REFUNDS_CREATE: 'refunds/create',
	CUSTOMERS_CREATE: 'customers/create',
	CUSTOMERS_UPDATE: 'customers/update',
	CUSTOMERS_DATA_REQUEST: 'customers/data_request',
	CUSTOMERS_REDACT: 'customers/redact',
	SHOP_REDACT: 'shop/redact',
} as const;
export type ShopifyTopic = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * Each topic's Admin GraphQL WebhookSubscriptionTopic value, for webhookSubscriptionCreate. The
 * privacy topics have none: they are subscribed in the app's configuration (Partner Dashboard or
 * shopify.app.toml), never through the API, so they map to null.
 */
export const SHOPIFY_TOPICS: Readonly<Record<ShopifyTopic, string | null>> = {
	'orders/create': 'ORDERS_CREATE',
	'orders/paid': 'ORDERS_PAID',
	'orders/updated': 'ORDERS_UPDATED',
	'orders/cancelled': 'ORDERS_CANCELLED',
	'refunds/create': 'REFUNDS_CREATE',
	'customers/create': 'CUSTOMERS_CREATE',
	'customers/update': 'CUSTOMERS_UPDATE',
	'customers/data_request': null,
	'customers/redact': null,
	'shop/redact': null,
};

export const PRIVACY_TOPICS: readonly ShopifyTopic[] = [
	TOPICS.CUSTOMERS_DATA_REQUEST,
	TOPICS.CUSTOMERS_REDACT,
	TOPICS.SHOP_REDACT,
];

/** 'orders/create', 'ORDERS_CREATE' or ' Orders/Create ' → 'orders/create'; unknown → undefined. */
export function normalizeTopic(topic: unknown): ShopifyTopic | undefined {
	const text = present(topic);
	if (!text) return undefined;
	const slash = text.toLowerCase();
	if (slash in SHOPIFY_TOPICS) return slash as ShopifyTopic;
	const fromEnum = (Object.keys(TOPICS) as Array<keyof typeof TOPICS>).find((k) => k === text.toUpperCase());
	return fromEnum ? TOPICS[fromEnum] : undefined;
}

/** The GraphQL enum value to subscribe with; undefined for privacy and unknown topics. */
export const graphqlTopic = (topic: unknown): string | undefined => {
	const t = normalizeTopic(topic);
	return t ? (SHOPIFY_TOPICS[t] ?? undefined) : undefined;
};

export const isPrivacyTopic = (topic: unknown): boolean => {
	const t = normalizeTopic(topic);
	return t !== undefined && PRIVACY_TOPICS.includes(t);
};

export type OrderKind = 'test' | 'cancelled' | 'refunded' | 'partially_refunded' | 'purchase' | 'pending';

const status = (order: Order): string => present(order.financial_status)?.toLowerCase() ?? '';

/**
 * What an order is for conversion purposes, first match wins:
 * 1. test: test orders are never real conversions, whatever else they say (Shopify's test
 *    notification is also cancelled and voided);
 * 2. cancelled: cancelled_at is set, or the payment was voided or expired (no money moved); a
 *    cancelled order is usually refunded too, and the cancellation is the fact that counts;
 * 3. refunded, then partially_refunded (financial_status);
 * 4. purchase: paid, partially_paid or authorized;
 * 5. pending: pending, or no status yet.
 */
export function classifyOrder(order: Order): OrderKind {
	if (order.test === true) return 'test';
	const financial = status(order);
	if (present(order.cancelled_at) || financial === 'voided' || financial === 'expired') return 'cancelled';
	if (financial === 'refunded') return 'refunded';
	if (financial === 'partially_refunded') return 'partially_refunded';
	if (financial === 'paid' || financial === 'partially_paid' || financial === 'authorized') return 'purchase';
	return 'pending';
}

/** The order has been cancelled (orders/cancelled, or an orders/updated after a cancellation). */
export const isCancellation = (order: Order | null | undefined): boolean =>
	Boolean(order && present(order.cancelled_at));

// A refunds/create body: it points at its order and has refund parts, but no line_items of its own.
const looksLikeRefund = (payload: object): boolean =>
	'order_id' in payload && ('refund_line_items' in payload || 'transactions' in payload) && !('line_items' in payload);

/**
 * A refund: the refunds/create topic, a refunds/create body, or an order whose money went back
 * in whole or in part. Call with a topic, a payload, or both (`isRefund(topic, payload)`).
 */
export function isRefund(
	subject: string | Order | Refund | null | undefined,
	payload?: Order | Refund | null,
): boolean {
	if (typeof subject === 'string') {
		if (normalizeTopic(subject) === TOPICS.REFUNDS_CREATE) return true;
		return payload ? isRefund(payload) : false;
	}
	if (!subject || typeof subject !== 'object') return false;
	if (looksLikeRefund(subject)) return true;
	const financial = status(subject as Order);
	return financial === 'refunded' || financial === 'partially_refunded';
}

// In cents, so 0.1 + 0.2 sums to 0.3.
const cents = (value: unknown): number => Math.round((amount(value) ?? 0) * 100);

/** Money actually returned by one refund: its successful refund transactions. */
export function refundAmount(refund: Refund | null | undefined): number {
	let total = 0;
	for (const t of Array.isArray(refund?.transactions) ? refund.transactions : []) {
		if (present(t?.kind)?.toLowerCase() === 'refund' && present(t?.status)?.toLowerCase() === 'success')
			total += cents(t?.amount);
	}
	return total / 100;
}

/** Money returned across all of an order's refunds so far. */
export function orderRefundedAmount(order: Order): number {
	const refunds = Array.isArray(order.refunds) ? order.refunds : [];
	return refunds.reduce((sum, r) => sum + Math.round(refundAmount(r) * 100), 0) / 100;
}
