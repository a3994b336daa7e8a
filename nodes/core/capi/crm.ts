import type { CustomData, RawUserData, ServerEvent } from './types';
import type { Issue } from './validate';

/**
 * Meta's CRM integration (Conversion Leads): a CRM's stage changes for leads from Lead Ads,
 * matched on the lead's id. Such an event is system_generated, names the lead in
 * user_data.lead_id (as Meta gave it, never hashed) and says in custom_data that it comes from a
 * CRM (event_source: crm) and which one (lead_event_source).
 */
export const CRM_EVENT_SOURCE = 'crm';
/** Meta's lead ids are 15 or 16 digits today; 17 leaves room for the next ones. */
export const LEAD_ID_DIGITS = { min: 15, max: 17 } as const;
/** The CRM's name ("HubSpot", "In-house CRM"): a name, and one stored with every rule. */
export const MAX_LEAD_EVENT_SOURCE_LENGTH = 100;

const DIGITS = /^[0-9]+$/;
const RANGE = `${LEAD_ID_DIGITS.min} to ${LEAD_ID_DIGITS.max} digits`;
const INEXACT_NUMBER = `is a number that cannot hold a lead id exactly (past 2^53 − 1, or not a whole one); send its ${RANGE} as text`;

/**
 * Why a value is not a Lead Ads lead id, or undefined when it is one. A number past 2^53 − 1 has
 * already lost its last digits (JavaScript, JSON parsers), so only text can carry the longer ids.
 * The value itself is never quoted back.
 */
export function leadIdProblem(value: unknown): string | undefined {
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value)) return INEXACT_NUMBER;
		value = String(value);
	}
	if (typeof value === 'bigint') value = value.toString();
	if (typeof value !== 'string') return `must be the Lead Ads lead id (${RANGE}), not ${kind(value)}`;
	const id = value.trim();
	if (!DIGITS.test(id)) return `must be the Lead Ads lead id: digits only (${RANGE})`;
	if (id.length < LEAD_ID_DIGITS.min || id.length > LEAD_ID_DIGITS.max)
		return `has ${id.length} digits; a Lead Ads lead id has ${RANGE}`;
	return undefined;
}

function kind(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	return value === null ? 'null' : typeof value;
}

/**
 * The lead id as the source gave it, before it became text: a number past 2^53 − 1 would be sent
 * as the digits of the nearest double, a different lead, so it is refused here.
 */
export function checkRawLeadId(raw: RawUserData | undefined): Issue[] {
	const values = Array.isArray(raw?.lead_id) ? (raw.lead_id as unknown[]) : [raw?.lead_id];
	return values.some((v) => typeof v === 'number' && Number.isFinite(v) && !Number.isSafeInteger(v))
		? [{ field: 'user_data.lead_id', message: `user_data.lead_id ${INEXACT_NUMBER}` }]
		: [];
}

/** custom_data with event_source "CRM" or " crm " written as Meta's "crm"; other values untouched. */
export function withCrmSpelling(cd: CustomData): CustomData {
	if (typeof cd.event_source === 'string' && cd.event_source.trim().toLowerCase() === CRM_EVENT_SOURCE)
		cd.event_source = CRM_EVENT_SOURCE;
	if (typeof cd.lead_event_source === 'string') cd.lead_event_source = cd.lead_event_source.trim();
	return cd;
}

/** The lead id's form, and what Meta requires of an event that says it comes from a CRM. */
export function checkCrm(event: ServerEvent, issues: Issue[]): void {
	const leadId = event.user_data?.lead_id;
	if (leadId !== undefined) {
		const problem = leadIdProblem(leadId);
		if (problem) issues.push({ field: 'user_data.lead_id', message: `user_data.lead_id ${problem}` });
	}
	const cd = event.custom_data ?? {};
	const source = cd.lead_event_source;
	if (source !== undefined) {
		if (typeof source !== 'string' || source === '' || source.length > MAX_LEAD_EVENT_SOURCE_LENGTH)
			issues.push({
				field: 'custom_data.lead_event_source',
				message: `custom_data.lead_event_source must be the CRM's name, 1 to ${MAX_LEAD_EVENT_SOURCE_LENGTH} characters`,
			});
		else if (cd.event_source !== CRM_EVENT_SOURCE)
			issues.push({
				field: 'custom_data.event_source',
				message: 'custom_data.lead_event_source is for CRM events: set custom_data.event_source to crm as well',
			});
	}
	if (cd.event_source !== CRM_EVENT_SOURCE) return;
	if (source === undefined)
		issues.push({
			field: 'custom_data.lead_event_source',
			message: "custom_data.lead_event_source (the CRM's name, e.g. HubSpot) is required with event_source crm",
		});
	if (leadId === undefined)
		issues.push({
			field: 'user_data.lead_id',
			message: 'user_data.lead_id (the Lead Ads lead id) is required with custom_data.event_source crm',
		});
	if (event.action_source !== 'system_generated')
		issues.push({
			field: 'action_source',
			message: `action_source must be system_generated for CRM events (custom_data.event_source crm), not ${event.action_source}`,
		});
}
