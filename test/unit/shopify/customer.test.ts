import { audienceRow } from '../../../nodes/core/normalize';
import {
	classifyCustomerSegment,
	customerOrderCount,
	customerToAudienceRecord,
	customerToEvent,
	customerToUserData,
	isEmailSubscribed,
	type Customer,
	type Order,
} from '../../../nodes/core/shopify';
import customerJson from '../../fixtures/shopify/customer-706405506930370084.json';
import testNotificationJson from '../../fixtures/shopify/order-test-notification.json';

const customer = customerJson as Customer;
const ID = String(706405506930370084); // '706405506930370000': JSON.parse rounds ids beyond 2^53

describe('customer mappings', () => {
	it('maps Shopify’s sample customer; the address fills in the missing phone', () => {
		expect(customerToUserData(customer)).toEqual({
			em: 'bob@biller.com',
			ph: '555-555-5555',
			fn: 'Bob',
			ln: 'Biller',
			ct: 'Ottawa',
			st: 'ON',
			zp: 'K2P 2L8',
			country: 'CA',
			external_id: ID,
		});
	});

	it('keys the same identifiers by audience schema key', () => {
		expect(customerToAudienceRecord(customer)).toEqual({
			EMAIL: 'bob@biller.com',
			PHONE: '555-555-5555',
			FN: 'Bob',
			LN: 'Biller',
			CT: 'Ottawa',
			ST: 'ON',
			ZIP: 'K2P 2L8',
			COUNTRY: 'CA',
			EXTERN_ID: ID,
		});
	});

	it('omits what is missing; the audience row puts "" in its place instead of failing the batch', () => {
		const bare: Customer = {
			id: 5,
			email: ' a@b.co ',
			phone: null,
			first_name: '',
			addresses: [],
			default_address: null,
		};
		expect(customerToUserData(bare)).toEqual({ em: 'a@b.co', external_id: '5' });
		const record = customerToAudienceRecord(bare);
		expect(record).toEqual({ EMAIL: 'a@b.co', EXTERN_ID: '5' });
		const row = audienceRow(['EMAIL', 'PHONE', 'FN'], record);
		expect(row?.[1]).toBe('');
		expect(row?.[2]).toBe('');
		expect(row?.[0]).toMatch(/^[a-f0-9]{64}$/);
	});

	it('uses addresses[0] when there is no default_address, and province / country names when codes are missing', () => {
		expect(
			customerToUserData({
				id: 6,
				addresses: [{ city: 'Lyon', province: 'Rhône', country: 'France', first_name: 'Élise' }],
			}),
		).toEqual({ fn: 'Élise', ct: 'Lyon', st: 'Rhône', country: 'France', external_id: '6' });
	});

	it('maps the test notification’s customer, whose dates are null', () => {
		const c = (testNotificationJson as Order).customer as Customer;
		expect(customerToEvent(c, 'Lead', { now: 1_795_000_000 })).toEqual({
			event_name: 'Lead',
			event_time: 1_795_000_000,
			action_source: 'system_generated',
			event_id: `customer_${String(115310627314723954)}`,
			user_data: {
				em: 'john@example.com',
				ph: '123-123-1234',
				fn: 'John',
				ln: 'Smith',
				ct: 'Ottawa',
				st: 'ON',
				zp: 'K2H7A8',
				country: 'CA',
				external_id: String(115310627314723954),
			},
		});
	});

	it('turns a new customer into a system_generated Lead or CompleteRegistration at its creation time', () => {
		expect(customerToEvent(customer, 'CompleteRegistration')).toEqual({
			event_name: 'CompleteRegistration',
			event_time: 1640995200,
			action_source: 'system_generated',
			event_id: `customer_${ID}`,
			user_data: {
				em: 'bob@biller.com',
				ph: '555-555-5555',
				fn: 'Bob',
				ln: 'Biller',
				ct: 'Ottawa',
				st: 'ON',
				zp: 'K2P 2L8',
				country: 'CA',
				external_id: ID,
			},
		});
		expect(customerToEvent({ email: 'x@y.z', createdAt: '2026-11-21T08:00:00Z' })).toEqual({
			event_name: 'Lead',
			event_time: 1795248000,
			action_source: 'system_generated',
			user_data: { em: 'x@y.z' },
		});
	});
});

describe('segments: every one reachable', () => {
	const now = Date.parse('2026-11-23T00:00:00Z');
	it.each<[string, Customer]>([
		['existing', { orders_count: 1, created_at: '2026-11-22T00:00:00Z' }],
		[
			'existing',
			{ orders_count: 7, created_at: '2020-01-01T00:00:00Z', email_marketing_consent: { state: 'subscribed' } },
		],
		['existing', { numberOfOrders: '2' }],
		['existing', { last_order_id: 450789469, created_at: '2026-11-22T00:00:00Z' }],
		['new', { orders_count: 0, created_at: '2026-11-10T00:00:00Z' }],
		['new', { orders_count: 0, created_at: '2026-10-24T00:00:00Z', email_marketing_consent: { state: 'subscribed' } }],
		['new', { numberOfOrders: '0', createdAt: '2026-11-23T00:00:30Z' }],
		[
			'engaged',
			{ orders_count: 0, created_at: '2026-10-23T23:59:59Z', email_marketing_consent: { state: 'subscribed' } },
		],
		['engaged', { orders_count: 0, created_at: '2025-01-01T00:00:00Z', accepts_marketing: true }],
		['engaged', { created_at: null, emailMarketingConsent: { marketingState: 'SUBSCRIBED' } }],
		[
			'other',
			{
				orders_count: 0,
				created_at: '2025-01-01T00:00:00Z',
				email_marketing_consent: { state: 'unsubscribed' },
				accepts_marketing: true,
			},
		],
		[
			'other',
			{ orders_count: 0, created_at: '2025-01-01T00:00:00Z', email_marketing_consent: { state: 'not_subscribed' } },
		],
		['other', { created_at: null }],
	])('%s ← %j', (segment, c) => {
		expect(classifyCustomerSegment(c, { now })).toBe(segment);
	});

	it('reads `now` as a Date, unix ms or unix seconds, and honours newWithinDays', () => {
		const c: Customer = { orders_count: 0, created_at: '2026-11-13T00:00:00Z', accepts_marketing: true };
		expect(classifyCustomerSegment(c, { now: new Date(now) })).toBe('new');
		expect(classifyCustomerSegment(c, { now: now / 1000 })).toBe('new');
		expect(classifyCustomerSegment(c, { now, newWithinDays: 7 })).toBe('engaged');
	});

	it('classifies Shopify’s sample customer (no order count in the payload, not subscribed)', () => {
		expect(classifyCustomerSegment(customer, { now })).toBe('other');
		expect(classifyCustomerSegment(customer, { now: Date.parse('2022-01-05T00:00:00Z') })).toBe('new');
	});

	it('counts orders from REST, GraphQL or last_order_id, and knows when it does not know', () => {
		expect(
			[
				{ orders_count: 3 },
				{ orders_count: '4' },
				{ numberOfOrders: '5' },
				{ last_order_id: 1 },
				{},
				{ orders_count: 'x' },
			].map((c) => customerOrderCount(c as Customer)),
		).toEqual([3, 4, 5, 1, undefined, undefined]);
		expect(
			[
				{ email_marketing_consent: { state: 'SUBSCRIBED' } },
				{ accepts_marketing: true },
				{ email_marketing_consent: { state: 'pending' }, accepts_marketing: true },
				{},
			].map((c) => isEmailSubscribed(c)),
		).toEqual([true, true, false, false]);
	});
});
