import type { RawAudienceRecord } from '../audiences/types';
import type { RawServerEvent, RawUserData } from '../capi/types';
import type { Address, Customer } from './types';
import { compact, present } from '../values';

function address(customer: Customer): Address {
	return customer.default_address ?? customer.addresses?.[0] ?? {};
}

export function customerToUserData(customer: Customer): RawUserData {
	const a = address(customer);
	return compact({
		em: present(customer.email),
		ph: present(customer.phone) ?? present(a.phone),
		fn: present(customer.first_name) ?? present(a.first_name),
		ln: present(customer.last_name) ?? present(a.last_name),
		ct: present(a.city),
		st: present(a.province_code) ?? present(a.province),
		zp: present(a.zip),
		country: present(a.country_code) ?? present(a.country),
		external_id: present(customer.id),
	});
}

export function customerToAudienceRecord(customer: Customer): RawAudienceRecord {
	const ud = customerToUserData(customer);
	return compact({
		EMAIL: ud.em,
		PHONE: ud.ph,
		FN: ud.fn,
		LN: ud.ln,
		CT: ud.ct,
		ST: ud.st,
		ZIP: ud.zp,
		COUNTRY: ud.country,
		EXTERN_ID: ud.external_id,
	});
}

/**
 * A new customer as a Lead or CompleteRegistration. No browser context arrives with the
 * webhook, so the honest action_source is system_generated (website would demand a URL and UA).
 */
export function customerToEvent(customer: Customer, eventName: 'Lead' | 'CompleteRegistration' = 'Lead', now = Math.floor(Date.now() / 1000)): RawServerEvent {
	const created = Date.parse(customer.created_at ?? '');
	const event: RawServerEvent = {
		event_name: eventName,
		event_time: Number.isFinite(created) ? Math.floor(created / 1000) : now,
		action_source: 'system_generated',
		user_data: customerToUserData(customer),
	};
	const id = present(customer.id);
	if (id) event.event_id = `customer_${id}`;
	return event;
}

export type Segment = 'existing' | 'new' | 'engaged' | 'other';

function orderCount(customer: Customer & { numberOfOrders?: unknown }): number {
	const n = Number(customer.orders_count ?? customer.numberOfOrders ?? 0);
	return Number.isFinite(n) ? n : 0;
}

function subscribed(customer: Customer): boolean {
	return customer.email_marketing_consent?.state === 'subscribed' || customer.accepts_marketing === true;
}

/**
 * existing: one order or more; new: no order, created within `newWithinDays`; engaged: no order,
 * subscribed to e-mail, not new; other: the rest. Each is reachable (tested).
 */
export function classifyCustomerSegment(customer: Customer, options: { now?: number; newWithinDays?: number } = {}): Segment {
	if (orderCount(customer) >= 1) return 'existing';
	const now = options.now ?? Date.now();
	const created = Date.parse(customer.created_at ?? '');
	if (Number.isFinite(created) && now - created <= (options.newWithinDays ?? 30) * 86_400_000) return 'new';
	if (subscribed(customer)) return 'engaged';
	return 'other';
}
