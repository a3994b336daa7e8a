import { createHmac } from 'node:crypto';
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type IDataObject,
	type INodeExecutionData,
} from 'n8n-workflow';
import { ChatwootWebhookApi } from '../../credentials/ChatwootWebhookApi.credentials';
import { ConversionRelay } from '../../nodes/ConversionRelay/ConversionRelay.node';
import { executeContext } from '../support/executeContext';

const SECRET = 'cw-secret-0123456789abcdef';
const OLD_SECRET = 'cw-old-secret-9876543210fedcba';
const now = () => Math.floor(Date.now() / 1000);

// Chatwoot ≥ 4.11, written out here from its source (lib/webhooks/trigger.rb) rather than taken
// from the code under test: "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<raw body>").
const sign = (raw: string, secret: string, ts: number) =>
	`sha256=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`;

// What n8n's Webhook node (v2, option Raw Body) emits for one POST.
function delivery(raw: string, headers: Record<string, string>): INodeExecutionData {
	let body: unknown = {};
	try {
		body = JSON.parse(raw);
	} catch {
		// n8n leaves an unparseable body empty
	}
	return {
		json: {
			headers: { 'content-type': 'application/json', ...headers },
			params: {},
			query: {},
			body: body as IDataObject,
		},
		binary: { data: { data: Buffer.from(raw).toString('base64'), mimeType: 'application/json' } },
	};
}
function signed(
	payload: object,
	options: { secret?: string; ts?: number; raw?: string; delivery?: string } = {},
): INodeExecutionData {
	const raw = options.raw ?? JSON.stringify(payload);
	const ts = options.ts ?? now();
	return delivery(raw, {
		'x-chatwoot-signature': sign(raw, options.secret ?? SECRET, ts),
		'x-chatwoot-timestamp': String(ts),
		'x-chatwoot-delivery': options.delivery ?? 'd-1',
	});
}

const conversation = (id = 311) => ({
	event: 'conversation_created',
	id,
	inbox_id: 4,
	status: 'open',
	labels: [],
	account: { id: 7, name: 'Linen' },
	meta: { sender: { id: 90, name: 'Ana Souza', email: 'ana@example.com', phone_number: '+5511912345678' } },
});

function run(
	items: INodeExecutionData[],
	extra: { continueOnFail?: boolean; params?: Record<string, unknown>; credentials?: IDataObject } = {},
) {
	const ctx = executeContext({
		items,
		continueOnFail: extra.continueOnFail,
		credentials: extra.credentials ?? { secret: SECRET, previousSecret: '' },
		params: {
			resource: 'webhook',
			operation: 'verifySignature',
			source: 'chatwoot',
			binaryPropertyName: 'data',
			options: {},
			...extra.params,
		},
	});
	// n8n keeps binary data in its store; the node reads it back through this helper.
	Object.assign(ctx.helpers, {
		getBinaryDataBuffer: async (i: number, property: string) => {
			const binary = items[i].binary?.[property];
			if (!binary) throw new Error(`no binary ${property}`);
			return Buffer.from(binary.data, 'base64');
		},
	});
	return new ConversionRelay().execute.call(ctx).then(([out]) => out);
}

describe('Conversion Relay node: Webhook → Verify Signature (Chatwoot)', () => {
	it('outputs the parsed payload of a correctly signed delivery, paired with its item', async () => {
		const out = await run([signed(conversation())]);
		expect(out).toEqual([{ json: conversation(), pairedItem: { item: 0 } }]);
	});

	it('checks the raw bytes, not re-serialized JSON (Rails escapes <, > and & as \\u003c…)', async () => {
		const raw = '{"event":"message_created","content":"a \\u003cb\\u003e \\u0026 c","id":5}';
		expect(JSON.stringify(JSON.parse(raw))).not.toBe(raw);
		const out = await run([signed({}, { raw })]);
		expect(out[0].json).toEqual({ event: 'message_created', content: 'a <b> & c', id: 5 });
		// The same payload with a signature over its re-serialized form is refused.
		const reserialized = JSON.stringify(JSON.parse(raw));
		const ts = now();
		const forged = delivery(raw, {
			'x-chatwoot-signature': sign(reserialized, SECRET, ts),
			'x-chatwoot-timestamp': String(ts),
		});
		expect((await run([forged], { continueOnFail: true }))[0].json.error).toMatch(/does not match the webhook secret$/);
	});

	it('accepts the previous secret while rotating, and no other', async () => {
		const credentials = { secret: SECRET, previousSecret: OLD_SECRET };
		expect((await run([signed(conversation(), { secret: OLD_SECRET })], { credentials }))[0].json).toEqual(
			conversation(),
		);
		const out = await run([signed(conversation(), { secret: 'some-third-secret-000000' })], {
			credentials,
			continueOnFail: true,
		});
		expect(out[0].json).toEqual({
			error: 'Item 0: Chatwoot webhook refused: X-Chatwoot-Signature does not match the webhook secret',
		});
		// Once the old secret is cleared, its deliveries fail.
		expect(
			(await run([signed(conversation(), { secret: OLD_SECRET })], { continueOnFail: true }))[0].json.error,
		).toMatch(/does not match/);
	});

	it('refuses stale and future timestamps beyond the maximum age (default 300 s), accepts within it', async () => {
		expect((await run([signed(conversation(), { ts: now() - 290 })]))[0].json).toEqual(conversation());
		const stale = await run([signed(conversation(), { ts: now() - 400 })], { continueOnFail: true });
		expect(stale[0].json.error).toMatch(
			/^Item 0: Chatwoot webhook refused: X-Chatwoot-Timestamp is 40\d s away from now, more than the 300 s allowed/,
		);
		const future = await run([signed(conversation(), { ts: now() + 400 })], { continueOnFail: true });
		expect(future[0].json.error).toMatch(/more than the 300 s allowed/);
		const tighter = await run([signed(conversation(), { ts: now() - 90 })], {
			continueOnFail: true,
			params: { options: { toleranceSeconds: 60 } },
		});
		expect(tighter[0].json.error).toMatch(/more than the 60 s allowed/);
	});

	it('names what is missing or malformed, without throwing on odd lengths', async () => {
		const raw = JSON.stringify(conversation());
		const cases: Array<[INodeExecutionData, RegExp]> = [
			[delivery(raw, { 'x-chatwoot-timestamp': String(now()) }), /X-Chatwoot-Signature is missing/],
			[
				delivery(raw, { 'x-chatwoot-signature': sign(raw, SECRET, now()) }),
				/X-Chatwoot-Timestamp is missing or not unix seconds/,
			],
			[
				delivery(raw, { 'x-chatwoot-signature': 'sha256=abc', 'x-chatwoot-timestamp': String(now()) }),
				/is not sha256=<64 hex digits>/,
			],
			[
				delivery(raw, {
					'x-chatwoot-signature': sign(raw, SECRET, now()).replace('sha256=', 'sha1='),
					'x-chatwoot-timestamp': String(now()),
				}),
				/is not sha256=<64 hex digits>/,
			],
			[
				{
					json: {
						headers: { 'x-chatwoot-signature': sign(raw, SECRET, now()), 'x-chatwoot-timestamp': String(now()) },
						body: conversation(),
					},
				},
				/no raw body in the binary field "data" \(turn on the Webhook node's Raw Body option\)/,
			],
			[
				{
					json: { body: conversation() },
					binary: { data: { data: Buffer.from(raw).toString('base64'), mimeType: 'application/json' } },
				},
				/no request headers in the field "headers"/,
			],
		];
		const out = await run(
			cases.map(([item]) => item),
			{ continueOnFail: true },
		);
		out.forEach((o, i) => {
			expect(o.pairedItem).toEqual({ item: i });
			expect(o.json.error).toMatch(new RegExp(`^Item ${i}: Chatwoot webhook refused: `));
			expect(o.json.error).toMatch(cases[i][1]);
		});
	});

	it('header names in any case; a signed body that is not a JSON object is refused', async () => {
		const raw = JSON.stringify(conversation());
		const ts = now();
		const upper = delivery(raw, { 'X-Chatwoot-Signature': sign(raw, SECRET, ts), 'X-Chatwoot-Timestamp': String(ts) });
		expect((await run([upper]))[0].json).toEqual(conversation());
		const out = await run([signed({}, { raw: '[1,2]' }), signed({}, { raw: 'not json' }), signed({}, { raw: '[]' })], {
			continueOnFail: true,
		});
		expect(out.map((o) => o.json.error)).toEqual([
			'Item 0: Chatwoot webhook refused: the signature is valid but the body is neither a JSON object nor a list of objects',
			'Item 1: Chatwoot webhook refused: the signature is valid but the body is not JSON',
			'Item 2: Chatwoot webhook refused: the signature is valid but the body is neither a JSON object nor a list of objects',
		]);
	});

	it('each item on its own: only the forged one fails, as an error item n8n can route to the error output', async () => {
		const out = await run(
			[
				signed(conversation(1)),
				signed(conversation(2), { secret: 'forged-forged-forged-forged' }),
				signed(conversation(3)),
			],
			{ continueOnFail: true },
		);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.id).toBe(1);
		expect(out[2].json.id).toBe(3);
		// n8n sends an item to the error output when its json holds only error/message/details.
		expect(Object.keys(out[1].json)).toEqual(['error']);
	});

	it('without continue on fail, stops with a NodeOperationError naming the item', async () => {
		const attempt = run([signed(conversation()), signed(conversation(), { ts: now() - 3600 })]);
		await expect(attempt).rejects.toBeInstanceOf(NodeOperationError);
		await expect(run([signed(conversation()), signed(conversation(), { ts: now() - 3600 })])).rejects.toMatchObject({
			message: expect.stringMatching(/^Item 1: Chatwoot webhook refused: X-Chatwoot-Timestamp is 36\d\d s away/),
			context: expect.objectContaining({ itemIndex: 1 }),
		});
	});

	it('refuses an unknown source', async () => {
		await expect(run([signed(conversation())], { params: { source: 'stripe' } })).rejects.toThrow(
			'Source "stripe" is not supported',
		);
	});

	it('describes itself as data: a Webhook resource, a credential per source (offered side by side, none required: see test/unit/nodes/editorPanel), tested by the node', () => {
		const { description, methods } = new ConversionRelay();
		const credentials = description.credentials ?? [];
		expect(credentials).toEqual([
			{ name: 'conversionRelayApi' },
			{ name: 'chatwootWebhookApi', testedBy: 'chatwootWebhookSecret' },
			{ name: 'hubSpotWebhookApi', testedBy: 'hubSpotWebhookSecret' },
		]);
		expect(typeof methods.credentialTest.chatwootWebhookSecret).toBe('function');
		expect(typeof methods.credentialTest.hubSpotWebhookSecret).toBe('function');
		const props = description.properties.filter((p) => p.displayOptions?.show?.operation?.includes('verifySignature'));
		expect(props.map((p) => p.name)).toEqual(['source', 'webhookUrl', 'verifyNotice', 'binaryPropertyName', 'options']);
		expect(props[0].options).toEqual([
			{ name: 'Chatwoot', value: 'chatwoot' },
			{ name: 'HubSpot', value: 'hubspot' },
		]);
		// Only HubSpot signs the URL.
		expect(props[1].displayOptions?.show?.source).toEqual(['hubspot']);
		const credential = new ChatwootWebhookApi();
		expect(credential.name).toBe('chatwootWebhookApi');
		expect(credential.properties.map((p) => [p.name, p.typeOptions?.password])).toEqual([
			['secret', true],
			['previousSecret', true],
		]);
	});

	it("credential test: a secret must be there and long enough to be Chatwoot's", async () => {
		const test = (data: ICredentialDataDecryptedObject) =>
			new ConversionRelay().methods.credentialTest.chatwootWebhookSecret.call({} as ICredentialTestFunctions, {
				id: 'c',
				name: 'c',
				type: 'chatwootWebhookApi',
				data,
			});
		expect(await test({ secret: '' })).toEqual({
			status: 'Error',
			message: 'Enter the secret shown in Chatwoot (Settings → Integrations → Webhooks)',
		});
		expect((await test({ secret: 'short' })).status).toBe('Error');
		expect((await test({ secret: SECRET, previousSecret: 'x' })).message).toMatch(
			/^A secret of 1 characters is too short/,
		);
		expect((await test({ secret: SECRET })).status).toBe('OK');
	});
});

// Message#webhook_data + event, as Chatwoot sends a customer's message with its conversation.
const CTWA_CLID = 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOd';
const customerMessage = (
	channel: string,
	sourceId: string,
	contentAttributes: object,
	extra: { message?: object; conversation?: object } = {},
) => ({
	event: 'message_created',
	id: 90211,
	content: 'Hi! Is the linen shirt available in M?',
	message_type: 'incoming',
	content_type: 'text',
	content_attributes: contentAttributes,
	private: false,
	sender: { id: 711, name: 'Ana Souza', phone_number: '+5511912345678', type: 'contact' },
	inbox: { id: 4, name: 'Linen' },
	account: { id: 7, name: 'Linen' },
	conversation: {
		id: 311,
		inbox_id: 4,
		channel,
		additional_attributes: {},
		contact_inbox: { id: 8311, contact_id: 711, inbox_id: 4, source_id: sourceId },
		meta: { sender: { id: 711, name: 'Ana Souza', phone_number: '+5511912345678' } },
		labels: [],
		status: 'open',
		...extra.conversation,
	},
	...extra.message,
});
const whatsappReferral = {
	source_url: 'https://fb.me/3cr4Wqqkv',
	source_id: '120212345678900123',
	source_type: 'ad',
	headline: 'Linen shirts, 20% off',
	ctwa_clid: CTWA_CLID,
};
const adReferral = { source: 'ADS', type: 'OPEN_THREAD', ad_id: '120212345678900456' };

describe('Conversion Relay node: Verify Signature (Chatwoot) names the ad a customer came from', () => {
	const viewOf = async (payload: object) =>
		(await run([signed(payload)]))[0].json.business_messaging as IDataObject | undefined;

	it("WhatsApp: the referral's ctwa_clid, the inbox and the conversation, beside the payload as it came", async () => {
		const payload = customerMessage('Channel::Whatsapp', '5511912345678', { referral: whatsappReferral });
		const [out] = await run([signed(payload)]);
		expect(out.json).toEqual({
			...payload,
			business_messaging: {
				inbox_id: '4',
				conversation_id: '311',
				messaging_channel: 'whatsapp',
				user_data: { ctwa_clid: CTWA_CLID },
			},
		});
	});

	it('Messenger and Instagram: an ad referral and the page- or Instagram-scoped id (contact_inbox.source_id)', async () => {
		expect(
			await viewOf(customerMessage('Channel::FacebookPage', '6543219876543210', { referral: adReferral })),
		).toEqual({
			inbox_id: '4',
			conversation_id: '311',
			messaging_channel: 'messenger',
			user_data: { page_scoped_user_id: '6543219876543210' },
		});
		expect(
			(await viewOf(customerMessage('Channel::Instagram', '1234567890123456789', { referral: adReferral })))?.user_data,
		).toEqual({ ig_sid: '1234567890123456789' });
		// Older Chatwoot ran Instagram through the linked Facebook page and marked its conversations so.
		expect(
			await viewOf(
				customerMessage(
					'Channel::FacebookPage',
					'1234567890123456789',
					{ referral: adReferral },
					{ conversation: { additional_attributes: { type: 'instagram_direct_message' } } },
				),
			),
		).toMatchObject({ messaging_channel: 'instagram', user_data: { ig_sid: '1234567890123456789' } });
	});

	it("adds nothing for an organic message, an agent's reply, a private note or another channel", async () => {
		const organic = customerMessage('Channel::Whatsapp', '5511912345678', {});
		expect((await run([signed(organic)]))[0].json).toEqual(organic);
		for (const payload of [
			customerMessage('Channel::FacebookPage', '6543219876543210', { referral: { source: 'SHORTLINK', ref: 'bio' } }),
			customerMessage(
				'Channel::Whatsapp',
				'5511912345678',
				{ referral: whatsappReferral },
				{ message: { message_type: 'outgoing' } },
			),
			customerMessage(
				'Channel::Whatsapp',
				'5511912345678',
				{ referral: whatsappReferral },
				{ message: { private: true } },
			),
			customerMessage('Channel::WebWidget', 'a3f1c2d4-9e', { referral: whatsappReferral }),
		])
			expect(await viewOf(payload)).toBeUndefined();
	});

	it('names a referral whose id cannot be sent instead of passing it on', async () => {
		expect(
			await viewOf(
				customerMessage('Channel::Whatsapp', '5511912345678', {
					referral: { ...whatsappReferral, ctwa_clid: 'x'.repeat(1_001) },
				}),
			),
		).toEqual({ ignored: 'content_attributes.referral.ctwa_clid: has 1,001 characters; at most 1,000' });
		expect(await viewOf(customerMessage('Channel::FacebookPage', 'not-a-psid', { referral: adReferral }))).toEqual({
			ignored:
				'conversation.contact_inbox.source_id: must be the page-scoped id Meta gave the contact (1 to 32 digits) on a messenger inbox',
		});
	});
});

describe('Conversion Relay node: Webhook → Verify Signature (HubSpot v3)', () => {
	const CLIENT_SECRET = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
	const URL = 'https://n8n.example.com/webhook/crm-deal-stage';
	// HubSpot's v3 rule, written out from its documentation: base64 HMAC-SHA256 of
	// method + URI + body + timestamp (ms) under the app's client secret.
	const signV3 = (raw: string, secret: string, url: string, ts: number) =>
		createHmac('sha256', secret).update(`POST${url}${raw}${ts}`).digest('base64');
	const events = [
		{
			eventId: 3821002,
			subscriptionId: 2840293,
			portalId: 62515,
			appId: 1160452,
			occurredAt: Date.now() - 2000,
			subscriptionType: 'deal.propertyChange',
			attemptNumber: 0,
			objectId: 1001,
			propertyName: 'dealstage',
			propertyValue: 'closedwon',
			changeSource: 'CRM_UI',
			sourceId: 'userId:77',
		},
		{
			eventId: 3821003,
			subscriptionId: 2840293,
			portalId: 62515,
			appId: 1160452,
			occurredAt: Date.now() - 1000,
			subscriptionType: 'deal.propertyChange',
			attemptNumber: 0,
			objectId: 1002,
			propertyName: 'dealstage',
			propertyValue: 'qualifiedtobuy',
			changeSource: 'CRM_UI',
			sourceId: 'userId:77',
		},
	];
	const hubspotDelivery = (options: { secret?: string; url?: string; ts?: number; raw?: string } = {}) => {
		const raw = options.raw ?? JSON.stringify(events);
		const ts = options.ts ?? Date.now();
		return delivery(raw, {
			'x-hubspot-signature-v3': signV3(raw, options.secret ?? CLIENT_SECRET, options.url ?? URL, ts),
			'x-hubspot-request-timestamp': String(ts),
			'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
		});
	};
	const hubspotRun = (
		items: INodeExecutionData[],
		extra: { continueOnFail?: boolean; webhookUrl?: string; previous?: string } = {},
	) =>
		run(items, {
			continueOnFail: extra.continueOnFail,
			credentials: { clientSecret: CLIENT_SECRET, previousClientSecret: extra.previous ?? '' },
			params: { source: 'hubspot', webhookUrl: extra.webhookUrl ?? URL },
		});

	it('outputs each event of the signed list as its own item, all paired with the delivery', async () => {
		const out = await hubspotRun([hubspotDelivery()]);
		expect(out).toEqual([
			{ json: events[0], pairedItem: { item: 0 } },
			{ json: events[1], pairedItem: { item: 0 } },
		]);
	});

	it('refuses a signature for another URL, another secret, or a stale timestamp; accepts the previous secret while rotating', async () => {
		const out = await hubspotRun(
			[
				hubspotDelivery({ url: 'https://n8n.example.com/webhook/other-path' }),
				hubspotDelivery({ secret: 'f0f0f0f0-0000-4000-8000-000000000000' }),
				hubspotDelivery({ ts: Date.now() - 6 * 60_000 }),
				hubspotDelivery({ secret: 'old-secret-0000-4000-8000-000000000000' }),
			],
			{ continueOnFail: true },
		);
		expect(out.map((o) => o.json.error)).toEqual([
			'Item 0: HubSpot webhook refused: X-HubSpot-Signature-v3 does not match the client secret and Webhook URL',
			'Item 1: HubSpot webhook refused: X-HubSpot-Signature-v3 does not match the client secret and Webhook URL',
			expect.stringMatching(
				/^Item 2: HubSpot webhook refused: X-HubSpot-Request-Timestamp is 36\d s away from now, more than the 300 s allowed/,
			),
			'Item 3: HubSpot webhook refused: X-HubSpot-Signature-v3 does not match the client secret and Webhook URL',
		]);
		const rotated = await hubspotRun([hubspotDelivery({ secret: 'old-secret-0000-4000-8000-000000000000' })], {
			previous: 'old-secret-0000-4000-8000-000000000000',
		});
		expect(rotated).toHaveLength(2);
	});

	it('needs the Webhook URL and the v3 headers', async () => {
		const raw = JSON.stringify(events);
		const out = await hubspotRun(
			[
				hubspotDelivery(),
				delivery(raw, { 'x-hubspot-request-timestamp': String(Date.now()) }),
				delivery(raw, {
					'x-hubspot-signature-v3': signV3(raw, CLIENT_SECRET, URL, Date.now()),
					'x-hubspot-request-timestamp': String(Math.floor(Date.now() / 1000)),
				}),
			],
			{ continueOnFail: true, webhookUrl: '' },
		);
		expect(out.map((o) => o.json.error)).toEqual([
			'Item 0: HubSpot webhook refused: Webhook URL is empty: enter the target URL exactly as set in the HubSpot app',
			"Item 1: HubSpot webhook refused: X-HubSpot-Signature-v3 is missing (is the app's webhook subscription signing with v3?)",
			// Seconds where HubSpot sends milliseconds: decades away.
			expect.stringMatching(/^Item 2: HubSpot webhook refused: X-HubSpot-Request-Timestamp is \d+ s away from now/),
		]);
	});

	it('credential test for the client secret', async () => {
		const test = (data: ICredentialDataDecryptedObject) =>
			new ConversionRelay().methods.credentialTest.hubSpotWebhookSecret.call({} as ICredentialTestFunctions, {
				id: 'h',
				name: 'h',
				type: 'hubSpotWebhookApi',
				data,
			});
		expect(await test({ clientSecret: '' })).toEqual({
			status: 'Error',
			message: 'Enter the secret shown in the HubSpot app (its Auth tab)',
		});
		expect((await test({ clientSecret: CLIENT_SECRET })).status).toBe('OK');
	});
});
