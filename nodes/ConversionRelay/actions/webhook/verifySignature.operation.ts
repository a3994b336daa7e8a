import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { requireCredential } from '../../../shared/credentials';
import { perItem } from '../../../shared/itemOutcomes';
import { sourceByValue, WEBHOOK_SOURCES } from './sources';
import type { HeaderBag } from './sources/types';

export const description: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: WEBHOOK_SOURCES.map((s) => ({ name: s.name, value: s.value })),
		default: 'chatwoot',
		description:
			'Who sent the webhook: decides the headers, the signed message and the credential (Chatwoot Webhook API or HubSpot Webhook API; the other credential fields can stay empty)',
	},
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://n8n.example.com/webhook/crm-deal-stage',
		displayOptions: { show: { source: WEBHOOK_SOURCES.filter((s) => s.signsUrl).map((s) => s.value) } },
		description: "The target URL exactly as entered in the sender's settings (HubSpot signs it, query string included)",
	},
	{
		displayName:
			'Put this node right after a Webhook node whose option Raw Body is on: the signature covers the exact bytes the sender sent, which the parsed body no longer has. Set the Webhook node\'s Respond to "Using \'Respond to Webhook\' Node" and this node\'s Settings → On Error to "Continue (using error output)" to answer 401 from the error output.',
		name: 'verifyNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Raw Body Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description:
			'The binary field holding the raw request body (the Webhook node\'s Raw Body option writes it to "data")',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Headers Field',
				name: 'headersField',
				type: 'string',
				default: 'headers',
				description: 'The JSON field holding the request headers (the Webhook node writes them to "headers")',
			},
			{
				displayName: 'Maximum Age (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description: 'Deliveries whose timestamp is further than this from now are refused as replays',
			},
		],
	},
];

/**
 * Checks each item's webhook signature on its raw body. A verified item comes out as the parsed
 * payload (a JSON list of objects, as HubSpot sends, as one item per object), with its source's
 * view beside it (Chatwoot: the ad a customer's message came from); a refused one is
 * that item's error (its own output with continue-on-fail or the error output, else the run stops
 * naming the item and the reason).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const value = this.getNodeParameter('source', 0) as string;
	const source = sourceByValue(value);
	if (!source) throw new NodeOperationError(this.getNode(), `Source "${value}" is not supported`);
	const secrets = source.secrets(await requireCredential.call(this, source.credential, `Source "${source.name}"`));
	return await perItem.call(this, items, async (i) => {
		const property = String(this.getNodeParameter('binaryPropertyName', i, 'data')).trim();
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		const headersField = String(options.headersField || 'headers');
		const toleranceSeconds = Number(options.toleranceSeconds) > 0 ? Number(options.toleranceSeconds) : 300;
		const fail = (reason: string) =>
			new NodeOperationError(this.getNode(), `Item ${i}: ${source.name} webhook refused: ${reason}`, { itemIndex: i });

		if (!items[i].binary?.[property])
			throw fail(`no raw body in the binary field "${property}" (turn on the Webhook node's Raw Body option)`);
		const headers = items[i].json[headersField];
		if (!headers || typeof headers !== 'object' || Array.isArray(headers))
			throw fail(`no request headers in the field "${headersField}"`);
		const rawBody = await this.helpers.getBinaryDataBuffer(i, property);

		const url = source.signsUrl ? String(this.getNodeParameter('webhookUrl', i, '')).trim() : undefined;
		const verdict = source.verify({
			rawBody,
			headers: headers as HeaderBag,
			secrets,
			toleranceSeconds,
			nowMs: Date.now(),
			url,
		});
		if (!verdict.ok) throw fail(verdict.reason);

		let payload: unknown;
		try {
			payload = JSON.parse(rawBody.toString('utf8'));
		} catch {
			throw fail('the signature is valid but the body is not JSON');
		}
		const isObject = (v: unknown): v is IDataObject => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
		if (isObject(payload)) return { ...payload, ...source.view?.(payload) };
		if (Array.isArray(payload) && payload.length > 0 && payload.every(isObject)) return payload;
		throw fail('the signature is valid but the body is neither a JSON object nor a list of objects');
	});
}
