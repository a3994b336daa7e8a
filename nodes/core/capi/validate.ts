import { checkCrm } from './crm';
import { checkMessaging } from './messaging';
import { ACTION_SOURCES, HASHED_USER_DATA_KEYS, type ServerEvent } from './types';

export interface Issue {
	/** Dotted path of the offending field, e.g. custom_data.value. */
	field: string;
	message: string;
	/** Set when the event is fine but too old to send: a stored copy may still answer a repeat. */
	tooOld?: true;
}

export interface ValidateOptions {
	/** Unix seconds "now", injectable for tests. */
	now?: number;
	/** Seconds an event may lie in the future (clock skew). Meta does not document it. */
	futureToleranceSeconds?: number;
}

const DAY = 86_400;
// Meta rejects the whole request for one event older than this (physical_store: 62 days).
export const MAX_EVENT_AGE_DAYS = 7;
export const MAX_PHYSICAL_STORE_AGE_DAYS = 62;

// An event whose user_data is only a subset of one of these sets cannot be matched (Meta).
const TOO_FEW_IDENTIFIERS: readonly (readonly string[])[] = [
	['ct', 'country', 'st', 'zp', 'ge', 'client_user_agent'],
	['db', 'client_user_agent'],
	['fn', 'ge'],
	['ln', 'ge'],
];

const SHA256_HEX = /^[a-f0-9]{64}$/;
const CURRENCY = /^[A-Z]{3}$/;
const FBC = /^fb\.\d+\.\d+\..+$/;

function checkTime(event: ServerEvent, now: number, future: number, issues: Issue[]): void {
	const t = event.event_time;
	if (!Number.isInteger(t) || t <= 0) {
		issues.push({ field: 'event_time', message: 'event_time must be unix seconds (a positive whole number)' });
		return;
	}
	const maxDays = event.action_source === 'physical_store' ? MAX_PHYSICAL_STORE_AGE_DAYS : MAX_EVENT_AGE_DAYS;
	if (now - t > maxDays * DAY) {
		const age = Math.floor((now - t) / DAY);
		issues.push({
			field: 'event_time',
			message: `event_time is ${age} days old; Meta accepts at most ${maxDays} days for action_source ${event.action_source}`,
			tooOld: true,
		});
	}
	if (t - now > future) {
		issues.push({ field: 'event_time', message: `event_time is ${t - now} seconds in the future` });
	}
}

function checkUserData(event: ServerEvent, issues: Issue[]): void {
	const ud = event.user_data ?? {};
	for (const key of HASHED_USER_DATA_KEYS) {
		const values = ud[key];
		if (values !== undefined && (!Array.isArray(values) || !values.every((v) => SHA256_HEX.test(v)))) {
			issues.push({ field: `user_data.${key}`, message: `user_data.${key} must be SHA-256 hashes (64 lowercase hex)` });
		}
	}
	if (ud.fbc !== undefined && !FBC.test(ud.fbc)) {
		issues.push({ field: 'user_data.fbc', message: 'user_data.fbc must look like fb.1.<creation time ms>.<fbclid>' });
	}
	const present = Object.entries(ud)
		.filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== ''))
		.map(([k]) => k);
	if (present.length === 0) {
		issues.push({ field: 'user_data', message: 'user_data has no customer information parameter to match on' });
	} else if (TOO_FEW_IDENTIFIERS.some((set) => present.every((k) => set.includes(k)))) {
		issues.push({
			field: 'user_data',
			message: `user_data has too few identifiers to match (${present.join(', ')}); add em, ph, external_id, fbp, fbc or client_ip_address`,
		});
	}
}

function checkCustomData(event: ServerEvent, issues: Issue[]): void {
	const cd = event.custom_data;
	if (cd?.currency !== undefined && !CURRENCY.test(String(cd.currency))) {
		issues.push({
			field: 'custom_data.currency',
			message: 'custom_data.currency must be a three-letter ISO 4217 code',
		});
	}
	if (cd?.value !== undefined && (typeof cd.value !== 'number' || !Number.isFinite(cd.value))) {
		issues.push({ field: 'custom_data.value', message: 'custom_data.value must be a number' });
	}
	if (event.event_name === 'Purchase') {
		if (cd?.value === undefined)
			issues.push({ field: 'custom_data.value', message: 'custom_data.value is required for Purchase' });
		if (cd?.currency === undefined)
			issues.push({ field: 'custom_data.currency', message: 'custom_data.currency is required for Purchase' });
	}
}

function checkWebsite(event: ServerEvent, issues: Issue[]): void {
	if (event.action_source !== 'website') return;
	if (!event.event_source_url) {
		issues.push({ field: 'event_source_url', message: 'event_source_url is required when action_source is website' });
	} else if (!/^https?:\/\/[^\s/]+/i.test(event.event_source_url)) {
		issues.push({ field: 'event_source_url', message: 'event_source_url must be an absolute http(s) URL' });
	}
	if (!event.user_data?.client_user_agent) {
		issues.push({
			field: 'user_data.client_user_agent',
			message: 'user_data.client_user_agent is required when action_source is website',
		});
	}
}

function checkProcessingOptions(event: ServerEvent, issues: Issue[]): void {
	const dpo = event.data_processing_options;
	if (dpo === undefined) return;
	if (!Array.isArray(dpo) || dpo.some((o) => o !== 'LDU')) {
		issues.push({ field: 'data_processing_options', message: 'data_processing_options must be [] or ["LDU"]' });
	}
}

/** Everything Meta would reject the whole request for, checked before sending. Empty = valid. */
export function validateEvent(event: ServerEvent, options: ValidateOptions = {}): Issue[] {
	const issues: Issue[] = [];
	if (typeof event.event_name !== 'string' || event.event_name.trim() === '') {
		issues.push({ field: 'event_name', message: 'event_name is required' });
	}
	if (!(ACTION_SOURCES as readonly string[]).includes(event.action_source)) {
		issues.push({ field: 'action_source', message: `action_source must be one of ${ACTION_SOURCES.join(', ')}` });
	}
	checkTime(event, options.now ?? Math.floor(Date.now() / 1000), options.futureToleranceSeconds ?? 60, issues);
	checkUserData(event, issues);
	checkCustomData(event, issues);
	checkWebsite(event, issues);
	checkProcessingOptions(event, issues);
	checkCrm(event, issues);
	checkMessaging(event, issues);
	return issues;
}

/** "Purchase (event_id 1001): custom_data.value is required for Purchase; …" */
export function describeIssues(event: Pick<ServerEvent, 'event_name' | 'event_id'>, issues: Issue[]): string {
	const name = event.event_name || 'event';
	const id = event.event_id ? ` (event_id ${event.event_id})` : '';
	return `${name}${id}: ${issues.map((i) => i.message).join('; ')}`;
}
