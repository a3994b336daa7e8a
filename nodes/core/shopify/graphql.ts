/**
 * Admin GraphQL (API 2025-10) customers and orders in the REST field names of Shopify's webhooks,
 * so a customer read by query or bulk operation and one delivered by a webhook go through the same
 * mappers (customerToAudienceRecord, orderToPurchaseEvent, the HubSpot properties). Also the bulk
 * query documents the service's sync jobs run. Plain objects only: the nodes and the service share it.
 */
import type { Address, Customer, LineItem, NoteAttribute, Order } from './types';

type Nullable<T> = T | null | undefined;

export interface GraphqlMoney {
	amount?: Nullable<string>;
	currencyCode?: Nullable<string>;
}

/** MailingAddress. */
export interface GraphqlAddress {
	firstName?: Nullable<string>;
	lastName?: Nullable<string>;
	company?: Nullable<string>;
	address1?: Nullable<string>;
	address2?: Nullable<string>;
	city?: Nullable<string>;
	province?: Nullable<string>;
	provinceCode?: Nullable<string>;
	zip?: Nullable<string>;
	country?: Nullable<string>;
	countryCodeV2?: Nullable<string>;
	phone?: Nullable<string>;
}

/** A customer as Admin GraphQL returns it (the node's CUSTOMER_FIELDS, or the bulk customers query). */
export interface GraphqlCustomer {
	id: string;
	legacyResourceId?: Nullable<string>;
	firstName?: Nullable<string>;
	lastName?: Nullable<string>;
	state?: Nullable<string>;
	verifiedEmail?: Nullable<boolean>;
	taxExempt?: Nullable<boolean>;
	note?: Nullable<string>;
	tags?: Nullable<string[]>;
	createdAt?: Nullable<string>;
	updatedAt?: Nullable<string>;
	/** UnsignedInt64: a string in JSON. */
	numberOfOrders?: Nullable<string | number>;
	amountSpent?: Nullable<GraphqlMoney>;
	lastOrder?: Nullable<{
		id?: Nullable<string>;
		legacyResourceId?: Nullable<string>;
		name?: Nullable<string>;
		processedAt?: Nullable<string>;
	}>;
	defaultEmailAddress?: Nullable<{ emailAddress?: Nullable<string>; marketingState?: Nullable<string> }>;
	defaultPhoneNumber?: Nullable<{ phoneNumber?: Nullable<string>; marketingState?: Nullable<string> }>;
	defaultAddress?: Nullable<GraphqlAddress>;
}

export interface GraphqlLineItem {
	id: string;
	name?: Nullable<string>;
	title?: Nullable<string>;
	sku?: Nullable<string>;
	quantity?: Nullable<number>;
	currentQuantity?: Nullable<number>;
	originalUnitPriceSet?: Nullable<{ shopMoney?: Nullable<GraphqlMoney> }>;
	variant?: Nullable<{ id?: Nullable<string>; legacyResourceId?: Nullable<string> }>;
	product?: Nullable<{ id?: Nullable<string>; legacyResourceId?: Nullable<string>; tags?: Nullable<string[]> }>;
}

/**
 * An order: the node's GET_ORDER fields, and the bulk orders query's (buyer, addresses, amounts,
 * cart attributes, the visit that converted). Line items come as `nodes` from a query, and are
 * gathered from the JSONL's child lines for a bulk operation.
 */
export interface GraphqlOrder {
	id: string;
	legacyResourceId?: Nullable<string>;
	name?: Nullable<string>;
	email?: Nullable<string>;
	phone?: Nullable<string>;
	createdAt?: Nullable<string>;
	processedAt?: Nullable<string>;
	updatedAt?: Nullable<string>;
	cancelledAt?: Nullable<string>;
	test?: Nullable<boolean>;
	tags?: Nullable<string[]>;
	currencyCode?: Nullable<string>;
	presentmentCurrencyCode?: Nullable<string>;
	totalPriceSet?: Nullable<{ shopMoney?: Nullable<GraphqlMoney> }>;
	subtotalPriceSet?: Nullable<{ shopMoney?: Nullable<GraphqlMoney> }>;
	currentTotalPriceSet?: Nullable<{ shopMoney?: Nullable<GraphqlMoney> }>;
	statusPageUrl?: Nullable<string>;
	customAttributes?: Nullable<Array<{ key?: Nullable<string>; value?: Nullable<string> }>>;
	customerJourneySummary?: Nullable<{
		lastVisit?: Nullable<{ landingPage?: Nullable<string>; referrerUrl?: Nullable<string> }>;
	}>;
	billingAddress?: Nullable<GraphqlAddress>;
	shippingAddress?: Nullable<GraphqlAddress>;
	customer?: Nullable<GraphqlCustomer>;
	lineItems?: Nullable<{
		nodes?: Nullable<GraphqlLineItem[]>;
		edges?: Nullable<Array<{ node: GraphqlLineItem }>>;
	}>;
}

/** The number at the end of a gid, exact as text (ids pass 2^53). */
export const legacyId = (gid: Nullable<string>, legacy?: Nullable<string>): string | null =>
	legacy ?? /\/(\d+)$/.exec(gid ?? '')?.[1] ?? null;

/** An UnsignedInt64 as a number while it is exact, else the text. */
function count(value: Nullable<string | number>): number | string | null {
	if (value === null || value === undefined || value === '') return null;
	const n = Number(value);
	return Number.isSafeInteger(n) ? n : String(value);
}

const lower = (value: Nullable<string>): string | null => (value ? value.toLowerCase() : null);

export function addressFromGraphql(a: GraphqlAddress): Address {
	return {
		first_name: a.firstName ?? null,
		last_name: a.lastName ?? null,
		company: a.company ?? null,
		address1: a.address1 ?? null,
		address2: a.address2 ?? null,
		city: a.city ?? null,
		province: a.province ?? null,
		province_code: a.provinceCode ?? null,
		zip: a.zip ?? null,
		country: a.country ?? null,
		country_code: a.countryCodeV2 ?? null,
		phone: a.phone ?? null,
	};
}

/** A customer in webhook field names, with the two fields no webhook type names. */
export interface CustomerFromGraphql extends Customer {
	tax_exempt: boolean | null;
	note: string | null;
}

/**
 * A GraphQL customer in the shape of Shopify's customer webhooks (REST field names: email,
 * first_name, orders_count, total_spent, default_address…), so the same expressions and the
 * HubSpot and Meta mappings read a looked-up customer and a delivered one alike. Ids are text.
 */
export function customerFromGraphql(c: GraphqlCustomer): CustomerFromGraphql {
	return {
		id: legacyId(c.id, c.legacyResourceId),
		admin_graphql_api_id: c.id,
		email: c.defaultEmailAddress?.emailAddress ?? null,
		phone: c.defaultPhoneNumber?.phoneNumber ?? null,
		first_name: c.firstName ?? null,
		last_name: c.lastName ?? null,
		state: lower(c.state),
		verified_email: c.verifiedEmail ?? null,
		tax_exempt: c.taxExempt ?? null,
		note: c.note ?? null,
		tags: (c.tags ?? []).join(', '),
		created_at: c.createdAt ?? null,
		updated_at: c.updatedAt ?? null,
		orders_count: count(c.numberOfOrders),
		total_spent: c.amountSpent?.amount ?? null,
		currency: c.amountSpent?.currencyCode ?? null,
		last_order_id: c.lastOrder ? legacyId(c.lastOrder.id, c.lastOrder.legacyResourceId) : null,
		last_order_name: c.lastOrder?.name ?? null,
		email_marketing_consent: c.defaultEmailAddress ? { state: lower(c.defaultEmailAddress.marketingState) } : null,
		sms_marketing_consent: c.defaultPhoneNumber ? { state: lower(c.defaultPhoneNumber.marketingState) } : null,
		default_address: c.defaultAddress ? addressFromGraphql(c.defaultAddress) : null,
	};
}

export interface OrderSummaryLine extends LineItem {
	admin_graphql_api_id: string;
	/** The product's tags: in no webhook, read for filtering. */
	product_tags: string[];
}

export interface OrderSummary extends Order {
	customer: CustomerFromGraphql | null;
	line_items: OrderSummaryLine[];
}

function lineItemsOf(o: GraphqlOrder): GraphqlLineItem[] {
	const connection = o.lineItems;
	if (!connection) return [];
	if (Array.isArray(connection.nodes)) return connection.nodes;
	return Array.isArray(connection.edges) ? connection.edges.map((edge) => edge.node) : [];
}

/**
 * An order's summary in webhook field names: its totals, its customer as customerFromGraphql gives
 * it (with Shopify's current order count and total spent, which order webhooks no longer carry)
 * and its lines with their products' tags (`product_tags`, not in any webhook).
 */
export function orderSummaryFromGraphql(o: GraphqlOrder): OrderSummary {
	const money = o.totalPriceSet?.shopMoney;
	return {
		id: legacyId(o.id, o.legacyResourceId),
		admin_graphql_api_id: o.id,
		name: o.name ?? null,
		created_at: o.createdAt ?? null,
		processed_at: o.processedAt ?? null,
		updated_at: o.updatedAt ?? null,
		test: o.test ?? null,
		tags: (o.tags ?? []).join(', '),
		total_price: money?.amount ?? null,
		currency: money?.currencyCode ?? null,
		customer: o.customer ? customerFromGraphql(o.customer) : null,
		line_items: lineItemsOf(o).map((line) => ({
			id: legacyId(line.id),
			admin_graphql_api_id: line.id,
			name: line.name ?? null,
			title: line.title ?? null,
			sku: line.sku ?? null,
			quantity: line.quantity ?? null,
			variant_id: line.variant ? legacyId(line.variant.id, line.variant.legacyResourceId) : null,
			product_id: line.product ? legacyId(line.product.id, line.product.legacyResourceId) : null,
			product_tags: line.product?.tags ?? [],
		})),
	};
}

/**
 * The whole order as the webhook names it, for the Purchase event and the HubSpot contact: the
 * summary plus the buyer's e-mail and phone, both addresses, the amounts, cart attributes
 * (note_attributes, where themes copy _fbp / _fbc), the converting visit's landing page and
 * referrer (landing_site, referring_site) and each line's unit price.
 */
export function orderFromGraphql(o: GraphqlOrder): OrderSummary {
	const summary = orderSummaryFromGraphql(o);
	const lines = lineItemsOf(o);
	const visit = o.customerJourneySummary?.lastVisit;
	const attributes: NoteAttribute[] = (o.customAttributes ?? []).map((a) => ({
		name: a?.key ?? null,
		value: a?.value ?? null,
	}));
	return {
		...summary,
		email: o.email ?? null,
		phone: o.phone ?? null,
		cancelled_at: o.cancelledAt ?? null,
		// The shop's currency, as total_price is in it; the buyer's only when Shopify gives no other.
		currency: summary.currency ?? o.currencyCode ?? null,
		presentment_currency: o.presentmentCurrencyCode ?? null,
		subtotal_price: o.subtotalPriceSet?.shopMoney?.amount ?? null,
		current_total_price: o.currentTotalPriceSet?.shopMoney?.amount ?? null,
		order_status_url: o.statusPageUrl ?? null,
		landing_site: visit?.landingPage ?? null,
		referring_site: visit?.referrerUrl ?? null,
		note_attributes: attributes,
		billing_address: o.billingAddress ? addressFromGraphql(o.billingAddress) : null,
		shipping_address: o.shippingAddress ? addressFromGraphql(o.shippingAddress) : null,
		line_items: summary.line_items.map((line, i) => ({
			...line,
			current_quantity: lines[i].currentQuantity ?? null,
			price: lines[i].originalUnitPriceSet?.shopMoney?.amount ?? null,
		})),
	};
}

// ---- Bulk operation queries --------------------------------------------------------------------

/**
 * Without the `first` arguments a paged query needs: a bulk operation reads the whole connection.
 * Only what the audience, HubSpot and segment mappings use is asked for (no street lines, notes
 * or tags), so the file holds no more personal data than the destinations receive.
 */
const BULK_ADDRESS = 'firstName lastName city province provinceCode zip country countryCodeV2 phone';

const BULK_CUSTOMER_FIELDS = [
	'id legacyResourceId firstName lastName createdAt updatedAt numberOfOrders',
	'amountSpent { amount currencyCode }',
	'lastOrder { id legacyResourceId name processedAt }',
	'defaultEmailAddress { emailAddress marketingState }',
	'defaultPhoneNumber { phoneNumber marketingState }',
	`defaultAddress { ${BULK_ADDRESS} }`,
].join(' ');

/** Every customer of the shop, one JSONL line each. */
export function bulkCustomersQuery(): string {
	return `{ customers { edges { node { ${BULK_CUSTOMER_FIELDS} } } } }`;
}

// An ISO 8601 instant as Date#toISOString writes it, or with seconds and an offset: nothing that
// could close the search string or the query around it.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const BULK_ORDER_FIELDS = [
	'id legacyResourceId name email phone createdAt processedAt updatedAt cancelledAt test',
	'currencyCode presentmentCurrencyCode statusPageUrl',
	'totalPriceSet { shopMoney { amount currencyCode } }',
	'subtotalPriceSet { shopMoney { amount currencyCode } }',
	'currentTotalPriceSet { shopMoney { amount currencyCode } }',
	'customAttributes { key value }',
	'customerJourneySummary { lastVisit { landingPage referrerUrl } }',
	`billingAddress { ${BULK_ADDRESS} }`,
	`shippingAddress { ${BULK_ADDRESS} }`,
	'customer { id legacyResourceId firstName lastName numberOfOrders amountSpent { amount currencyCode }',
	'lastOrder { id legacyResourceId } defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber }',
	`defaultAddress { ${BULK_ADDRESS} } }`,
].join(' ');

const BULK_LINE_FIELDS =
	'id name title sku quantity currentQuantity originalUnitPriceSet { shopMoney { amount currencyCode } } variant { id legacyResourceId } product { id legacyResourceId }';

/**
 * Orders created at or after `sinceIso`, their line items as a nested connection (child lines
 * with __parentId in the file). Throws on a time that is not an ISO 8601 instant.
 */
export function bulkOrdersQuery(sinceIso: string): string {
	if (!ISO_INSTANT.test(sinceIso) || !Number.isFinite(Date.parse(sinceIso)))
		throw new Error('bulkOrdersQuery: since must be an ISO 8601 time such as 2025-10-01T00:00:00Z');
	const search = `created_at:>='${sinceIso}'`;
	return `{ orders(query: ${JSON.stringify(search)}) { edges { node { ${BULK_ORDER_FIELDS} lineItems { edges { node { ${BULK_LINE_FIELDS} } } } } } } }`;
}
