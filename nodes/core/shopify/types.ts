/**
 * The parts of Shopify's REST-shaped webhook payloads that matter here. Everything is optional and
 * nullable: the "send test notification" body and redacted (protected customer data) fields are
 * full of nulls, and API versions add and drop fields (2024-07+ order webhooks no longer embed
 * the customer's orders_count / total_spent).
 */

/** JSON numbers, or strings when a client kept big ids exact. Never do arithmetic on them. */
export type Id = number | string;
/** Amounts arrive as decimal strings ("598.94"); refund line items carry plain numbers. */
export type Money = string | number;
export type Maybe<T> = T | null | undefined;

export interface Address {
	first_name?: Maybe<string>;
	last_name?: Maybe<string>;
	name?: Maybe<string>;
	company?: Maybe<string>;
	address1?: Maybe<string>;
	address2?: Maybe<string>;
	phone?: Maybe<string>;
	city?: Maybe<string>;
	province?: Maybe<string>;
	province_code?: Maybe<string>;
	zip?: Maybe<string>;
	country?: Maybe<string>;
	country_code?: Maybe<string>;
}

export interface MarketingConsent {
	/** subscribed | not_subscribed | unsubscribed | pending | redacted | invalid */
	state?: Maybe<string>;
	opt_in_level?: Maybe<string>;
	consent_updated_at?: Maybe<string>;
}

export interface Customer {
	id?: Maybe<Id>;
	admin_graphql_api_id?: Maybe<string>;
	email?: Maybe<string>;
	phone?: Maybe<string>;
	first_name?: Maybe<string>;
	last_name?: Maybe<string>;
	state?: Maybe<string>;
	verified_email?: Maybe<boolean>;
	/** REST, up to API 2024-04 in order webhooks; absent in newer payloads. */
	orders_count?: Maybe<number | string>;
	total_spent?: Maybe<Money>;
	last_order_id?: Maybe<Id>;
	last_order_name?: Maybe<string>;
	/** Deprecated by Shopify in favour of email_marketing_consent; still seen. */
	accepts_marketing?: Maybe<boolean>;
	email_marketing_consent?: Maybe<MarketingConsent>;
	sms_marketing_consent?: Maybe<MarketingConsent>;
	default_address?: Maybe<Address>;
	addresses?: Maybe<Address[]>;
	tags?: Maybe<string>;
	currency?: Maybe<string>;
	created_at?: Maybe<string>;
	updated_at?: Maybe<string>;
	/** GraphQL Admin API names, for customers read by query or bulk operation. */
	numberOfOrders?: Maybe<number | string>;
	amountSpent?: Maybe<{ amount?: Maybe<Money>; currencyCode?: Maybe<string> }>;
	emailMarketingConsent?: Maybe<{ marketingState?: Maybe<string> }>;
	createdAt?: Maybe<string>;
}

export interface LineItem {
	id?: Maybe<Id>;
	product_id?: Maybe<Id>;
	variant_id?: Maybe<Id>;
	sku?: Maybe<string>;
	title?: Maybe<string>;
	name?: Maybe<string>;
	variant_title?: Maybe<string>;
	quantity?: Maybe<number>;
	/** What is left after edits and refunds. */
	current_quantity?: Maybe<number>;
	price?: Maybe<Money>;
	gift_card?: Maybe<boolean>;
}

export interface NoteAttribute {
	name?: Maybe<string>;
	value?: Maybe<string>;
}

export interface ClientDetails {
	browser_ip?: Maybe<string>;
	user_agent?: Maybe<string>;
	accept_language?: Maybe<string>;
}

export interface Transaction {
	id?: Maybe<Id>;
	order_id?: Maybe<Id>;
	parent_id?: Maybe<Id>;
	/** sale | capture | authorization | void | refund | change */
	kind?: Maybe<string>;
	/** success | failure | pending | error */
	status?: Maybe<string>;
	amount?: Maybe<Money>;
	currency?: Maybe<string>;
	gateway?: Maybe<string>;
	processed_at?: Maybe<string>;
}

export interface RefundLineItem {
	id?: Maybe<Id>;
	line_item_id?: Maybe<Id>;
	quantity?: Maybe<number>;
	restock_type?: Maybe<string>;
	subtotal?: Maybe<Money>;
	total_tax?: Maybe<Money>;
	line_item?: Maybe<LineItem>;
}

/** A refund: the refunds/create payload, and each entry of an order's refunds[]. */
export interface Refund {
	id?: Maybe<Id>;
	admin_graphql_api_id?: Maybe<string>;
	order_id?: Maybe<Id>;
	note?: Maybe<string>;
	restock?: Maybe<boolean>;
	created_at?: Maybe<string>;
	processed_at?: Maybe<string>;
	refund_line_items?: Maybe<RefundLineItem[]>;
	transactions?: Maybe<Transaction[]>;
}

export interface Order {
	id?: Maybe<Id>;
	admin_graphql_api_id?: Maybe<string>;
	order_number?: Maybe<number | string>;
	/** "#1001" */
	name?: Maybe<string>;
	email?: Maybe<string>;
	contact_email?: Maybe<string>;
	phone?: Maybe<string>;
	created_at?: Maybe<string>;
	updated_at?: Maybe<string>;
	processed_at?: Maybe<string>;
	cancelled_at?: Maybe<string>;
	cancel_reason?: Maybe<string>;
	closed_at?: Maybe<string>;
	currency?: Maybe<string>;
	presentment_currency?: Maybe<string>;
	total_price?: Maybe<Money>;
	subtotal_price?: Maybe<Money>;
	current_total_price?: Maybe<Money>;
	current_subtotal_price?: Maybe<Money>;
	total_tax?: Maybe<Money>;
	total_discounts?: Maybe<Money>;
	/** pending | authorized | partially_paid | paid | partially_refunded | refunded | voided | expired */
	financial_status?: Maybe<string>;
	fulfillment_status?: Maybe<string>;
	test?: Maybe<boolean>;
	source_name?: Maybe<string>;
	checkout_token?: Maybe<string>;
	cart_token?: Maybe<string>;
	token?: Maybe<string>;
	/** Often a path with a query ("/products/x?fbclid=…"), sometimes an absolute URL. */
	landing_site?: Maybe<string>;
	landing_site_ref?: Maybe<string>;
	referring_site?: Maybe<string>;
	order_status_url?: Maybe<string>;
	browser_ip?: Maybe<string>;
	customer_locale?: Maybe<string>;
	buyer_accepts_marketing?: Maybe<boolean>;
	note?: Maybe<string>;
	note_attributes?: Maybe<NoteAttribute[]>;
	tags?: Maybe<string>;
	client_details?: Maybe<ClientDetails>;
	customer?: Maybe<Customer>;
	billing_address?: Maybe<Address>;
	shipping_address?: Maybe<Address>;
	line_items?: Maybe<LineItem[]>;
	refunds?: Maybe<Refund[]>;
}

/** Mandatory privacy topics (customers/data_request, customers/redact, shop/redact). */
export interface PrivacyCustomer {
	id?: Maybe<Id>;
	email?: Maybe<string>;
	phone?: Maybe<string>;
}

export interface CustomersDataRequestPayload {
	shop_id?: Maybe<Id>;
	shop_domain?: Maybe<string>;
	orders_requested?: Maybe<Id[]>;
	customer?: Maybe<PrivacyCustomer>;
	data_request?: Maybe<{ id?: Maybe<Id> }>;
}

export interface CustomersRedactPayload {
	shop_id?: Maybe<Id>;
	shop_domain?: Maybe<string>;
	customer?: Maybe<PrivacyCustomer>;
	orders_to_redact?: Maybe<Id[]>;
}

export interface ShopRedactPayload {
	shop_id?: Maybe<Id>;
	shop_domain?: Maybe<string>;
}
