import { createHmac } from 'node:crypto';
import nock from 'nock';
import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { ConversionRelay } from '../../nodes/ConversionRelay/ConversionRelay.node';
import { MetaConversionsApi } from '../../nodes/MetaConversionsApi/MetaConversionsApi.node';
import { executeContext } from '../support/executeContext';

// The Meta Conversions API and Conversion Relay nodes offer all their credentials side by side
// (none has displayOptions, none is required), so that n8n's editor keeps Delivery, Resource,
// Operation and Source in the panel. The operation asks for the one it uses: here n8n's answer
// for a type the node holds none of is reproduced (n8n-core, _getCredentials).
const GRAPH = 'https://graph.test';
const NOW = Math.floor(Date.now() / 1000);

function withCredentials(ctx: ReturnType<typeof executeContext>, selected: Record<string, IDataObject>) {
	const asked: string[] = [];
	ctx.getCredentials = (async (type: string) => {
		asked.push(type);
		if (!selected[type]) throw new NodeOperationError(ctx.getNode(), 'Node does not require credentials');
		return selected[type];
	}) as typeof ctx.getCredentials;
	return asked;
}

const metaParams = (delivery: string) => ({
	delivery,
	resource: 'event',
	operation: 'send',
	pixelId: '123456',
	eventName: 'Lead',
	actionSource: 'system_generated',
	eventTime: String(NOW),
	eventId: 'lead-1',
	eventSourceUrl: '',
	userData: { email: 'mary@example.com' },
	customData: {},
	options: {},
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Meta Conversions API: the credential of the chosen Delivery', () => {
	const meta = { accessToken: 'TOKEN', apiVersion: 'v25.0', baseUrl: GRAPH, appSecret: '' };

	it('Directly to Meta uses the Meta credential, with the relay credential field left empty', async () => {
		const scope = nock(GRAPH).post('/v25.0/123456/events').reply(200, { events_received: 1, fbtrace_id: 'T' });
		const ctx = executeContext({ params: metaParams('direct'), credentials: {} });
		const asked = withCredentials(ctx, { metaConversionRelayApi: meta });
		const [out] = await new MetaConversionsApi().execute.call(ctx);
		expect(scope.isDone()).toBe(true);
		expect(out[0].json).toMatchObject({ event_id: 'lead-1', fbtrace_id: 'T' });
		expect(new Set(asked)).toEqual(new Set(['metaConversionRelayApi']));
	});

	it('without a Meta credential, says which one to select and sends nothing', async () => {
		const ctx = executeContext({ params: metaParams('direct'), credentials: {}, continueOnFail: true });
		withCredentials(ctx, { conversionRelayApi: { baseUrl: 'http://relay.test', apiSecret: 's' } });
		await expect(new MetaConversionsApi().execute.call(ctx)).rejects.toThrow(
			'Delivery "Directly to Meta": select a Meta Graph API credential (none is selected)',
		);
	});

	it('Through the Relay Service without a relay credential says so, and never falls back to Meta', async () => {
		const ctx = executeContext({ params: metaParams('relay'), credentials: {} });
		const asked = withCredentials(ctx, { metaConversionRelayApi: meta });
		await expect(new MetaConversionsApi().execute.call(ctx)).rejects.toThrow(
			'Delivery "Through the Relay Service": select a Conversion Relay Service API credential (none is selected)',
		);
		expect(asked).toEqual(['conversionRelayApi']);
	});

	it('passes on any other credential failure as n8n gave it', async () => {
		const ctx = executeContext({ params: metaParams('direct'), credentials: {} });
		ctx.getCredentials = (async () => {
			throw new Error('Credentials could not be decrypted');
		}) as typeof ctx.getCredentials;
		await expect(new MetaConversionsApi().execute.call(ctx)).rejects.toThrow('Credentials could not be decrypted');
	});
});

describe('Conversion Relay: each operation asks for its own credential', () => {
	const SECRET = 'cw-secret-0123456789abcdef';
	function chatwootDelivery(): INodeExecutionData {
		const raw = JSON.stringify({ event: 'contact_created', id: 5 });
		const ts = NOW;
		const signature = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex')}`;
		return {
			json: { headers: { 'x-chatwoot-signature': signature, 'x-chatwoot-timestamp': String(ts) } },
			binary: { data: { data: Buffer.from(raw).toString('base64'), mimeType: 'application/json' } },
		};
	}
	function verifyContext(source: string, items: INodeExecutionData[]) {
		const ctx = executeContext({
			items,
			credentials: {},
			params: {
				resource: 'webhook',
				operation: 'verifySignature',
				source,
				binaryPropertyName: 'data',
				webhookUrl: 'https://n8n.test/webhook/x',
				options: {},
			},
		});
		Object.assign(ctx.helpers, {
			getBinaryDataBuffer: async (i: number) => Buffer.from(items[i].binary!.data.data, 'base64'),
		});
		return ctx;
	}

	it('Verify Signature (Chatwoot) needs only the Chatwoot credential', async () => {
		const ctx = verifyContext('chatwoot', [chatwootDelivery()]);
		const asked = withCredentials(ctx, { chatwootWebhookApi: { secret: SECRET, previousSecret: '' } });
		const [out] = await new ConversionRelay().execute.call(ctx);
		expect(out).toEqual([{ json: { event: 'contact_created', id: 5 }, pairedItem: { item: 0 } }]);
		expect(asked).toEqual(['chatwootWebhookApi']);
	});

	it('Verify Signature (HubSpot) with only a Chatwoot credential names the HubSpot one', async () => {
		const ctx = verifyContext('hubspot', [chatwootDelivery()]);
		withCredentials(ctx, { chatwootWebhookApi: { secret: SECRET, previousSecret: '' } });
		await expect(new ConversionRelay().execute.call(ctx)).rejects.toThrow(
			'Source "HubSpot": select a HubSpot Webhook API credential (none is selected)',
		);
	});

	it('an Event operation without the relay credential names it before any request', async () => {
		const ctx = executeContext({
			credentials: {},
			params: { resource: 'event', operation: 'get', relayEventId: 'e-1' },
		});
		withCredentials(ctx, { chatwootWebhookApi: { secret: SECRET } });
		await expect(new ConversionRelay().execute.call(ctx)).rejects.toThrow(
			'Event operations: select a Conversion Relay Service API credential (none is selected)',
		);
	});
});
