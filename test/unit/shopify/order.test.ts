import { createHash } from 'node:crypto';
import { buildEvent, validateEvent } from '../../../nodes/core/capi';
import { classifyOrder, extractClickIds, isRefund, orderToPurchaseEvent, refundAmount, type Order, type Refund } from '../../../nodes/core/shopify';
import sample from '../../fixtures/shopify/order-450789469.json';
import withFbclid from '../../fixtures/shopify/order-with-fbclid.json';
import noCustomer from '../../fixtures/shopify/order-without-customer.json';
import testNotification from '../../fixtures/shopify/order-test-notification.json';
import refund from '../../fixtures/shopify/refund-create.json';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('order → Purchase event', () => {
	it('maps Shopify’s documented sample order 450789469', () => {
		expect(orderToPurchaseEvent(sample as Order)).toEqual({
			event_name: 'Purchase',
			event_time: 1199980800,
			action_source: 'website',
			event_id: '450789469',
			event_source_url: 'http://www.example.com?source=abc',
			user_data: {
				em: 'bob.norman@mail.example.com',
				ph: '+557734881234',
				fn: 'Bob',
				ln: 'Norman',
				ct: 'Louisville',
				st: 'KY',
				zp: '40202',
				country: 'US',
				external_id: '207119551',
				client_ip_address: '0.0.0.0',
			},
			custom_data: {
				value: 598.94,
				currency: 'USD',
				contents: [
					{ id: '39072856', quantity: 1, item_price: 199 },
					{ id: '49148385', quantity: 1, item_price: 199 },
					{ id: '457924702', quantity: 1, item_price: 199 },
				],
				content_ids: ['39072856', '49148385', '457924702'],
				content_type: 'product',
				num_items: 3,
				order_id: '450789469',
			},
		});
	});

	it('recovers fbc from an fbclid in a relative landing_site and fbp from note_attributes', () => {
		const event = orderToPurchaseEvent(withFbclid as Order, { eventIdTemplate: 'order_{order_number}', valueField: 'subtotal_price' });
		expect(event.event_id).toBe('order_1042');
		expect(event.event_time).toBe(Date.parse('2026-11-20T10:30:05Z') / 1000);
		expect(event.event_source_url).toBe('https://linen.example.com/products/linen-shirt?utm_source=facebook&fbclid=IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgs');
		expect(event.user_data).toMatchObject({
			em: 'Mary.Jones@Example.com',
			ph: '+49 170 1234567',
			ct: 'München',
			st: 'BY',
			country: 'DE',
			client_ip_address: '2001:db8::7',
			fbp: 'fb.1.1763634000000.1098115397',
			// Case kept: fbc is case-sensitive.
			fbc: `fb.1.${Date.parse('2026-11-20T10:30:00Z')}.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgs`,
		});
		expect(event.custom_data).toMatchObject({ value: 79.9, currency: 'EUR', num_items: 2, contents: [{ id: '4401', quantity: 2, item_price: 39.95 }] });
	});

	it('uses the shop domain when given, for a relative landing_site', () => {
		expect(orderToPurchaseEvent(withFbclid as Order, { shopDomain: 'linen.myshopify.com' }).event_source_url).toMatch(/^https:\/\/linen\.myshopify\.com\/products\/linen-shirt\?/);
	});

	it('maps an order without a customer from its shipping address and cart attributes', () => {
		const event = orderToPurchaseEvent(noCustomer as Order);
		expect(event.user_data).toEqual({
			fn: 'Pat',
			ct: 'Austin',
			st: 'TX',
			zp: '78701-1234',
			country: 'US',
			client_ip_address: '203.0.113.5',
			client_user_agent: 'POS/1.0',
			fbc: 'fb.1.1763700000000.AbCdEfGhIjKl',
		});
		expect(event).not.toHaveProperty('event_source_url');
		expect(event.custom_data).toEqual({ value: 15, currency: 'USD', contents: [{ id: '9', quantity: 1, item_price: 15 }], content_ids: ['9'], content_type: 'product', num_items: 1, order_id: '6100000001' });
	});

	it('survives the test notification’s nulls, and its id beyond 2^53 is used as parsed', () => {
		const event = orderToPurchaseEvent(testNotification as Order, { now: 1_780_000_000 });
		expect(event.event_time).toBe(Date.parse('2021-12-31T19:00:00-05:00') / 1000);
		expect(event.user_data).toEqual({ em: 'jon@example.com', fn: 'Steve', ln: 'Shipper', ph: '555-555-SHIP', ct: 'Shippington', st: 'KY', zp: '40003', country: 'US', external_id: String(115310627314723954) });
		expect(classifyOrder(testNotification as Order)).toBe('test');
	});

	it('builds a Meta-valid event once hashed (website needs the UA: here a system event)', () => {
		const raw = orderToPurchaseEvent(withFbclid as Order);
		const now = Math.floor(Date.parse('2026-11-21T00:00:00Z') / 1000);
		const event = buildEvent({ ...raw, action_source: raw.action_source }, { now });
		expect(event.user_data.em).toEqual([sha('mary.jones@example.com')]);
		expect(event.user_data.ph).toEqual([sha('491701234567')]);
		expect(event.user_data.ct).toEqual([sha('mnchen')]);
		expect(validateEvent(event, { now })).toEqual([]);
	});
});

describe('click ids', () => {
	it('ignores malformed values and garbage fbclids', () => {
		expect(extractClickIds(noCustomer as Order)).toEqual({ fbc: 'fb.1.1763700000000.AbCdEfGhIjKl' });
		expect(extractClickIds({ landing_site: '%%%?fbclid=%E0%A4%A' } as Order)).toEqual({});
		expect(extractClickIds({ note_attributes: [{ name: 'fbclid', value: 'AbCdEf123456' }], created_at: '2026-01-01T00:00:00Z' } as Order)).toEqual({ fbclid: 'AbCdEf123456', fbc: `fb.1.${Date.parse('2026-01-01T00:00:00Z')}.AbCdEf123456` });
	});
});

describe('refunds and cancellations', () => {
	it('classifies orders', () => {
		expect(classifyOrder(sample as Order)).toBe('partially_refunded');
		expect(classifyOrder(withFbclid as Order)).toBe('purchase');
		expect(classifyOrder({ ...(withFbclid as Order), cancelled_at: '2026-11-21T00:00:00Z', financial_status: 'refunded' })).toBe('cancelled');
		expect(classifyOrder({ financial_status: 'refunded' })).toBe('refunded');
		expect(classifyOrder({ financial_status: 'pending' })).toBe('pending');
	});

	it('recognises refunds and sums successful refund transactions only', () => {
		expect(isRefund('refunds/create', refund as Refund)).toBe(true);
		expect(isRefund('orders/updated', sample as Order)).toBe(true);
		expect(isRefund('orders/paid', withFbclid as Order)).toBe(false);
		expect(refundAmount(refund as Refund)).toBe(41.94);
		expect(refundAmount((sample as Order).refunds![0])).toBe(209);
	});
});
