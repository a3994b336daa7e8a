import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';
import type { ActionSource, RawUserData } from '../../core/capi/types';

/** The Customer Information fields: n8n field name, the user_data key it fills, its label. The node maps raw values; the core normalizes and hashes. */
export const USER_DATA_FIELDS: ReadonlyArray<{
	name: string;
	key: keyof RawUserData;
	label: string;
	description?: string;
}> = [
	{ name: 'email', key: 'em', label: 'Email' },
	{ name: 'phone', key: 'ph', label: 'Phone' },
	{ name: 'firstName', key: 'fn', label: 'First Name' },
	{ name: 'lastName', key: 'ln', label: 'Last Name' },
	{ name: 'gender', key: 'ge', label: 'Gender' },
	{ name: 'dateOfBirth', key: 'db', label: 'Date of Birth' },
	{ name: 'city', key: 'ct', label: 'City' },
	{ name: 'state', key: 'st', label: 'State' },
	{ name: 'zip', key: 'zp', label: 'ZIP / Postal Code' },
	{ name: 'country', key: 'country', label: 'Country' },
	{ name: 'externalId', key: 'external_id', label: 'External ID' },
	{ name: 'clientIpAddress', key: 'client_ip_address', label: 'Client IP Address' },
	{ name: 'clientUserAgent', key: 'client_user_agent', label: 'Client User Agent' },
	{ name: 'fbc', key: 'fbc', label: 'Click ID (fbc)' },
	{ name: 'fbp', key: 'fbp', label: 'Browser ID (fbp)' },
	{
		name: 'leadId',
		key: 'lead_id',
		label: 'Lead ID',
		description:
			"The lead's ID from Meta Lead Ads (leadgen_id, 15 to 17 digits), sent unhashed: Meta's CRM integration matches CRM stages on it",
	},
	// Business messaging: the ids Meta issued for a chat opened from an ad, sent unhashed.
	{
		name: 'ctwaClid',
		key: 'ctwa_clid',
		label: 'WhatsApp Ad Click ID (ctwa_clid)',
		description: "From the referral on the chat's first message; with WhatsApp Business Account ID",
	},
	{ name: 'whatsappBusinessAccountId', key: 'whatsapp_business_account_id', label: 'WhatsApp Business Account ID' },
	{ name: 'pageId', key: 'page_id', label: 'Page ID', description: 'The Facebook Page of a Messenger chat' },
	{
		name: 'pageScopedUserId',
		key: 'page_scoped_user_id',
		label: 'Page-Scoped User ID',
		description: "The person's id on that Page (Chatwoot: the contact's source ID in the Messenger inbox)",
	},
	{ name: 'igAccountId', key: 'ig_account_id', label: 'Instagram Account ID' },
	{
		name: 'igSid',
		key: 'ig_sid',
		label: 'Instagram-Scoped User ID',
		description: "The person's id on that Instagram account (Chatwoot: the contact's source ID)",
	},
];

/** The fields of "Map Each Field Below"; mapped automatically, the item itself carries them. */
const manualMappingFields: INodeProperties[] = [
	{
		displayName: 'Event Time',
		name: 'eventTime',
		type: 'string',
		default: '',
		description: 'ISO date, unix seconds or milliseconds; empty means now. Meta refuses events older than 7 days.',
	},
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		default: '',
		description: 'Deduplicates against the browser pixel: use the same ID as its eventID (e.g. the order ID)',
	},
	{
		displayName: 'Event Source URL',
		name: 'eventSourceUrl',
		type: 'string',
		default: '',
		description: 'The page where the event happened; required for website events',
	},
	{
		displayName: 'Messaging Channel',
		name: 'messagingChannel',
		type: 'options',
		options: [
			{ name: 'Instagram', value: 'instagram', description: 'With Instagram Account ID and Instagram-Scoped User ID' },
			{ name: 'Messenger', value: 'messenger', description: 'With Page ID and Page-Scoped User ID' },
			{
				name: 'WhatsApp',
				value: 'whatsapp',
				description: 'With WhatsApp Ad Click ID and WhatsApp Business Account ID',
			},
		],
		default: 'whatsapp',
		description: 'Where the chat that came from the ad takes place; Meta requires it for business messaging',
		displayOptions: { show: { actionSource: ['business_messaging'] } },
	},
	{
		displayName: 'Customer Information',
		name: 'userData',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Raw values: the node normalizes and hashes them as Meta specifies. Already hashed values are sent as they are.',
		// n8n's variable is $json, in lower case. Kept out of `description`: n8n's lint rule
		// node-param-description-miscased-json upper-cases every "json" there (it had written $JSON).
		hint: 'E.g. Email: {{ $json.email }}',
		options: USER_DATA_FIELDS.map((f) => ({
			displayName: f.label,
			name: f.name,
			type: 'string',
			default: '',
			...(f.description ? { description: f.description } : {}),
		})),
	},
	{
		displayName: 'Custom Data',
		name: 'customData',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Content IDs',
				name: 'contentIds',
				type: 'string',
				default: '',
				description: 'Comma-separated product IDs',
			},
			{ displayName: 'Content Name', name: 'contentName', type: 'string', default: '' },
			{
				displayName: 'Content Type',
				name: 'contentType',
				type: 'options',
				options: [
					{ name: 'Product', value: 'product' },
					{ name: 'Product Group', value: 'product_group' },
				],
				default: 'product',
			},
			{
				displayName: 'Contents (JSON)',
				name: 'contents',
				type: 'json',
				default: '[]',
				description: 'Array of {ID, quantity, item_price}',
			},
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: '',
				description: 'ISO 4217 code, e.g. USD; required for Purchase',
			},
			{
				displayName: 'Event Source',
				name: 'eventSource',
				type: 'options',
				options: [
					{
						name: 'CRM',
						value: 'crm',
						description: "A CRM stage of a lead from Meta Lead Ads (Meta's CRM integration, Conversion Leads)",
					},
				],
				default: 'crm',
				description:
					'Set for CRM stage events: then Lead ID (Customer Information), Lead Event Source and Action Source System Generated are required',
			},
			{
				displayName: 'Lead Event Source',
				name: 'leadEventSource',
				type: 'string',
				default: '',
				placeholder: 'e.g. HubSpot',
				description:
					'The name of the CRM the stages come from (HubSpot, Salesforce, In-house CRM…), with Event Source CRM',
			},
			{ displayName: 'Number of Items', name: 'numItems', type: 'number', default: 0 },
			{ displayName: 'Order ID', name: 'orderId', type: 'string', default: '' },
			{
				displayName: 'Value',
				name: 'value',
				type: 'number',
				typeOptions: { numberPrecision: 2 },
				default: 0,
				description: 'Required for Purchase',
			},
		],
	},
];

/** Meta's action sources by name, sorted as n8n's lint wants them; Meta's own descriptions. */
const ACTION_SOURCE_OPTIONS: Array<{ name: string; value: ActionSource; description: string }> = [
	{ name: 'App', value: 'app', description: 'In your mobile or desktop app' },
	{
		name: 'Business Messaging',
		value: 'business_messaging',
		description: 'From an ad that clicks to Messenger, Instagram or WhatsApp',
	},
	{ name: 'Chat', value: 'chat', description: 'In a messaging app, by SMS or in an online chat' },
	{ name: 'Email', value: 'email', description: 'Over e-mail' },
	{ name: 'Other', value: 'other', description: 'In a way not listed here' },
	{ name: 'Phone Call', value: 'phone_call', description: 'Over the phone' },
	{
		name: 'Physical Store',
		value: 'physical_store',
		description: 'In person at your store (accepted up to 62 days later)',
	},
	{
		name: 'System Generated',
		value: 'system_generated',
		description: 'Recorded by a system: an order, a CRM status change, a renewal',
	},
	{
		name: 'Website',
		value: 'website',
		description: "On your website, in a visitor's browser session; needs the page URL and the user agent",
	},
];

/** The Action Source field; its default depends on the node's version. */
function actionSourceField(
	defaultValue: string,
	versions: NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>['@version'],
): INodeProperties {
	return {
		displayName: 'Action Source',
		name: 'actionSource',
		type: 'options',
		options: ACTION_SOURCE_OPTIONS,
		default: defaultValue,
		description: "Where the conversion happened. Mapped automatically, an item's own action_source wins.",
		hint: "System Generated suits orders, CRM changes and other server-side data; Chat suits chats. Choose Website only for an event from a visitor's browser session on your site: Meta then requires its page (Event Source URL, or event_source_url in the item) and the browser's user agent (Client User Agent, or client_user_agent).",
		displayOptions: { show: { '@version': versions } },
	};
}

export const sendFields: INodeProperties[] = [
	{
		displayName: 'Pixel (Dataset) ID',
		name: 'pixelId',
		type: 'string',
		default: '',
		required: true,
		description: 'The pixel or dataset that receives the events',
	},
	{
		displayName: 'Map Fields',
		name: 'mapping',
		type: 'options',
		options: [
			{
				name: 'Map Automatically',
				value: 'auto',
				description:
					'Each input item is already an event: email, phone, first_name, last_name, external_id, fbc, fbp, value, currency, event_id, event_time… or user_data and custom_data as Meta names them. Fastest: no expression is evaluated per item.',
			},
			{
				name: 'Map Each Field Below',
				value: 'manual',
				description: 'Set each field, usually with an expression that reads the input item',
			},
		],
		default: 'manual',
	},
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'options',
		options: [
			{ name: 'AddPaymentInfo', value: 'AddPaymentInfo' },
			{ name: 'AddToCart', value: 'AddToCart' },
			{ name: 'AddToWishlist', value: 'AddToWishlist' },
			{ name: 'CompleteRegistration', value: 'CompleteRegistration' },
			{ name: 'Contact', value: 'Contact' },
			{ name: 'Custom Event', value: '__custom' },
			{ name: 'CustomizeProduct', value: 'CustomizeProduct' },
			{ name: 'Donate', value: 'Donate' },
			{ name: 'FindLocation', value: 'FindLocation' },
			{ name: 'InitiateCheckout', value: 'InitiateCheckout' },
			{ name: 'Lead', value: 'Lead' },
			{ name: 'Purchase', value: 'Purchase' },
			{ name: 'Schedule', value: 'Schedule' },
			{ name: 'Search', value: 'Search' },
			{ name: 'StartTrial', value: 'StartTrial' },
			{ name: 'SubmitApplication', value: 'SubmitApplication' },
			{ name: 'Subscribe', value: 'Subscribe' },
			{ name: 'ViewContent', value: 'ViewContent' },
		],
		default: 'Purchase',
		description: "Mapped automatically, an item's own event_name wins",
	},
	{
		displayName: 'Custom Event Name',
		name: 'customEventName',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { eventName: ['__custom'] } },
	},
	// Version 1 defaulted to website, which Meta refuses without the page's URL and the browser's
	// user agent: what orders, CRM rows and chats rarely carry, so a first run failed. n8n saves a
	// parameter only when it differs from its default, so nodes placed at version 1 keep website.
	actionSourceField('website', [1]),
	actionSourceField('system_generated', [{ _cnd: { gte: 1.1 } }]),
	...updateDisplayOptions({ show: { mapping: ['manual'] } }, manualMappingFields),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 1000,
				description: 'Events per request (Meta accepts at most 1,000)',
			},
			// n8n's lint wants a collection's options sorted by display name: these names put the
			// switch before the two values it uses (they were "LDU Country" and "LDU State").
			{
				displayName: 'Limited Data Use',
				name: 'limitedDataUse',
				type: 'boolean',
				default: false,
				description:
					'Whether to flag events for Limited Data Use (US state privacy laws); Meta geolocates when country and state are 0',
			},
			{
				displayName: 'Limited Data Use Country',
				name: 'lduCountry',
				type: 'number',
				default: 0,
				description: 'With Limited Data Use on: 1 for the United States, 0 to let Meta geolocate',
			},
			{
				displayName: 'Limited Data Use State',
				name: 'lduState',
				type: 'number',
				default: 0,
				description: 'With Limited Data Use on: 1000 for California, 0 to let Meta geolocate',
			},
			{
				displayName: 'Test Event Code',
				name: 'testEventCode',
				type: 'string',
				default: '',
				description: 'From Events Manager → Test events. Such events are still processed.',
			},
		],
	},
];
