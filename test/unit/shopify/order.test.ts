import { createHash } from 'node:crypto';
import { buildEvent, validateEvent } from '../../../nodes/core/capi';
import {
	eventIdFrom,
	eventIdTemplateIssues,
	landingUrl,
	orderToPurchaseEvent,
	type Order,
} from '../../../nodes/core/shopify';
import sampleJson from '../../fixtures/shopify/order-450789469.json';
import withFbclidJson from '../../fixtures/shopify/order-with-fbclid.json';
import noCustomerJson from '../../fixtures/shopify/order-without-customer.json';
import testNotificationJson from '../../fixtures/shopify/order-test-notification.json';

const sample = sampleJson as Order;
const withFbclid = withFbclidJson as Order;
const noCustomer = noCustomerJson as Order;
const testNotification = testNotificationJson as Order;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const FBCLID = 'IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgs';
const UA_IPHONE =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS]';

describe('order → Purchase event', () => {
	it('maps Shopify’s documented sample order 450789469 (0.0.0.0 is no buyer IP; no user agent, so not a website event)', () => {
		expect(orderToPurchaseEvent(sample)).toEqual({
			event_name: 'Purchase',
			event_time: 1199980800,
			action_source: 'system_generated',
			event_id: '450789469',
			event_source_url: 'http://www.example.com?source=abc',
			referrer_url: 'http://www.otherexample.com',
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

	it('takes the value from the chosen field and order_id from the chosen key', () => {
		expect(
			orderToPurchaseEvent(sample, { valueField: 'current_total_price', orderIdField: 'name' }).custom_data,
		).toMatchObject({ value: 199.65, order_id: '#1001' });
		expect(
			orderToPurchaseEvent(sample, { valueField: 'subtotal_price', orderIdField: 'order_number' }).custom_data,
		).toMatchObject({ value: 597, order_id: '1001' });
	});

	it('leaves value out (never NaN or 0) when the chosen amount is missing or not a number', () => {
		expect(
			orderToPurchaseEvent({ ...withFbclid, current_total_price: undefined }, { valueField: 'current_total_price' })
				.custom_data,
		).not.toHaveProperty('value');
		expect(orderToPurchaseEvent({ ...withFbclid, total_price: 'n/a' }).custom_data).not.toHaveProperty('value');
		expect(orderToPurchaseEvent({ ...withFbclid, total_price: null }).custom_data).not.toHaveProperty('value');
	});

	it('maps an order with an fbclid landing page and the _fbp/_fbc cookies in its cart attributes', () => {
		expect(
			orderToPurchaseEvent(withFbclid, { eventIdTemplate: 'order_{order_number}', shopDomain: 'linen.myshopify.com' }),
		).toEqual({
			event_name: 'Purchase',
			event_time: 1795170605,
			action_source: 'website',
			event_id: 'order_1042',
			event_source_url: `https://linen.myshopify.com/products/linen-shirt?utm_source=facebook&utm_medium=paid&fbclid=${FBCLID}`,
			referrer_url: 'https://l.facebook.com/',
			user_data: {
				em: 'Mary.Jones@Example.com',
				ph: '+49 170 1234567',
				fn: 'Mary',
				ln: 'Jones',
				ct: 'München',
				st: 'BY',
				zp: '80331',
				country: 'DE',
				external_id: '7001',
				client_ip_address: '2001:db8::7',
				client_user_agent: UA_IPHONE,
				// The cookie wins over the landing fbclid, and keeps its case.
				fbc: `fb.1.1795170550123.${FBCLID}`,
				fbp: 'fb.1.1795170400000.1098115397',
			},
			custom_data: {
				value: 89.9,
				currency: 'EUR',
				contents: [{ id: '4401', quantity: 2, item_price: 39.95 }],
				content_ids: ['4401'],
				content_type: 'product',
				num_items: 2,
				order_id: '5847392847',
			},
		});
	});

	it('rebuilds fbc from the landing fbclid and the order’s creation time when no _fbc cookie came', () => {
		const order = { ...withFbclid, note_attributes: withFbclid.note_attributes!.filter((a) => a.name !== '_fbc') };
		expect(orderToPurchaseEvent(order).user_data.fbc).toBe(`fb.1.1795170600000.${FBCLID}`);
	});

	it('makes a relative landing_site absolute with the order status page’s origin when no shop domain is given', () => {
		expect(orderToPurchaseEvent(withFbclid).event_source_url).toBe(
			`https://linen.example.com/products/linen-shirt?utm_source=facebook&utm_medium=paid&fbclid=${FBCLID}`,
		);
	});

	it('maps an order without a customer from its shipping address and cart attributes', () => {
		expect(orderToPurchaseEvent(noCustomer)).toEqual({
			event_name: 'Purchase',
			event_time: 1795248000,
			action_source: 'system_generated',
			event_id: '6100000001',
			user_data: {
				fn: 'Pat',
				ct: 'Austin',
				st: 'TX',
				zp: '78701-1234',
				country: 'US',
				client_ip_address: '203.0.113.5',
				client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0',
				fbc: 'fb.1.1795247900000.AbCdEfGhIjKl',
			},
			// Its one line has no variant id: no content id under the default setting (contentIds.test.ts).
			custom_data: {
				value: 15,
				currency: 'USD',
				num_items: 1,
				order_id: '6100000001',
			},
		});
		// A relative landing page with no shop domain and no order status URL cannot be made absolute.
		expect(orderToPurchaseEvent(noCustomer, { shopDomain: 'https://gifts.example.com/' }).event_source_url).toBe(
			'https://gifts.example.com/?fbclid=garbage%20with%20spaces',
		);
	});

	it('survives the test notification’s nulls; its ids beyond 2^53 arrive as JSON.parse rounded them', () => {
		expect(orderToPurchaseEvent(testNotification, { now: 1_790_000_000 })).toEqual({
			event_name: 'Purchase',
			event_time: 1640995200,
			action_source: 'system_generated',
			event_id: String(820982911946154508),
			user_data: {
				em: 'jon@example.com',
				ph: '555-555-SHIP',
				fn: 'Steve',
				ln: 'Shipper',
				ct: 'Shippington',
				st: 'KY',
				zp: '40003',
				country: 'US',
				external_id: String(115310627314723954),
			},
			custom_data: {
				value: 388,
				currency: 'USD',
				contents: [
					{ id: '808950810', quantity: 1, item_price: 199 },
					{ id: '808950810', quantity: 1, item_price: 199 },
				],
				content_ids: ['808950810'],
				content_type: 'product',
				num_items: 2,
				order_id: String(820982911946154508),
			},
		});
	});

	it('falls back to created_at, then to `now`, for the event time; and to presentment_currency, uppercased', () => {
		expect(orderToPurchaseEvent({ id: 1, created_at: '2026-11-21T08:00:00Z', processed_at: 'soon' }).event_time).toBe(
			1795248000,
		);
		expect(orderToPurchaseEvent({ id: 1 }, { now: 1_795_000_000 })).toEqual({
			event_name: 'Purchase',
			event_time: 1_795_000_000,
			action_source: 'system_generated',
			event_id: '1',
			user_data: {},
			custom_data: { order_id: '1' },
		});
		expect(
			orderToPurchaseEvent({ id: 1, presentment_currency: 'cad', total_price: '10' }, { eventName: 'OrderPlaced' }),
		).toMatchObject({ event_name: 'OrderPlaced', custom_data: { value: 10, currency: 'CAD' } });
	});

	it('takes the location from one address only, so city and zip never describe two places', () => {
		const order: Order = {
			id: 2,
			billing_address: { first_name: 'Ann', phone: '+1 212 555 0100' },
			shipping_address: { city: 'Boston', zip: '02108', province_code: 'MA', country_code: 'US' },
			customer: { id: 9, default_address: { city: 'Denver', zip: '80202' } },
		};
		expect(orderToPurchaseEvent(order).user_data).toEqual({
			ph: '+1 212 555 0100',
			fn: 'Ann',
			ct: 'Boston',
			st: 'MA',
			zp: '02108',
			country: 'US',
			external_id: '9',
		});
		expect(
			orderToPurchaseEvent({
				id: 3,
				customer: { id: 10, default_address: { city: 'Denver', province: 'Colorado', country: 'United States' } },
			}).user_data,
		).toEqual({ ct: 'Denver', st: 'Colorado', country: 'United States', external_id: '10' });
	});

	it('is a website event only with both the page and the browser; otherwise system_generated', () => {
		const page = 'https://shop.example.com/products/x';
		const browser = { user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0' };
		expect(orderToPurchaseEvent({ id: 1, landing_site: page, client_details: browser }).action_source).toBe('website');
		expect(orderToPurchaseEvent({ id: 1, landing_site: page }).action_source).toBe('system_generated');
		expect(orderToPurchaseEvent({ id: 1, client_details: browser }).action_source).toBe('system_generated');
		// A relative landing page that cannot be made absolute is no page.
		expect(orderToPurchaseEvent({ id: 1, landing_site: '/products/x', client_details: browser }).action_source).toBe(
			'system_generated',
		);
		expect(
			orderToPurchaseEvent(
				{ id: 1, landing_site: '/products/x', client_details: browser },
				{ shopDomain: 'shop.example.com' },
			).action_source,
		).toBe('website');
	});

	it('is Meta-valid once built and hashed', () => {
		const raw = orderToPurchaseEvent(withFbclid, { shopDomain: 'linen.myshopify.com' });
		const now = 1795170605 + 3600;
		const event = buildEvent(raw, { now });
		expect(event.user_data.em).toEqual([sha('mary.jones@example.com')]);
		expect(event.user_data.fbc).toBe(`fb.1.1795170550123.${FBCLID}`);
		expect(validateEvent(event, { now })).toEqual([]);
	});
});

describe('event id templates', () => {
	it('fills every documented placeholder', () => {
		expect(eventIdFrom(sample, '{id}|{order_number}|{name}|{checkout_token}|{cart_token}|{admin_graphql_api_id}')).toBe(
			'450789469|1001|#1001|bd5a8aa1ecd019dd3520ff791ee3a24c|68778783ad298f1c80c3bafcddeea02f|gid://shopify/Order/450789469',
		);
		expect(eventIdFrom(sample, '  shopify-{order_number}  ')).toBe('shopify-1001');
	});

	it('gives no event_id rather than one every order would share', () => {
		expect(eventIdFrom(sample, 'order_{email}')).toBeUndefined();
		expect(eventIdFrom(sample, 'purchase')).toBeUndefined();
		expect(eventIdFrom(testNotification, '{checkout_token}')).toBeUndefined();
		expect(orderToPurchaseEvent(sample, { eventIdTemplate: 'x_{nope}' })).not.toHaveProperty('event_id');
	});

	it('says what is wrong with a template', () => {
		expect(eventIdTemplateIssues('{id}')).toEqual([]);
		expect(eventIdTemplateIssues('order_{email}')).toEqual([
			'unknown placeholder {email}; use {id}, {order_number}, {name}, {checkout_token}, {cart_token}, {admin_graphql_api_id}',
		]);
		expect(eventIdTemplateIssues('purchase')).toEqual([
			'the template has no placeholder, so every order would get the same event_id',
		]);
	});
});

describe('landing URL', () => {
	it.each([
		['/products/x?fbclid=Ab', 'shop.example.com', 'https://shop.example.com/products/x?fbclid=Ab'],
		['products/x', 'shop.example.com', 'https://shop.example.com/products/x'],
		['https://other.example.com/a', undefined, 'https://other.example.com/a'],
		['//evil.example.net/phish', 'shop.example.com', undefined],
		['/x', undefined, undefined],
		['/x', 'not a domain', undefined],
		['   ', 'shop.example.com', undefined],
	])('%j with shop %j → %j', (landing, shop, expected) => {
		expect(landingUrl({ landing_site: landing }, shop)).toBe(expected);
	});
});
