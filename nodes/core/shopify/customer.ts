import type { RawAudienceRecord } from '../audiences/types';
import { nowSeconds, toUnixSeconds } from '../capi/time';
import type { ActionSource, RawServerEvent, RawUserData } from '../capi/types';
import { compact, present, setDefined } from '../values';
import type { Address, Customer } from './types';

// Some payloads carry addresses[] without default_address, or the other way round.
function mainAddress(customer: Customer): Address {
	return customer.default_address ?? (Array.isArray(customer.addresses) ? customer.addresses[0] : undefined) ?? {};
}

/** Raw identifiers of a customer; the address fills in a missing phone or name. */
export function customerToUserData(customer: Customer): RawUserData {
	const a = mainAddress(customer);
	const ud: RawUserData = {};
	setDefined(ud, 'em', present(customer.email));
	setDefined(ud, 'ph', present(customer.phone) ?? present(a.phone));
	setDefined(ud, 'fn', present(customer.first_name) ?? present(a.first_name));
	setDefined(ud, 'ln', present(customer.last_name) ?? present(a.last_name));
	setDefined(ud, 'ct', present(a.city));
	setDefined(ud, 'st', present(a.province_code) ?? present(a.province));
	setDefined(ud, 'zp', present(a.zip));
	setDefined(ud, 'country', present(a.country_code) ?? present(a.country));
	setDefined(ud, 'external_id', present(customer.id));
	return ud;
}

/** The same identifiers keyed by Custom Audience schema key. */
export function customerToAudienceRecord(
	customer: Customer,
	ud: RawUserData = customerToUserData(customer),
): RawAudienceRecord {
	const record: RawAudienceRecord = {};
	setDefined(record, 'EMAIL', ud.em);
	setDefined(record, 'PHONE', ud.ph);
	setDefined(record, 'FN', ud.fn);
	setDefined(record, 'LN', ud.ln);
	setDefined(record, 'CT', ud.ct);
	setDefined(record, 'ST', ud.st);
	setDefined(record, 'ZIP', ud.zp);
	setDefined(record, 'COUNTRY', ud.country);
	setDefined(record, 'EXTERN_ID', ud.external_id);
	return record;
}

export interface CustomerEventOptions {
	/** Unix seconds, used when the customer has no usable created_at. */
	now?: number;
	/** Default system_generated: see customerToEvent. */
	actionSource?: ActionSource;
}

/**
 * A new customer as a Lead or CompleteRegistration, timed at its creation. The webhook carries no
 * browser context (no page, user agent or IP), so the honest action_source is system_generated;
 * website would also demand event_source_url and client_user_agent, which do not exist here.
 */
export function customerToEvent(
	customer: Customer,
	eventName: 'Lead' | 'CompleteRegistration' = 'Lead',
	options: CustomerEventOptions = {},
): RawServerEvent {
	const id = present(customer.id);
	return compact<RawServerEvent>({
		event_name: eventName,
		event_time: toUnixSeconds(customer.created_at ?? customer.createdAt) ?? options.now ?? nowSeconds(),
		action_source: options.actionSource ?? 'system_generated',
		event_id: id ? `customer_${id}` : undefined,
		user_data: customerToUserData(customer),
	});
}

export type Segment = 'existing' | 'new' | 'engaged' | 'other';

export interface SegmentOptions {
	/** A Date, unix ms, or unix seconds (numbers below 1e11 are read as seconds). Default now. */
	now?: Date | number;
	/** Default 30. */
	newWithinDays?: number;
}

/**
 * Orders placed, from REST (orders_count) or GraphQL (numberOfOrders, a string for UnsignedInt64).
 * Newer order webhooks drop the count; a last_order_id still proves at least one order.
 */
export function customerOrderCount(customer: Customer): number | undefined {
	const raw = present(customer.orders_count) ?? present(customer.numberOfOrders);
	const n = raw === undefined ? NaN : Number(raw);
	if (Number.isFinite(n) && n >= 0) return n;
	return present(customer.last_order_id) ? 1 : undefined;
}

/** The consent state decides when there is one; the deprecated accepts_marketing otherwise. */
export function isEmailSubscribed(customer: Customer): boolean {
	const state =
		present(customer.email_marketing_consent?.state) ?? present(customer.emailMarketingConsent?.marketingState);
	if (state) return state.toLowerCase() === 'subscribed';
	return customer.accepts_marketing === true;
}

function nowMs(now: Date | number | undefined): number {
	if (now instanceof Date) return now.getTime();
	if (typeof now === 'number') return now < 1e11 ? now * 1000 : now;
	return Date.now();
}

/**
 * existing: one order or more. new: no order, created within `newWithinDays`. engaged: no order,
 * subscribed to e-mail marketing, not new. other: the rest, including customers whose creation
 * date is unknown and who are not subscribed. Checked in that order, so each test only sees
 * customers the previous ones let through, and every segment is reachable (tested).
 */
export function classifyCustomerSegment(customer: Customer, options: SegmentOptions = {}): Segment {
	if ((customerOrderCount(customer) ?? 0) >= 1) return 'existing';
	const created = Date.parse(present(customer.created_at) ?? present(customer.createdAt) ?? '');
	// A creation time slightly ahead of `now` (clock skew) still counts as new.
	if (Number.isFinite(created) && nowMs(options.now) - created <= (options.newWithinDays ?? 30) * 86_400_000)
		return 'new';
	if (isEmailSubscribed(customer)) return 'engaged';
	return 'other';
}
