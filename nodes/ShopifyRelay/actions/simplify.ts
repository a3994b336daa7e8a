import type { IDataObject } from 'n8n-workflow';

/** A customer as Admin GraphQL returns it with CUSTOMER_FIELDS. */
export interface GraphqlCustomer {
	id: string;
	legacyResourceId?: string | null;
	firstName?: string | null;
	lastName?: string | null;
	state?: string | null;
	verifiedEmail?: boolean | null;
	taxExempt?: boolean | null;
	note?: string | null;
	tags?: string[] | null;
	createdAt?: string | null;
	updatedAt?: string | null;
	numberOfOrders?: string | number | null;
	amountSpent?: { amount?: string | null; currencyCode?: string | null } | null;
	lastOrder?: {
		id?: string | null;
		legacyResourceId?: string | null;
		name?: string | null;
		processedAt?: string | null;
	} | null;
	defaultEmailAddress?: { emailAddress?: string | null; marketingState?: string | null } | null;
	defaultPhoneNumber?: { phoneNumber?: string | null; marketingState?: string | null } | null;
	defaultAddress?: {
		firstName?: string | null;
		lastName?: string | null;
		company?: string | null;
		address1?: string | null;
		address2?: string | null;
		city?: string | null;
		province?: string | null;
		provinceCode?: string | null;
		zip?: string | null;
		country?: string | null;
		countryCodeV2?: string | null;
		phone?: string | null;
	} | null;
}

export interface GraphqlOrder {
	id: string;
	legacyResourceId?: string | null;
	name?: string | null;
	createdAt?: string | null;
	processedAt?: string | null;
	updatedAt?: string | null;
	test?: boolean | null;
	tags?: string[] | null;
	totalPriceSet?: { shopMoney?: { amount?: string | null; currencyCode?: string | null } | null } | null;
	customer?: GraphqlCustomer | null;
	lineItems?: {
		nodes?: Array<{
			id: string;
			name?: string | null;
			title?: string | null;
			sku?: string | null;
			quantity?: number | null;
			variant?: { id?: string | null; legacyResourceId?: string | null } | null;
			product?: { id?: string | null; legacyResourceId?: string | null; tags?: string[] | null } | null;
		}> | null;
	} | null;
}

/** The number at the end of a gid, exact as text (ids pass 2^53). */
const legacyId = (gid: string | null | undefined, legacy?: string | null): string | null =>
	legacy ?? /\/(\d+)$/.exec(gid ?? '')?.[1] ?? null;

/** An UnsignedInt64 as a number while it is exact, else the text. */
function count(value: string | number | null | undefined): number | string | null {
	if (value === null || value === undefined || value === '') return null;
	const n = Number(value);
	return Number.isSafeInteger(n) ? n : String(value);
}

const lower = (value: string | null | undefined): string | null => (value ? value.toLowerCase() : null);

function simplifyAddress(a: NonNullable<GraphqlCustomer['defaultAddress']>): IDataObject {
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

/**
 * A GraphQL customer in the shape of Shopify's customer webhooks (REST field names: email,
 * first_name, orders_count, total_spent, default_address…), so the same expressions and the
 * HubSpot and Meta operations read a looked-up customer and a delivered one alike. Ids are text.
 */
export function simplifyCustomer(c: GraphqlCustomer): IDataObject {
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
		default_address: c.defaultAddress ? simplifyAddress(c.defaultAddress) : null,
	};
}

/**
 * An order's summary in webhook field names: its totals, its customer as simplifyCustomer gives
 * it (with Shopify's current order count and total spent, which order webhooks no longer carry)
 * and its lines with their products' tags (`product_tags`, not in any webhook).
 */
export function simplifyOrder(o: GraphqlOrder): IDataObject {
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
		customer: o.customer ? simplifyCustomer(o.customer) : null,
		line_items: (o.lineItems?.nodes ?? []).map((line) => ({
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
