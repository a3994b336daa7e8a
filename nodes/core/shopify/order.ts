import { nowSeconds, toUnixSeconds } from '../capi/time';
import type { Content, CustomData, RawServerEvent, RawUserData } from '../capi/types';
import { amount, compact, present } from '../values';
import { extractClickIds } from './clickIds';
import { contentIdReader, DEFAULT_CONTENT_ID_RULE, type ContentIdRule } from './contentIds';
import type { Address, Order } from './types';

/** Order fields an event id template may use, as `{name}`. */
export const EVENT_ID_PLACEHOLDERS = [
	'id',
	'order_number',
	'name',
	'checkout_token',
	'cart_token',
	'admin_graphql_api_id',
] as const;
export type EventIdPlaceholder = (typeof EVENT_ID_PLACEHOLDERS)[number];

export type OrderValueField = 'total_price' | 'subtotal_price' | 'current_total_price';

export interface OrderEventOptions {
	/** Default Purchase. */
	eventName?: string;
	/** Default '{id}'. Must match what the storefront pixel sends as eventID for deduplication. */
	eventIdTemplate?: string;
	/** Which Shopify amount is the event's value; default total_price. */
	valueField?: OrderValueField;
	/** What custom_data.order_id carries; default the order id. */
	orderIdField?: 'id' | 'name' | 'order_number';
	/** Which id each line gets in contents and content_ids (parseContentIdSetting); default the variant id. */
	contentIds?: ContentIdRule;
	/** The shop's domain (X-Shopify-Shop-Domain), to make a relative landing_site absolute. */
	shopDomain?: string;
	/** Unix seconds, used when the order carries no usable date. */
	now?: number;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** What is wrong with a template, for a node to report when it is configured. Empty = usable. */
export function eventIdTemplateIssues(template: string): string[] {
	const issues: string[] = [];
	const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
	if (names.length === 0) issues.push('the template has no placeholder, so every order would get the same event_id');
	for (const name of names) {
		if (!(EVENT_ID_PLACEHOLDERS as readonly string[]).includes(name)) {
			issues.push(`unknown placeholder {${name}}; use ${EVENT_ID_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
		}
	}
	return issues;
}

/**
 * Fill an event id template. An unknown placeholder, a missing value or a template without
 * placeholders gives no event_id at all: a half-filled id such as "order_" would be shared by
 * every order, and Meta would drop all but the first as duplicates.
 */
export function eventIdFrom(order: Order, template = '{id}'): string | undefined {
	if (eventIdTemplateIssues(template).length) return undefined;
	let missing = false;
	const id = template.replace(PLACEHOLDER, (_match, name: EventIdPlaceholder) => {
		const value = present(order[name]);
		if (value === undefined) missing = true;
		return value ?? '';
	});
	return missing ? undefined : present(id);
}

function shopOrigin(order: Order, shopDomain?: string): string | undefined {
	const candidates = [
		shopDomain ? `https://${shopDomain.trim().replace(/^https?:\/\//i, '')}` : undefined,
		present(order.order_status_url),
	];
	for (const candidate of candidates) {
		if (!candidate) continue;
		try {
			const url = new URL(candidate);
			if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
		} catch {
			// not a URL: try the next one
		}
	}
	return undefined;
}

const isAbsoluteHttp = (text: string): boolean => /^https?:\/\/[^\s/?#]+/i.test(text);

/**
 * The page the buyer landed on, absolute: landing_site as given when it is already absolute,
 * else resolved against the shop's domain or the order status page's origin. A path that would
 * resolve to another host ("//elsewhere") or that cannot be resolved is left out.
 */
export function landingUrl(order: Order, shopDomain?: string): string | undefined {
	const landing = present(order.landing_site);
	if (!landing) return undefined;
	if (isAbsoluteHttp(landing)) return landing;
	const origin = shopOrigin(order, shopDomain);
	if (!origin) return undefined;
	try {
		const url = new URL(landing, origin);
		return url.origin === origin ? url.href : undefined;
	} catch {
		return undefined;
	}
}

function first(field: keyof Address, ...sources: Array<Address | null | undefined>): string | undefined {
	for (const source of sources) {
		const value = present(source?.[field]);
		if (value) return value;
	}
	return undefined;
}

const hasLocation = (a: Address | null | undefined): a is Address =>
	Boolean(
		a &&
		(present(a.city) || present(a.zip) || present(a.province_code) || present(a.country_code) || present(a.country)),
	);

// "0.0.0.0" (Shopify's sample, some POS orders) says nothing about the buyer.
const UNSPECIFIED_IP = new Set(['0.0.0.0', '::', '::0']);

/**
 * Raw identifiers of the buyer: the order's own fields, then the customer's, then the addresses.
 * City, state, zip and country come together from one address (billing, else shipping, else the
 * customer's default) so that they never describe two different places.
 */
export function orderUserData(order: Order, createdAtMs?: number): RawUserData {
	const customer = order.customer ?? undefined;
	const billing = order.billing_address;
	const shipping = order.shipping_address;
	const place = [billing, shipping, customer?.default_address].find(hasLocation);
	const ip = present(order.client_details?.browser_ip) ?? present(order.browser_ip);
	const { fbc, fbp } = extractClickIds(order, createdAtMs);
	return compact<RawUserData>({
		em: present(order.email) ?? present(customer?.email) ?? present(order.contact_email),
		ph: present(order.phone) ?? present(customer?.phone) ?? first('phone', billing, shipping),
		fn: first('first_name', billing, customer, shipping),
		ln: first('last_name', billing, customer, shipping),
		ct: present(place?.city),
		st: present(place?.province_code) ?? present(place?.province),
		zp: present(place?.zip),
		country: present(place?.country_code) ?? present(place?.country),
		external_id: present(customer?.id),
		client_ip_address: ip && !UNSPECIFIED_IP.has(ip) ? ip : undefined,
		client_user_agent: present(order.client_details?.user_agent),
		fbc,
		fbp,
	});
}

/**
 * value, currency and one content per line item, as Shopify reports them; content_ids are the
 * contents' ids, each once. A line without a content id under the rule still counts in num_items.
 */
export function orderCustomData(
	order: Order,
	options: Pick<OrderEventOptions, 'valueField' | 'orderIdField' | 'contentIds'> = {},
): CustomData {
	const contents: Content[] = [];
	let numItems = 0;
	const contentId = contentIdReader(order, options.contentIds ?? DEFAULT_CONTENT_ID_RULE);
	for (const item of Array.isArray(order.line_items) ? order.line_items : []) {
		const id = contentId(item);
		const quantity = typeof item?.quantity === 'number' && Number.isFinite(item.quantity) ? item.quantity : undefined;
		if (quantity !== undefined) numItems += quantity;
		if (!id) continue;
		contents.push(compact<Content>({ id, quantity, item_price: amount(item?.price) }));
	}
	const currency = present(order.currency) ?? present(order.presentment_currency);
	return compact<CustomData>({
		// Missing or unparsable: left out, so validation names it instead of sending NaN or 0.
		value: amount(order[options.valueField ?? 'total_price']),
		currency: currency?.toUpperCase(),
		contents: contents.length ? contents : undefined,
		content_ids: contents.length ? [...new Set(contents.map((c) => c.id))] : undefined,
		content_type: contents.length ? 'product' : undefined,
		num_items: numItems || undefined,
		order_id: present(order[options.orderIdField ?? 'id']),
	});
}

/** A Shopify order as a Purchase event, unhashed: the normalizer hashes the identifiers later. */
export function orderToPurchaseEvent(order: Order, options: OrderEventOptions = {}): RawServerEvent {
	const createdMs = Date.parse(present(order.created_at) ?? '');
	const referrer = present(order.referring_site);
	const pageUrl = landingUrl(order, options.shopDomain);
	const userData = orderUserData(order, Number.isFinite(createdMs) ? createdMs : undefined);
	return compact<RawServerEvent>({
		event_name: present(options.eventName) ?? 'Purchase',
		event_time: toUnixSeconds(order.processed_at) ?? toUnixSeconds(order.created_at) ?? options.now ?? nowSeconds(),
		// Meta requires a page and a browser of a website event; an order without them (POS,
		// draft, API, a sample) is reported as what it is.
		action_source: pageUrl && userData.client_user_agent ? 'website' : 'system_generated',
		event_id: eventIdFrom(order, options.eventIdTemplate),
		event_source_url: pageUrl,
		referrer_url: referrer && isAbsoluteHttp(referrer) ? referrer : undefined,
		user_data: userData,
		custom_data: orderCustomData(order, options),
	});
}
