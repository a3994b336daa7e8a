import {
	customerToHubSpotProperties,
	hubSpotDate,
	orderToHubSpotDeal,
	orderToHubSpotProperties,
	SHOPIFY_HUBSPOT_DEAL_PROPERTIES,
	SHOPIFY_HUBSPOT_PROPERTIES,
	type Customer,
	type Order,
} from '../../../nodes/core/shopify';
import customerJson from '../../fixtures/shopify/customer-706405506930370084.json';
import sampleJson from '../../fixtures/shopify/order-450789469.json';
import withFbclidJson from '../../fixtures/shopify/order-with-fbclid.json';
import noCustomerJson from '../../fixtures/shopify/order-without-customer.json';

const sample = sampleJson as Order;
const withFbclid = withFbclidJson as Order;

describe('HubSpot contact properties', () => {
	it('maps Shopify’s sample customer (no counters in the payload: none invented)', () => {
		expect(customerToHubSpotProperties(customerJson as Customer)).toEqual({
			email: 'bob@biller.com',
			firstname: 'Bob',
			lastname: 'Biller',
			phone: '555-555-5555',
			city: 'Ottawa',
			state: 'ON',
			zip: 'K2P 2L8',
			country: 'CA',
			shopify_customer_id: String(706405506930370084),
		});
	});

	it('writes Shopify’s absolute counters, REST or GraphQL, as Shopify wrote them', () => {
		expect(customerToHubSpotProperties(withFbclid.customer!)).toEqual({
			email: 'mary.jones@example.com',
			firstname: 'Mary',
			lastname: 'Jones',
			phone: '+49 170 1234567',
			city: 'München',
			state: 'BY',
			zip: '80331',
			country: 'DE',
			shopify_customer_id: '7001',
			shopify_order_count: '3',
			shopify_total_spent: '240.70',
			shopify_last_order_id: '5847392847',
		});
		expect(
			customerToHubSpotProperties({
				email: 'x@y.z',
				numberOfOrders: '4',
				amountSpent: { amount: '12.5', currencyCode: 'EUR' },
			}),
		).toEqual({ email: 'x@y.z', shopify_order_count: '4', shopify_total_spent: '12.5' });
		expect(customerToHubSpotProperties({ email: 'x@y.z', orders_count: 'many', total_spent: 'lots' })).toEqual({
			email: 'x@y.z',
		});
	});

	it('maps an order: the buyer as the order has them, the counters, this order as the last one', () => {
		const props = orderToHubSpotProperties(withFbclid);
		expect(props).toEqual({
			email: 'Mary.Jones@Example.com',
			firstname: 'Mary',
			lastname: 'Jones',
			phone: '+49 170 1234567',
			city: 'München',
			state: 'BY',
			zip: '80331',
			country: 'DE',
			shopify_customer_id: '7001',
			shopify_order_count: '3',
			shopify_total_spent: '240.70',
			shopify_last_order_id: '5847392847',
			shopify_last_order_date: '2026-11-20',
		});
		// A retried delivery writes the same values: nothing accumulates.
		expect(orderToHubSpotProperties(withFbclid)).toEqual(props);
	});

	it('sets the first order date only when Shopify counts exactly one order', () => {
		const first: Order = { ...withFbclid, customer: { ...withFbclid.customer, orders_count: 1, total_spent: '89.90' } };
		expect(orderToHubSpotProperties(first)).toMatchObject({
			shopify_order_count: '1',
			shopify_first_order_date: '2026-11-20',
			shopify_last_order_date: '2026-11-20',
		});
		// Shopify's 2024-10 sample embeds no count: no first date is guessed.
		expect(orderToHubSpotProperties(sample)).toEqual({
			email: 'bob.norman@mail.example.com',
			firstname: 'Bob',
			lastname: 'Norman',
			phone: '+557734881234',
			city: 'Louisville',
			state: 'KY',
			zip: '40202',
			country: 'US',
			shopify_customer_id: '207119551',
			shopify_last_order_id: '450789469',
			shopify_last_order_date: '2008-01-10',
		});
	});

	it('maps an order without a customer from its addresses alone', () => {
		expect(orderToHubSpotProperties(noCustomerJson as Order)).toEqual({
			firstname: 'Pat',
			city: 'Austin',
			state: 'TX',
			zip: '78701-1234',
			country: 'US',
			shopify_last_order_id: '6100000001',
			shopify_last_order_date: '2026-11-21',
		});
	});

	it('gives HubSpot dates as UTC calendar days', () => {
		expect(hubSpotDate('2026-11-20T23:30:00-05:00')).toBe('2026-11-21');
		expect(hubSpotDate('never')).toBeUndefined();
	});
});

describe('HubSpot deals', () => {
	it('maps an order to a deal keyed by its Shopify id', () => {
		expect(orderToHubSpotDeal(sample, { pipeline: 'default', dealstage: 'closedwon' })).toEqual({
			dealname: 'Shopify order #1001',
			amount: '598.94',
			closedate: '2008-01-10T16:00:00.000Z',
			pipeline: 'default',
			dealstage: 'closedwon',
			shopify_order_id: '450789469',
		});
		expect(
			orderToHubSpotDeal(withFbclid, {
				pipeline: '75e28846-ad0d-4be2-a027-5e1da6590b98',
				dealstage: '3',
				includeCurrency: true,
			}),
		).toEqual({
			dealname: 'Shopify order #1042',
			amount: '89.90',
			closedate: '2026-11-20T10:30:05.000Z',
			pipeline: '75e28846-ad0d-4be2-a027-5e1da6590b98',
			dealstage: '3',
			deal_currency_code: 'EUR',
			shopify_order_id: '5847392847',
		});
	});

	it('names a deal by the order name when there is no number, and by the id as a last resort', () => {
		expect(orderToHubSpotDeal({ id: 77, name: '#A-77' })).toEqual({
			dealname: 'Shopify order #A-77',
			pipeline: 'default',
			dealstage: 'closedwon',
			shopify_order_id: '77',
		});
		expect(orderToHubSpotDeal({ id: 78 })).toEqual({
			dealname: 'Shopify order 78',
			pipeline: 'default',
			dealstage: 'closedwon',
			shopify_order_id: '78',
		});
	});

	it('defines the custom properties for the ensure-properties operation', () => {
		expect(
			SHOPIFY_HUBSPOT_PROPERTIES.map(({ name, type, fieldType, groupName }) => ({ name, type, fieldType, groupName })),
		).toEqual([
			{ name: 'shopify_customer_id', type: 'string', fieldType: 'text', groupName: 'shopify' },
			{ name: 'shopify_order_count', type: 'number', fieldType: 'number', groupName: 'shopify' },
			{ name: 'shopify_total_spent', type: 'number', fieldType: 'number', groupName: 'shopify' },
			{ name: 'shopify_last_order_date', type: 'date', fieldType: 'date', groupName: 'shopify' },
			{ name: 'shopify_last_order_id', type: 'string', fieldType: 'text', groupName: 'shopify' },
			{ name: 'shopify_first_order_date', type: 'date', fieldType: 'date', groupName: 'shopify' },
		]);
		expect(SHOPIFY_HUBSPOT_PROPERTIES.every((p) => p.label.startsWith('Shopify '))).toBe(true);
		expect(SHOPIFY_HUBSPOT_DEAL_PROPERTIES).toEqual([
			{ name: 'shopify_order_id', label: 'Shopify order ID', type: 'string', fieldType: 'text', groupName: 'shopify' },
		]);
	});
});
