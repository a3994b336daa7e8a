import { audienceRow } from '../../../nodes/core/normalize';
import {
	classifyCustomerSegment,
	customerToAudienceRecord,
	customerToEvent,
	customerToHubSpotProperties,
	customerToUserData,
	orderToHubSpotDeal,
	orderToHubSpotProperties,
	SHOPIFY_HUBSPOT_PROPERTIES,
	type Customer,
	type Order,
} from '../../../nodes/core/shopify';
import customer from '../../fixtures/shopify/customer-706405506930370084.json';
import sample from '../../fixtures/shopify/order-450789469.json';

describe('customer mappings', () => {
	it('maps Shopify’s sample customer (no phone, no address)', () => {
		expect(customerToUserData(customer as Customer)).toEqual({ em: 'bob@biller.com', fn: 'Bob', ln: 'Biller', external_id: String(706405506930370084) });
		expect(customerToAudienceRecord(customer as Customer)).toEqual({ EMAIL: 'bob@biller.com', FN: 'Bob', LN: 'Biller', EXTERN_ID: String(706405506930370084) });
		expect(customerToEvent(customer as Customer, 'CompleteRegistration')).toEqual({
			event_name: 'CompleteRegistration',
			event_time: Date.parse('2021-12-31T19:00:00-05:00') / 1000,
			action_source: 'system_generated',
			event_id: `customer_${String(706405506930370084)}`,
			user_data: { em: 'bob@biller.com', fn: 'Bob', ln: 'Biller', external_id: String(706405506930370084) },
		});
	});

	it('gives an audience row without a phone: "" in its place, not a failed batch', () => {
		const row = audienceRow(['EMAIL', 'PHONE', 'FN'], customerToAudienceRecord(customer as Customer));
		expect(row?.[1]).toBe('');
		expect(row?.[0]).toMatch(/^[a-f0-9]{64}$/);
	});

	it('writes absolute HubSpot totals from Shopify’s counters', () => {
		expect(customerToHubSpotProperties((sample as Order).customer as Customer)).toEqual({
			email: 'bob.norman@mail.example.com',
			firstname: 'Bob',
			lastname: 'Norman',
			phone: '+16136120707',
			city: 'Ottawa',
			state: 'ON',
			zip: 'K2P 1L4',
			country: 'CA',
			shopify_customer_id: '207119551',
			shopify_order_count: '1',
			shopify_total_spent: '199.65',
			shopify_last_order_id: '450789469',
		});
		const fromOrder = orderToHubSpotProperties(sample as Order);
		expect(fromOrder).toMatchObject({ shopify_last_order_date: '2008-01-10', shopify_first_order_date: '2008-01-10', shopify_last_order_id: '450789469' });
		// The same delivery twice writes the same values: nothing accumulates.
		expect(orderToHubSpotProperties(sample as Order)).toEqual(fromOrder);
		expect(customerToHubSpotProperties({ email: 'x@y.z', numberOfOrders: '4', amountSpent: { amount: '12.5' } } as never)).toEqual({ email: 'x@y.z', shopify_order_count: '4', shopify_total_spent: '12.50' });
	});

	it('maps an order to a deal keyed by its Shopify id', () => {
		expect(orderToHubSpotDeal(sample as Order, { dealstage: 'closedwon' })).toEqual({
			dealname: 'Shopify order #1001',
			amount: '598.94',
			closedate: '2008-01-10T16:00:00.000Z',
			pipeline: 'default',
			dealstage: 'closedwon',
			deal_currency_code: 'USD',
			shopify_order_id: '450789469',
		});
		expect(SHOPIFY_HUBSPOT_PROPERTIES.map((p) => p.name)).toEqual(['shopify_customer_id', 'shopify_order_count', 'shopify_total_spent', 'shopify_last_order_date', 'shopify_last_order_id', 'shopify_first_order_date']);
	});
});

describe('segments: every one reachable', () => {
	const now = Date.parse('2026-11-23T00:00:00Z');
	it.each([
		['existing', { orders_count: 1, created_at: '2026-11-22T00:00:00Z' }],
		['existing', { orders_count: 7 }],
		['new', { orders_count: 0, created_at: '2026-11-10T00:00:00Z' }],
		['engaged', { orders_count: 0, created_at: '2025-01-01T00:00:00Z', email_marketing_consent: { state: 'subscribed' } }],
		['engaged', { orders_count: 0, created_at: '2025-01-01T00:00:00Z', accepts_marketing: true }],
		['other', { orders_count: 0, created_at: '2025-01-01T00:00:00Z', email_marketing_consent: { state: 'unsubscribed' } }],
		['other', { created_at: null }],
	])('%s ← %j', (segment, c) => {
		expect(classifyCustomerSegment(c as Customer, { now })).toBe(segment);
	});
});
