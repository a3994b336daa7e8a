/** Shapes of the Meta Conversions API (POST /{version}/{pixel_id}/events). */

export const ACTION_SOURCES = [
	'email',
	'website',
	'app',
	'phone_call',
	'chat',
	'physical_store',
	'system_generated',
	'business_messaging',
	'other',
] as const;
export type ActionSource = (typeof ACTION_SOURCES)[number];

/** Where a business_messaging event's chat happened (messaging.ts has what each one requires). */
export const MESSAGING_CHANNELS = ['whatsapp', 'messenger', 'instagram'] as const;
export type MessagingChannel = (typeof MESSAGING_CHANNELS)[number];

/** user_data keys Meta wants normalized and SHA-256 hashed. */
export const HASHED_USER_DATA_KEYS = [
	'em',
	'ph',
	'fn',
	'ln',
	'ge',
	'db',
	'ct',
	'st',
	'zp',
	'country',
	'external_id',
] as const;
export type HashedUserDataKey = (typeof HASHED_USER_DATA_KEYS)[number];

/** user_data keys Meta wants as they are: never hashed, never lowercased. */
export const PLAIN_USER_DATA_KEYS = [
	'client_ip_address',
	'client_user_agent',
	'fbc',
	'fbp',
	'subscription_id',
	'fb_login_id',
	'lead_id',
	'anon_id',
	'madid',
	'page_id',
	'page_scoped_user_id',
	'ctwa_clid',
	'whatsapp_business_account_id',
	'ig_account_id',
	'ig_sid',
] as const;
export type PlainUserDataKey = (typeof PLAIN_USER_DATA_KEYS)[number];

/** Raw identifiers as a source gives them: strings, numbers or lists of them, possibly pre-hashed. */
export type RawUserData = Partial<Record<HashedUserDataKey, unknown>> & Partial<Record<PlainUserDataKey, unknown>>;

/** user_data as sent to Meta: hashed keys are arrays of 64-char lowercase hex. */
export type UserData = Partial<Record<HashedUserDataKey, string[]>> & Partial<Record<PlainUserDataKey, string>>;

export interface Content {
	id: string;
	quantity?: number;
	item_price?: number;
	title?: string;
	delivery_category?: 'in_store' | 'curbside' | 'home_delivery';
}

export interface CustomData {
	value?: number;
	currency?: string;
	content_ids?: string[];
	contents?: Content[];
	content_type?: 'product' | 'product_group';
	content_name?: string;
	content_category?: string;
	num_items?: number;
	order_id?: string;
	search_string?: string;
	predicted_ltv?: number;
	net_revenue?: number;
	delivery_category?: string;
	status?: string;
	/** "crm" for Meta's CRM integration, with lead_event_source the CRM's name (crm.ts). */
	event_source?: string;
	lead_event_source?: string;
	[key: string]: unknown;
}

export interface ServerEvent {
	event_name: string;
	event_time: number;
	action_source: ActionSource;
	/** Only with action_source business_messaging, and required there. */
	messaging_channel?: MessagingChannel;
	user_data: UserData;
	event_id?: string;
	event_source_url?: string;
	referrer_url?: string;
	opt_out?: boolean;
	custom_data?: CustomData;
	data_processing_options?: string[];
	data_processing_options_country?: number;
	data_processing_options_state?: number;
}

/** An event before hashing: what the Shopify mapping and the nodes produce. */
export interface RawServerEvent extends Omit<ServerEvent, 'user_data'> {
	user_data: RawUserData;
}
