import { createHash } from 'node:crypto';
import { buildEvent, describeIssues, prepareEvent, validateEvent, type ServerEvent } from '../../../nodes/core/capi';

const NOW = 1_780_000_000;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function purchase(overrides: Partial<ServerEvent> = {}): ServerEvent {
	return {
		event_name: 'Purchase',
		event_time: NOW - 60,
		action_source: 'website',
		event_id: '1001',
		event_source_url: 'https://shop.example.com/checkout',
		user_data: { em: [sha('a@example.com')], client_user_agent: 'Mozilla/5.0', client_ip_address: '203.0.113.9' },
		custom_data: { value: 29.99, currency: 'USD' },
		...overrides,
	};
}

const fields = (event: ServerEvent) => validateEvent(event, { now: NOW }).map((i) => i.field);

describe('validateEvent', () => {
	it('accepts a complete website Purchase', () => {
		expect(validateEvent(purchase(), { now: NOW })).toEqual([]);
	});

	it('requires value and currency for Purchase', () => {
		expect(fields(purchase({ custom_data: {} }))).toEqual(['custom_data.value', 'custom_data.currency']);
		expect(fields(purchase({ custom_data: { value: 10, currency: 'usd' } }))).toEqual(['custom_data.currency']);
	});

	it('requires event_source_url and client_user_agent for website events only', () => {
		const bare = purchase({ event_source_url: undefined, user_data: { em: [sha('a@example.com')] } });
		expect(fields(bare)).toEqual(['event_source_url', 'user_data.client_user_agent']);
		expect(fields({ ...bare, action_source: 'system_generated' })).toEqual([]);
	});

	it('rejects events older than 7 days, naming the age, and 62 days for physical_store', () => {
		const old = purchase({ event_time: NOW - 8 * 86_400 });
		const issues = validateEvent(old, { now: NOW });
		expect(issues).toEqual([
			{
				field: 'event_time',
				message: 'event_time is 8 days old; Meta accepts at most 7 days for action_source website',
				tooOld: true,
			},
		]);
		expect(describeIssues(old, issues)).toBe(
			'Purchase (event_id 1001): event_time is 8 days old; Meta accepts at most 7 days for action_source website',
		);
		expect(fields({ ...old, action_source: 'physical_store' })).toEqual([]);
		expect(fields(purchase({ event_time: NOW - 7 * 86_400 }))).toEqual([]);
	});

	it('rejects events in the future beyond a minute of clock skew', () => {
		expect(fields(purchase({ event_time: NOW + 60 }))).toEqual([]);
		expect(fields(purchase({ event_time: NOW + 61 }))).toEqual(['event_time']);
	});

	it('applies the too-few-identifiers rule', () => {
		const only = (user_data: ServerEvent['user_data']) =>
			fields(purchase({ action_source: 'system_generated', user_data }));
		expect(only({ ct: [sha('x')], country: [sha('us')], client_user_agent: 'UA' })).toEqual(['user_data']);
		expect(only({ db: [sha('19970216')], client_user_agent: 'UA' })).toEqual(['user_data']);
		expect(only({ fn: [sha('mary')], ge: [sha('f')] })).toEqual(['user_data']);
		expect(only({ ln: [sha('smith')] })).toEqual(['user_data']);
		expect(only({ fn: [sha('mary')], ln: [sha('smith')] })).toEqual([]);
		expect(only({})).toEqual(['user_data']);
		expect(only({ fbp: 'fb.1.1558571054389.1098115397' })).toEqual([]);
	});

	it('refuses unhashed values in hashed keys, so raw PII cannot leave', () => {
		expect(fields(purchase({ user_data: { em: ['a@example.com'], client_user_agent: 'UA' } }))).toEqual([
			'user_data.em',
		]);
	});

	it('checks action_source, event_name, fbc shape and LDU options', () => {
		expect(fields(purchase({ action_source: 'shop' as never }))).toEqual(['action_source']);
		expect(fields(purchase({ event_name: ' ' }))).toEqual(['event_name']);
		expect(fields(purchase({ user_data: { em: [sha('a@b.co')], client_user_agent: 'UA', fbc: 'fbclid123' } }))).toEqual(
			['user_data.fbc'],
		);
		expect(fields(purchase({ data_processing_options: ['LDU'] }))).toEqual([]);
		expect(fields(purchase({ data_processing_options: ['GDPR'] }))).toEqual(['data_processing_options']);
	});
});

describe('buildEvent / prepareEvent', () => {
	it('hashes identifiers, converts times and cleans custom_data', () => {
		const event = buildEvent(
			{
				event_name: 'Purchase',
				event_time: '2026-05-28T20:26:40Z',
				user_data: {
					em: ' Mary@Example.com',
					ph: '(650) 555-1212',
					country: 'United States',
					fbc: 'fb.1.1554763741205.AbCdEf',
				},
				custom_data: { value: '29.99' as unknown as number, currency: 'usd', order_id: '', content_ids: ['1'] },
				event_id: 1001,
				event_source_url: ' https://shop.example.com/ ',
			},
			{ now: NOW },
		);
		expect(event).toEqual({
			event_name: 'Purchase',
			event_time: 1_780_000_000,
			action_source: 'website',
			event_id: '1001',
			event_source_url: 'https://shop.example.com/',
			user_data: {
				em: [sha('mary@example.com')],
				ph: [sha('16505551212')],
				country: [sha('us')],
				fbc: 'fb.1.1554763741205.AbCdEf',
			},
			custom_data: { value: 29.99, currency: 'USD', content_ids: ['1'] },
		});
	});

	it('accepts unix milliseconds and defaults the time to now', () => {
		expect(buildEvent({ event_name: 'Lead', event_time: 1_780_000_000_123 }).event_time).toBe(1_780_000_000);
		expect(buildEvent({ event_name: 'Lead' }, { now: NOW }).event_time).toBe(NOW);
	});

	it('reports every issue of an invalid event instead of building a half event', () => {
		const prepared = prepareEvent(
			{
				event_name: 'Purchase',
				event_time: 'yesterday-ish',
				action_source: 'system_generated',
				user_data: { em: 'nobody' },
			},
			{ now: NOW },
		);
		expect(prepared.ok).toBe(false);
		if (!prepared.ok) {
			expect(prepared.issues.map((i) => i.field)).toEqual([
				'event_time',
				'user_data',
				'custom_data.value',
				'custom_data.currency',
			]);
		}
	});
});
