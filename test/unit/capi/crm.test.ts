import { createHash } from 'node:crypto';
import { leadIdProblem, prepareEvent, validateEvent, type EventInput } from '../../../nodes/core/capi';

const NOW = 1_780_000_000;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A CRM stage of a Lead Ads lead as Meta's Conversion Leads integration asks for it. */
const stage = (overrides: Partial<EventInput> = {}): EventInput => ({
	event_name: 'Marketing Qualified Lead',
	event_time: NOW - 3_600,
	action_source: 'system_generated',
	event_id: 'leads:42:Marketing Qualified Lead',
	user_data: { lead_id: '1234567890123456', em: 'Lead.Person@Example.com' },
	custom_data: { event_source: 'crm', lead_event_source: 'HubSpot' },
	...overrides,
});
const issuesOf = (input: EventInput) => {
	const prepared = prepareEvent(input, { now: NOW });
	return prepared.ok ? [] : prepared.issues.map((i) => `${i.field}: ${i.message}`);
};

describe("Meta's CRM integration: a Lead Ads lead's CRM stage", () => {
	it('is sent with the lead id as given (not hashed, not lowercased) and the CRM fields in custom_data', () => {
		const prepared = prepareEvent(stage(), { now: NOW });
		expect(prepared).toEqual({
			ok: true,
			event: {
				event_name: 'Marketing Qualified Lead',
				event_time: NOW - 3_600,
				action_source: 'system_generated',
				event_id: 'leads:42:Marketing Qualified Lead',
				user_data: { lead_id: '1234567890123456', em: [sha('lead.person@example.com')] },
				custom_data: { event_source: 'crm', lead_event_source: 'HubSpot' },
			},
		});
	});

	it('takes 15, 16 and 17 digits, trimmed, and a whole number below 2^53 as its digits', () => {
		for (const [raw, sent] of [
			['123456789012345', '123456789012345'],
			['1234567890123456', '1234567890123456'],
			['12345678901234567', '12345678901234567'],
			[' 1234567890123456\n', '1234567890123456'],
			[123456789012345, '123456789012345'],
			[9007199254740991, '9007199254740991'],
		] as const) {
			const prepared = prepareEvent(stage({ user_data: { lead_id: raw } }), { now: NOW });
			expect({ raw, ok: prepared.ok, lead_id: prepared.event.user_data.lead_id }).toEqual({
				raw,
				ok: true,
				lead_id: sent,
			});
		}
	});

	it('refuses any other form, naming user_data.lead_id and why, without quoting it', () => {
		const cases: Array<[unknown, string]> = [
			['12345678901234', 'has 14 digits; a Lead Ads lead id has 15 to 17 digits'],
			['123456789012345678', 'has 18 digits; a Lead Ads lead id has 15 to 17 digits'],
			['l:1234567890123456', 'must be the Lead Ads lead id: digits only (15 to 17 digits)'],
			['1234 5678 9012 3456', 'must be the Lead Ads lead id: digits only (15 to 17 digits)'],
			['-123456789012345', 'must be the Lead Ads lead id: digits only (15 to 17 digits)'],
			['1.23456789012345e15', 'must be the Lead Ads lead id: digits only (15 to 17 digits)'],
			// Full-width digits: Meta's ids are ASCII, and a CRM that wrote these holds a copy, not the id.
			['１２３４５６７８９０１２３４５６', 'must be the Lead Ads lead id: digits only (15 to 17 digits)'],
			// A CRM's own id in the lead id column: hashed identifiers cannot stand in for it.
			['hubspot:5101', 'must be the Lead Ads lead id: digits only (15 to 17 digits)'],
		];
		for (const [raw, reason] of cases) {
			const issues = issuesOf(stage({ user_data: { lead_id: raw, em: 'lead@example.com' } }));
			expect({ raw, issues }).toEqual({ raw, issues: [`user_data.lead_id: user_data.lead_id ${reason}`] });
			expect(issues.join()).not.toContain(String(raw));
		}
	});

	it('refuses a number that has lost digits on the way (past 2^53 − 1) instead of sending a different lead', () => {
		// 12345678901234567 read as a double is 12345678901234568: a real id, another lead's.
		const rounded = 12_345_678_901_234_567;
		expect(String(rounded)).toBe('12345678901234568');
		expect(issuesOf(stage({ user_data: { lead_id: rounded } }))).toEqual([
			'user_data.lead_id: user_data.lead_id is a number that cannot hold a lead id exactly (past 2^53 − 1, or not a whole one); send its 15 to 17 digits as text',
		]);
		expect(leadIdProblem(1e21)).toMatch(/cannot hold a lead id exactly/);
		expect(leadIdProblem(123456789012345.5)).toMatch(/cannot hold a lead id exactly/);
		expect(leadIdProblem({ id: '1234567890123456' })).toBe(
			'must be the Lead Ads lead id (15 to 17 digits), not object',
		);
	});

	it('is a lead id on its own enough to match (no too-few-identifiers refusal)', () => {
		expect(issuesOf(stage({ user_data: { lead_id: '1234567890123456' } }))).toEqual([]);
	});

	it('writes event_source CRM as crm and trims the CRM name; other custom_data keys pass through', () => {
		const prepared = prepareEvent(
			stage({
				custom_data: {
					event_source: ' CRM ',
					lead_event_source: ' In-house CRM ',
					value: '120' as never,
					currency: 'eur',
				},
			}),
			{ now: NOW },
		);
		expect(prepared.ok && prepared.event.custom_data).toEqual({
			event_source: 'crm',
			lead_event_source: 'In-house CRM',
			value: 120,
			currency: 'EUR',
		});
	});

	it('requires what Meta requires of a CRM event: the CRM name, a lead id, system_generated', () => {
		expect(issuesOf(stage({ custom_data: { event_source: 'crm' } }))).toEqual([
			"custom_data.lead_event_source: custom_data.lead_event_source (the CRM's name, e.g. HubSpot) is required with event_source crm",
		]);
		expect(issuesOf(stage({ user_data: { em: 'lead@example.com' } }))).toEqual([
			'user_data.lead_id: user_data.lead_id (the Lead Ads lead id) is required with custom_data.event_source crm',
		]);
		expect(issuesOf(stage({ action_source: 'chat' }))).toEqual([
			'action_source: action_source must be system_generated for CRM events (custom_data.event_source crm), not chat',
		]);
	});

	it('refuses a CRM name without event_source crm, and one that is empty or longer than 100 characters', () => {
		expect(issuesOf(stage({ custom_data: { lead_event_source: 'HubSpot' } }))).toEqual([
			'custom_data.event_source: custom_data.lead_event_source is for CRM events: set custom_data.event_source to crm as well',
		]);
		const named = (lead_event_source: unknown) =>
			issuesOf(stage({ custom_data: { event_source: 'crm', lead_event_source: lead_event_source as string } }));
		expect(named('x'.repeat(100))).toEqual([]);
		for (const bad of ['x'.repeat(101), ' ', 7])
			expect(named(bad)).toEqual([
				"custom_data.lead_event_source: custom_data.lead_event_source must be the CRM's name, 1 to 100 characters",
			]);
	});

	it('leaves events without CRM fields alone: a lead id alone is checked, other event_source values are custom data', () => {
		const plain = stage({ custom_data: { event_source: 'storefront' } });
		expect(issuesOf(plain)).toEqual([]);
		expect(
			validateEvent(
				{
					event_name: 'Lead',
					event_time: NOW,
					action_source: 'website',
					event_source_url: 'https://shop.example.com/',
					user_data: { lead_id: 'abc', client_user_agent: 'UA' },
				},
				{ now: NOW },
			).map((i) => i.field),
		).toEqual(['user_data.lead_id']);
	});
});
