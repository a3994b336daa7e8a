import type { INodeProperties } from 'n8n-workflow';
import { CONTENT_ID_PLACEHOLDERS, DEFAULT_CONTENT_ID } from '../core/shopify/contentIds';
import { EVENT_ID_PLACEHOLDERS } from '../core/shopify/order';

const placeholders = EVENT_ID_PLACEHOLDERS.map((p) => `{${p}}`).join(', ');
const contentIdPlaceholders = CONTENT_ID_PLACEHOLDERS.map((p) => `{${p}}`).join(', ');

export const properties: INodeProperties[] = [
	{
		// "Trigger On": n8n's nodes panel lists each option of a trigger's "Trigger On" (or
		// "Events") parameter as its own trigger ("On Order Paid", …); under "Topics" it showed one.
		displayName: 'Trigger On',
		name: 'topics',
		type: 'multiOptions',
		required: true,
		default: ['orders/paid'],
		description: 'The Shopify events that start the workflow',
		options: [
			{ name: 'Customer Created', value: 'customers/create' },
			{
				name: 'Customer Data Request (Privacy)',
				value: 'customers/data_request',
				description: 'Configured in the app, not subscribed by this node',
			},
			{
				name: 'Customer Redact (Privacy)',
				value: 'customers/redact',
				description: 'Configured in the app, not subscribed by this node',
			},
			{ name: 'Customer Updated', value: 'customers/update' },
			{ name: 'Order Cancelled', value: 'orders/cancelled' },
			{ name: 'Order Created', value: 'orders/create' },
			{ name: 'Order Paid', value: 'orders/paid' },
			{ name: 'Order Updated', value: 'orders/updated' },
			{ name: 'Refund Created', value: 'refunds/create' },
			{
				name: 'Shop Redact (Privacy)',
				value: 'shop/redact',
				description: 'Configured in the app, not subscribed by this node',
			},
		],
	},
	{
		displayName:
			"Shopify lets apps subscribe to the privacy topics only in the app's configuration (compliance webhooks in the Dev Dashboard or shopify.app.toml). Enter this node's production URL there; deliveries are verified and accepted here like any other.",
		name: 'privacyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { topics: ['customers/data_request', 'customers/redact', 'shop/redact'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Content ID',
				name: 'contentId',
				type: 'string',
				default: DEFAULT_CONTENT_ID,
				placeholder: 'e.g. shopify_{country}_{product_id}_{variant_id}',
				description: `Which ID each order line gets in meta.custom_data.contents and content_ids: the IDs of the catalog your ads use. variant_id, product_id, sku, or a template of ${contentIdPlaceholders} ({country}: the order's country code from its shipping, else billing address, upper case; {country_lower}: lower case). A line without that value is left out.`,
			},
			{
				displayName: 'Event ID Template',
				name: 'eventIdTemplate',
				type: 'string',
				default: '{id}',
				description: `Meta event_id of an order, from ${placeholders}. Must match the eventID the storefront pixel sends, or Meta counts the purchase twice.`,
			},
			{
				displayName: 'Hash User Data',
				name: 'hashUserData',
				type: 'boolean',
				default: true,
				description:
					'Whether meta.user_data is SHA-256 hashed as Meta expects; off shows the normalized values, for checking',
			},
			{
				displayName: 'Order Value',
				name: 'valueField',
				type: 'options',
				default: 'total_price',
				description: 'Which Shopify amount becomes meta.custom_data.value',
				options: [
					{ name: 'Current Total Price (After Edits and Refunds)', value: 'current_total_price' },
					{ name: 'Subtotal Price', value: 'subtotal_price' },
					{ name: 'Total Price', value: 'total_price' },
				],
			},
			{
				displayName: 'Ready-Made Views',
				name: 'views',
				type: 'multiOptions',
				default: [],
				description: 'Fields added next to the payload, ready for the Meta and HubSpot nodes',
				options: [
					{
						name: 'HubSpot Contact Properties',
						value: 'hubspotProperties',
						description: 'Hubspot.properties: standard and shopify_* contact properties',
					},
					{
						name: 'Meta Custom Data',
						value: 'metaCustomData',
						description: 'Meta.custom_data: value, currency, contents, order_id',
					},
					{
						name: 'Meta Event ID',
						value: 'metaEventId',
						description: 'Meta.event_id, for deduplication with the pixel',
					},
					{
						name: 'Meta User Data',
						value: 'metaUserData',
						description: 'Meta.user_data: normalized identifiers, hashed unless turned off',
					},
				],
			},
		],
	},
];
