import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { AUDIENCE_KEYS, type AudienceKey } from '../../../core/audiences/types';
import { describeValue, redactText } from '../../../core/errors/redact';
import { perItem } from '../../../shared/itemOutcomes';
import { relayApiError, relayRequest, relayUpload } from '../../../shared/transport/relay';
import { CONTENT_TYPES, fileBody, fileFormat } from './file';

const SHOPIFY_CUSTOMERS = 'shopify_customers';
const SHOPIFY_ORDERS = 'shopify_orders';
const FILE = 'file';

/** Schema keys as the editor names them; Shopify's customers fill the first nine. */
const SCHEMA_LABELS: Readonly<Record<AudienceKey, string>> = {
	EMAIL: 'Email',
	PHONE: 'Phone',
	FN: 'First Name',
	LN: 'Last Name',
	CT: 'City',
	ST: 'State',
	ZIP: 'ZIP / Postal Code',
	COUNTRY: 'Country',
	EXTERN_ID: 'External ID',
	FI: 'First Initial',
	GEN: 'Gender',
	DOBY: 'Birth Year',
	DOBM: 'Birth Month',
	DOBD: 'Birth Day',
	MADID: 'Mobile Advertiser ID',
	LOOKALIKE_VALUE: 'Customer Value',
};

const toAudience = { toAudience: [true] };

export const description: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'jobSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Customer File',
				value: FILE,
				description: 'An NDJSON or CSV file of customers from a binary field, one customer a line',
			},
			{
				name: 'Shopify Customers',
				value: SHOPIFY_CUSTOMERS,
				description:
					"Every customer of the shop, exported by Shopify and read by the service (the service's Shopify settings)",
			},
			{
				name: 'Shopify Orders of the Last 7 Days',
				value: SHOPIFY_ORDERS,
				description: 'The orders of the last seven days, e.g. to send missed Purchase events again',
			},
		],
		default: SHOPIFY_CUSTOMERS,
		description: 'What the job reads. The relay service reads it, however large: n8n only starts the job.',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { jobSource: [FILE] } },
		description: 'The binary field holding the file, streamed to the service as it is',
		hint: 'E.g. the output of Read/Write Files from Disk or of an HTTP Request that downloads the file',
	},
	{
		displayName: 'File Format',
		name: 'fileFormat',
		type: 'options',
		displayOptions: { show: { jobSource: [FILE] } },
		options: [
			{ name: 'CSV', value: 'csv', description: 'Comma-separated, with a header line' },
			{
				name: 'Detect From the File',
				value: 'detect',
				description: 'From its extension (.ndjson, .jsonl, .csv), else its MIME type',
			},
			{ name: 'NDJSON', value: 'ndjson', description: 'One JSON object a line' },
		],
		default: 'detect',
		hint: "Columns (a CSV's header, or each NDJSON object's keys): email, phone, first_name, last_name, city, state, zip, country, external_id; others are ignored",
	},
	{
		displayName: 'Meta Custom Audience',
		name: 'toAudience',
		type: 'boolean',
		default: true,
		description: 'Whether to send the customers to a Meta Custom Audience, normalized and hashed by the service',
	},
	{
		displayName: 'Audience ID',
		name: 'audienceId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: toAudience },
		description: "The Custom Audience's numeric ID (a customer list audience)",
	},
	{
		displayName: 'Audience Mode',
		name: 'audienceMode',
		type: 'options',
		displayOptions: { show: toAudience },
		options: [
			{
				name: 'Add',
				value: 'add',
				description: 'Add these customers and keep every other member',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Take these customers out and keep every other member',
			},
			{
				name: 'Replace',
				value: 'replace',
				description:
					'Make the audience exactly these customers, in one session: whoever is no longer among them leaves; ad sets keep their learning',
			},
		],
		default: 'replace',
		hint: 'Replace for a whole shop or segment, re-run on a schedule. Add for a file of new customers. Remove for a file of people to take out (e.g. who asked not to be targeted).',
	},
	{
		displayName: 'Schema',
		name: 'audienceSchema',
		type: 'multiOptions',
		displayOptions: { show: toAudience },
		options: AUDIENCE_KEYS.map((key) => ({ name: `${SCHEMA_LABELS[key]} (${key})`, value: key })).sort((a, b) =>
			a.name.localeCompare(b.name),
		),
		default: ['EMAIL', 'PHONE', 'EXTERN_ID'],
		required: true,
		description:
			'The keys each row carries. Keep one schema for every upload to the same audience. Shopify gives email, phone, names, city, state, ZIP, country and its customer ID (as External ID); a removal matches best on keys that name one person (email, phone, External ID).',
	},
	{
		displayName: 'Segment',
		name: 'audienceSegment',
		type: 'options',
		displayOptions: { show: { ...toAudience, jobSource: [SHOPIFY_CUSTOMERS] } },
		options: [
			{ name: 'All Customers', value: 'all', description: 'Every customer of the shop' },
			{
				name: 'Engaged',
				value: 'engaged',
				description: 'No order, not new, subscribed to email marketing',
			},
			{ name: 'Existing', value: 'existing', description: 'One order or more' },
			{ name: 'New', value: 'new', description: 'No order, created in the last 30 days' },
		],
		default: 'all',
		description:
			'Only the customers in this segment, as the segments workflow sorts them (checked in the order existing, new, engaged)',
	},
	{
		displayName: 'HubSpot Contacts',
		name: 'toHubSpot',
		type: 'boolean',
		default: false,
		description:
			"Whether to upsert a HubSpot contact, by email, for every customer who has one (with the relay service's HubSpot settings)",
	},
	{
		displayName: 'Purchase Events',
		name: 'toPurchaseEvents',
		type: 'boolean',
		default: true,
		displayOptions: { show: { jobSource: [SHOPIFY_ORDERS] } },
		description:
			"Whether to send every order to Meta as a Purchase event, through the service's event log like every other event",
	},
	{
		displayName: 'Pixel (Dataset) ID',
		name: 'jobPixelId',
		type: 'string',
		default: '',
		displayOptions: { show: { jobSource: [SHOPIFY_ORDERS], toPurchaseEvents: [true] } },
		description: "The pixel or dataset that receives the Purchase events. Empty: the service's META_PIXEL_ID.",
	},
	{
		displayName: 'Test Event Code',
		name: 'jobTestEventCode',
		type: 'string',
		default: '',
		displayOptions: { show: { jobSource: [SHOPIFY_ORDERS], toPurchaseEvents: [true] } },
		description: 'From Events Manager → Test events, to see the events there first. Such events are still processed.',
	},
];

interface Destinations {
	audience?: { id: string; mode: string; schema: AudienceKey[]; segment?: string };
	hubspot: boolean;
	events?: { pixel_id?: string; test_event_code?: string };
}

function digits(this: IExecuteFunctions, label: string, raw: unknown, itemIndex: number): string {
	const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!/^\d{1,30}$/.test(value))
		throw new NodeOperationError(
			this.getNode(),
			`${label} must be digits only, not ${redactText(describeValue(raw))}`,
			{ itemIndex },
		);
	return value;
}

function schemaOf(this: IExecuteFunctions, raw: unknown, itemIndex: number): AudienceKey[] {
	const keys = Array.isArray(raw) ? raw : [];
	const unknown = keys.find((k) => !(AUDIENCE_KEYS as readonly unknown[]).includes(k));
	if (unknown !== undefined)
		throw new NodeOperationError(
			this.getNode(),
			`Schema: ${redactText(describeValue(unknown))} is not a Custom Audience key`,
			{ itemIndex },
		);
	if (keys.length === 0)
		throw new NodeOperationError(this.getNode(), 'Schema: choose at least one key (e.g. Email)', { itemIndex });
	return [...new Set(keys as AudienceKey[])];
}

/** What the item asks for, checked before anything is sent. */
function destinations(this: IExecuteFunctions, source: string, itemIndex: number): Destinations {
	const param = (name: string, fallback: unknown) => this.getNodeParameter(name, itemIndex, fallback as never);
	const out: Destinations = { hubspot: param('toHubSpot', false) === true };
	if (param('toAudience', true) === true) {
		const mode = String(param('audienceMode', 'replace'));
		if (!['add', 'remove', 'replace'].includes(mode))
			throw new NodeOperationError(
				this.getNode(),
				`Audience mode must be add, remove or replace, not ${redactText(describeValue(mode))}`,
				{ itemIndex },
			);
		const segment = source === SHOPIFY_CUSTOMERS ? String(param('audienceSegment', 'all')) : 'all';
		if (!['all', 'new', 'engaged', 'existing'].includes(segment))
			throw new NodeOperationError(
				this.getNode(),
				`Segment must be all, new, engaged or existing, not ${redactText(describeValue(segment))}`,
				{ itemIndex },
			);
		out.audience = {
			id: digits.call(this, 'Audience ID', param('audienceId', ''), itemIndex),
			mode,
			schema: schemaOf.call(this, param('audienceSchema', []), itemIndex),
			...(segment === 'all' ? {} : { segment }),
		};
	}
	if (source === SHOPIFY_ORDERS && param('toPurchaseEvents', true) === true) {
		const pixel = param('jobPixelId', '');
		const code = String(param('jobTestEventCode', '') ?? '').trim();
		out.events = {
			...(String(pixel ?? '').trim() ? { pixel_id: digits.call(this, 'Pixel (Dataset) ID', pixel, itemIndex) } : {}),
			...(code ? { test_event_code: code.slice(0, 100) } : {}),
		};
	}
	if (!out.audience && !out.hubspot && !out.events)
		throw new NodeOperationError(
			this.getNode(),
			`The job has nowhere to send the ${source === SHOPIFY_ORDERS ? 'orders' : 'customers'}: turn on ${source === SHOPIFY_ORDERS ? 'Meta Custom Audience, HubSpot Contacts or Purchase Events' : 'Meta Custom Audience or HubSpot Contacts'}`,
			{ itemIndex },
		);
	return out;
}

/** A Shopify job: the spec as JSON, signed like every other request. */
async function startShopify(this: IExecuteFunctions, source: string, to: Destinations, itemIndex: number) {
	const body: IDataObject = {
		source,
		...(to.audience ? { audience: { ...to.audience } } : {}),
		...(to.hubspot ? { hubspot: true } : {}),
		...(to.events ? { events: { ...to.events } } : {}),
	};
	const response = await relayRequest.call(this, 'POST', '/v1/jobs', body);
	if (response.statusCode < 200 || response.statusCode >= 300) throw relayApiError.call(this, response, itemIndex);
	return response.body;
}

/** A file job: the spec in the query, the file as the raw body; answered once the file is received and read. */
async function startFile(this: IExecuteFunctions, to: Destinations, itemIndex: number) {
	const field = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	const binary = this.helpers.assertBinaryData(itemIndex, field);
	const format = fileFormat.call(
		this,
		String(this.getNodeParameter('fileFormat', itemIndex, 'detect')),
		binary,
		field,
		itemIndex,
	);
	const qs: IDataObject = {
		source: FILE,
		format,
		...(to.audience
			? { audience_id: to.audience.id, audience_mode: to.audience.mode, schema: to.audience.schema.join(',') }
			: {}),
		...(to.hubspot ? { hubspot: 'true' } : {}),
	};
	const { body, contentLength } = await fileBody.call(this, binary, itemIndex);
	const response = await relayUpload.call(this, '/v1/jobs', qs, {
		body,
		contentType: CONTENT_TYPES[format],
		contentLength,
	});
	if (response.statusCode < 200 || response.statusCode >= 300) throw relayApiError.call(this, response, itemIndex);
	return response.body;
}

/** One job per item; the output is the job as the service answers (state queued, or receiving). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const source = String(this.getNodeParameter('jobSource', i));
		if (![SHOPIFY_CUSTOMERS, SHOPIFY_ORDERS, FILE].includes(source))
			throw new NodeOperationError(this.getNode(), `Source ${redactText(describeValue(source))} is not supported`, {
				itemIndex: i,
			});
		const to = destinations.call(this, source, i);
		return source === FILE ? await startFile.call(this, to, i) : await startShopify.call(this, source, to, i);
	});
}
