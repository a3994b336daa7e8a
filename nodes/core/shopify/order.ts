import type { Content, CustomData, RawServerEvent, RawUserData } from '../capi/types';
import { extractClickIds } from './clickIds';
import type { Address, Order } from './types';
import { amount, compact, present } from '../values';

export interface OrderEventOptions {
	eventName?: string;
	/** Placeholders {id} {order_number} {name} {checkout_token} {cart_token} {admin_graphql_api_id}. */
	eventIdTemplate?: string;
	/** Which Shopify amount is the event's value. */
	valueField?: 'total_price' | 'subtotal_price' | 'current_total_price';
	/** The shop's domain (X-Shopify-Shop-Domain), to make a relative landing_site absolute. */
	shopDomain?: string;
	/** Fallback event time (unix seconds) when the order carries no usable date. */
	now?: number;
}

/** Fill an event id template; an unknown or empty placeholder makes the id empty (not a half id). */
export function eventIdFrom(order: Order, template = '{id}'): string | undefined {
	let missing = false;
	const id = template.replace(/\{(\w+)\}/g, (_m, key: string) => {
		const value = present((order as Record<string, unknown>)[key]);
		if (value === undefined) missing = true;
		return value ?? '';
	});
	return missing ? undefined : present(id);
}

function absoluteUrl(order: Order, shopDomain?: string): string | undefined {
	const landing = present(order.landing_site);
	if (!landing) return undefined;
	if (/^https?:\/\//i.test(landing)) return landing;
	const origin = shopDomain ? `https://${shopDomain.replace(/^https?:\/\//, '').replace(/\/+$/, '')}` : present(order.order_status_url)?.match(/^https?:\/\/[^/]+/)?.[0];
	if (!origin || !landing.startsWith('/')) return undefined;
	return `${origin}${landing}`;
}

function firstWith(field: keyof Address, ...addresses: Array<Address | null | undefined>): string | undefined {
	for (const address of addresses) {
		const value = present(address?.[field]);
		if (value) return value;
	}
	return undefined;
}

/** Raw identifiers of the buyer: order fields first, then the customer, then the addresses. */
export function orderUserData(order: Order, createdAtMs?: number): RawUserData {
	const c = order.customer;
	const billing = order.billing_address;
	const shipping = order.shipping_address;
	const candidates: RawUserData = {
		em: present(order.email) ?? present(c?.email) ?? present(order.contact_email),
		ph: present(order.phone) ?? present(c?.phone) ?? firstWith('phone', billing, shipping),
		fn: firstWith('first_name', billing, c, shipping),
		ln: firstWith('last_name', billing, c, shipping),
		ct: firstWith('city', billing, shipping),
		st: firstWith('province_code', billing, shipping) ?? firstWith('province', billing, shipping),
		zp: firstWith('zip', billing, shipping),
		country: firstWith('country_code', billing, shipping) ?? firstWith('country', billing, shipping),
		external_id: present(c?.id),
		client_ip_address: present(order.client_details?.browser_ip),
		client_user_agent: present(order.client_details?.user_agent),
		...extractClickIds(order, createdAtMs),
	};
	delete (candidates as Record<string, unknown>).fbclid;
	return compact(candidates);
}

export function orderCustomData(order: Order, valueField: OrderEventOptions['valueField'] = 'total_price'): CustomData {
	const contents: Content[] = [];
	let numItems = 0;
	for (const item of order.line_items ?? []) {
		const id = present(item?.variant_id) ?? present(item?.product_id) ?? present(item?.sku);
		const quantity = typeof item?.quantity === 'number' ? item.quantity : 1;
		numItems += quantity;
		if (!id) continue;
		const content: Content = { id, quantity };
		const price = amount(item?.price);
		if (price !== undefined) content.item_price = price;
		contents.push(content);
	}
	const data: CustomData = {};
	const value = amount(order[valueField]) ?? amount(order.total_price);
	if (value !== undefined) data.value = value;
	const currency = present(order.currency) ?? present(order.presentment_currency);
	if (currency) data.currency = currency.toUpperCase();
	if (contents.length) {
		data.contents = contents;
		data.content_ids = contents.map((c) => c.id);
		data.content_type = 'product';
	}
	if (numItems) data.num_items = numItems;
	const orderId = present(order.id);
	if (orderId) data.order_id = orderId;
	return data;
}

/** A Shopify order as a Purchase event, unhashed: the normalizer hashes the identifiers later. */
export function orderToPurchaseEvent(order: Order, options: OrderEventOptions = {}): RawServerEvent {
	const when = Date.parse(order.processed_at ?? '') || Date.parse(order.created_at ?? '');
	const createdMs = Date.parse(order.created_at ?? '') || undefined;
	const event: RawServerEvent = {
		event_name: options.eventName ?? 'Purchase',
		event_time: Number.isFinite(when) && when > 0 ? Math.floor(when / 1000) : (options.now ?? Math.floor(Date.now() / 1000)),
		action_source: 'website',
		user_data: orderUserData(order, createdMs),
		custom_data: orderCustomData(order, options.valueField),
	};
	const eventId = eventIdFrom(order, options.eventIdTemplate);
	if (eventId) event.event_id = eventId;
	const url = absoluteUrl(order, options.shopDomain);
	if (url) event.event_source_url = url;
	return event;
}
