/** The parts of Shopify's REST-shaped webhook payloads that matter here; anything may be null. */
export type Id = number | string;
type Maybe<T> = T | null | undefined;

export interface Address {
	first_name?: Maybe<string>;
	last_name?: Maybe<string>;
	phone?: Maybe<string>;
	city?: Maybe<string>;
	province?: Maybe<string>;
	province_code?: Maybe<string>;
	zip?: Maybe<string>;
	country?: Maybe<string>;
	country_code?: Maybe<string>;
}

export interface Consent {
	state?: Maybe<string>;
}

export interface Customer {
	id?: Maybe<Id>;
	admin_graphql_api_id?: Maybe<string>;
	email?: Maybe<string>;
	phone?: Maybe<string>;
	first_name?: Maybe<string>;
	last_name?: Maybe<string>;
	state?: Maybe<string>;
	orders_count?: Maybe<number>;
	total_spent?: Maybe<string>;
	accepts_marketing?: Maybe<boolean>;
	email_marketing_consent?: Maybe<Consent>;
	sms_marketing_consent?: Maybe<Consent>;
	default_address?: Maybe<Address>;
	addresses?: Maybe<Address[]>;
	tags?: Maybe<string>;
	created_at?: Maybe<string>;
	updated_at?: Maybe<string>;
	last_order_id?: Maybe<Id>;
	last_order_name?: Maybe<string>;
	currency?: Maybe<string>;
}

export interface LineItem {
	product_id?: Maybe<Id>;
	variant_id?: Maybe<Id>;
	sku?: Maybe<string>;
	title?: Maybe<string>;
	quantity?: Maybe<number>;
	price?: Maybe<string>;
}

export interface Transaction {
	kind?: Maybe<string>;
	status?: Maybe<string>;
	amount?: Maybe<string>;
	currency?: Maybe<string>;
}

export interface Refund {
	id?: Maybe<Id>;
	order_id?: Maybe<Id>;
	created_at?: Maybe<string>;
	transactions?: Maybe<Transaction[]>;
}

export interface NoteAttribute {
	name?: Maybe<string>;
	value?: Maybe<string>;
}

export interface Order {
	id?: Maybe<Id>;
	admin_graphql_api_id?: Maybe<string>;
	order_number?: Maybe<number>;
	name?: Maybe<string>;
	email?: Maybe<string>;
	contact_email?: Maybe<string>;
	phone?: Maybe<string>;
	created_at?: Maybe<string>;
	updated_at?: Maybe<string>;
	processed_at?: Maybe<string>;
	cancelled_at?: Maybe<string>;
	currency?: Maybe<string>;
	presentment_currency?: Maybe<string>;
	total_price?: Maybe<string>;
	subtotal_price?: Maybe<string>;
	current_total_price?: Maybe<string>;
	financial_status?: Maybe<string>;
	test?: Maybe<boolean>;
	checkout_token?: Maybe<string>;
	cart_token?: Maybe<string>;
	landing_site?: Maybe<string>;
	referring_site?: Maybe<string>;
	order_status_url?: Maybe<string>;
	note_attributes?: Maybe<NoteAttribute[]>;
	client_details?: Maybe<{ browser_ip?: Maybe<string>; user_agent?: Maybe<string>; accept_language?: Maybe<string> }>;
	customer?: Maybe<Customer>;
	billing_address?: Maybe<Address>;
	shipping_address?: Maybe<Address>;
	line_items?: Maybe<LineItem[]>;
	refunds?: Maybe<Refund[]>;
}
