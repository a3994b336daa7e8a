import {
	classifyOrder,
	graphqlTopic,
	isCancellation,
	isPrivacyTopic,
	isRefund,
	normalizeTopic,
	orderRefundedAmount,
	refundAmount,
	SHOPIFY_TOPICS,
	TOPICS,
	type Order,
	type Refund,
} from '../../../nodes/core/shopify';
import sampleJson from '../../fixtures/shopify/order-450789469.json';
import cancelledJson from '../../fixtures/shopify/order-cancelled.json';
import refundedJson from '../../fixtures/shopify/order-refunded.json';
import testNotificationJson from '../../fixtures/shopify/order-test-notification.json';
import withFbclidJson from '../../fixtures/shopify/order-with-fbclid.json';
import noCustomerJson from '../../fixtures/shopify/order-without-customer.json';
import refundJson from '../../fixtures/shopify/refund-create.json';

const sample = sampleJson as Order;
const cancelled = cancelledJson as Order;
const refunded = refundedJson as Order;
const testNotification = testNotificationJson as Order;
const paid = withFbclidJson as Order;
const refund = refundJson as Refund;

describe('topics', () => {
	it('knows each topic’s GraphQL subscription name; privacy topics are configured, not subscribed', () => {
		expect(SHOPIFY_TOPICS).toEqual({
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
		});
		expect(Object.values(TOPICS)).toEqual(Object.keys(SHOPIFY_TOPICS));
		expect([
			graphqlTopic('orders/paid'),
			graphqlTopic('ORDERS_PAID'),
			graphqlTopic('shop/redact'),
			graphqlTopic('products/create'),
		]).toEqual(['ORDERS_PAID', 'ORDERS_PAID', undefined, undefined]);
	});

	it('normalizes header and enum spellings', () => {
		expect([
			normalizeTopic(' Orders/Create '),
			normalizeTopic('REFUNDS_CREATE'),
			normalizeTopic('customers_redact'),
			normalizeTopic('app/uninstalled'),
			normalizeTopic(null),
		]).toEqual(['orders/create', 'refunds/create', 'customers/redact', undefined, undefined]);
		expect(
			['customers/data_request', 'CUSTOMERS_REDACT', 'shop/redact', 'customers/update', 'x'].map(isPrivacyTopic),
		).toEqual([true, true, true, false, false]);
	});
});

describe('classifyOrder: test, then cancelled, then refunded, partially refunded, purchase, pending', () => {
	it.each<[string, string, Order]>([
		['the test notification (also cancelled and voided)', 'test', testNotification],
		['a cancelled and refunded order', 'cancelled', cancelled],
		['a refunded order', 'refunded', refunded],
		['Shopify’s sample (partially refunded)', 'partially_refunded', sample],
		['a paid order', 'purchase', paid],
		['a paid order without a customer', 'purchase', noCustomerJson as Order],
		['an authorized order', 'purchase', { financial_status: 'authorized' }],
		['a partially paid order', 'purchase', { financial_status: 'PARTIALLY_PAID' }],
		['a voided payment', 'cancelled', { financial_status: 'voided' }],
		['an expired authorization', 'cancelled', { financial_status: 'expired' }],
		['a pending payment (cash on delivery, bank transfer)', 'pending', { financial_status: 'pending' }],
		['an order with no status yet', 'pending', {}],
		['a test order that was paid', 'test', { test: true, financial_status: 'paid' }],
	])('%s → %s', (_what, kind, order) => {
		expect(classifyOrder(order)).toBe(kind);
	});
});

describe('refunds and cancellations', () => {
	it('recognises cancellations', () => {
		expect([cancelled, testNotification, paid, sample].map(isCancellation)).toEqual([true, true, false, false]);
		expect(isCancellation({ cancelled_at: '' })).toBe(false);
		expect(isCancellation(null)).toBe(false);
	});

	it('recognises refunds by topic, by payload, or both', () => {
		expect(isRefund('refunds/create')).toBe(true);
		expect(isRefund('REFUNDS_CREATE')).toBe(true);
		expect(isRefund(refund)).toBe(true);
		expect(isRefund(refunded)).toBe(true);
		expect(isRefund(sample)).toBe(true);
		expect(isRefund(cancelled)).toBe(true);
		expect(isRefund(paid)).toBe(false);
		expect(isRefund(testNotification)).toBe(false);
		expect(isRefund('orders/updated', sample)).toBe(true);
		expect(isRefund('orders/paid', paid)).toBe(false);
		expect(isRefund('orders/paid')).toBe(false);
		expect(isRefund(null)).toBe(false);
	});

	it('sums only successful refund transactions, in cents', () => {
		expect(refundAmount(refund)).toBe(89.99);
		expect(refundAmount(sample.refunds![0])).toBe(209);
		expect(
			refundAmount({
				transactions: [
					{ kind: 'refund', status: 'success', amount: '0.10' },
					{ kind: 'refund', status: 'success', amount: '0.20' },
				],
			}),
		).toBe(0.3);
		expect(
			refundAmount({
				transactions: [
					{ kind: 'REFUND', status: 'Success', amount: 5 },
					{ kind: 'refund', status: 'pending', amount: '7.00' },
					{ kind: 'refund', status: 'success', amount: 'n/a' },
				],
			}),
		).toBe(5);
		expect(refundAmount({ transactions: null })).toBe(0);
		expect(refundAmount(undefined)).toBe(0);
	});

	it('sums an order’s refunds so far', () => {
		expect(orderRefundedAmount(refunded)).toBe(54.5);
		expect(orderRefundedAmount(cancelled)).toBe(54);
		expect(orderRefundedAmount(paid)).toBe(0);
	});
});
