import { createHash, createHmac } from 'node:crypto';
import { startMetaDouble } from '../../support/metaDouble';
import { startRealN8n, type N8nServer, type RealN8n } from '../../support/realN8n';
import { eventually, startRelay, type TestRelay } from '../../support/relayServer';
import { forImport } from '../../support/workflowFiles';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SECRET = 'cw-hook-secret-5f1e2d3c4b5a6978';
const now = () => Math.floor(Date.now() / 1000);

// Chatwoot ≥ 4.11 (lib/webhooks/trigger.rb), written out here, not taken from the package.
const sign = (raw: string, secret: string, ts: number) =>
	`sha256=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`;

// Chatwoot's conversation webhook data (Conversation#webhook_data + event + account).
const conversation = (id: number, extra: object = {}) => ({
	event: 'conversation_created',
	id,
	inbox_id: 4,
	status: 'open',
	channel: 'Channel::WebWidget',
	can_reply: true,
	labels: [],
	additional_attributes: {
		browser: { browser_name: 'Chrome', platform_name: 'macOS' },
		referer: 'https://shop.example.com/pricing',
	},
	custom_attributes: {},
	meta: {
		sender: {
			id: 90 + id,
			name: 'Ana Souza',
			email: `Ana.Souza+${id}@Example.com`,
			phone_number: '+55 11 91234-5678',
			identifier: null,
			additional_attributes: {},
			custom_attributes: {},
			type: 'contact',
		},
		assignee: null,
		team: null,
		hmac_verified: false,
	},
	messages: [],
	account: { id: 7, name: 'Linen Co' },
	created_at: now(),
	timestamp: now(),
	...extra,
});
// A customer's message as Chatwoot sends it (Message#webhook_data + event), from an inbox on
// Meta's channels, its conversation inside; the referral as Chatwoot keeps it on the message.
const WABA = '102290129340398';
const PAGE = '1122334455667788';
const CTWA_CLID = 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOd';
const PSID = '6543219876543210';
const customerMessage = (
	id: number,
	inbox: { id: number; channel: string; sourceId: string },
	contentAttributes: object,
) => {
	const conv = conversation(id, { inbox_id: inbox.id, channel: inbox.channel });
	return {
		event: 'message_created',
		id: 90000 + id,
		content: 'Hi! Is the linen shirt available in M?',
		created_at: new Date().toISOString(),
		message_type: 'incoming',
		content_type: 'text',
		content_attributes: contentAttributes,
		additional_attributes: {},
		private: false,
		sender: conv.meta.sender,
		inbox: { id: inbox.id, name: 'Linen' },
		account: { id: 7, name: 'Linen Co' },
		conversation: {
			...conv,
			contact_inbox: { id: 8000 + id, contact_id: conv.meta.sender.id, inbox_id: inbox.id, source_id: inbox.sourceId },
		},
	};
};
const WHATSAPP_INBOX = { id: 8, channel: 'Channel::Whatsapp', sourceId: '5511912345678' };
const MESSENGER_INBOX = { id: 9, channel: 'Channel::FacebookPage', sourceId: PSID };
const contact = {
	event: 'contact_created',
	id: 555,
	name: 'Bruno  Lima',
	email: ' bruno@lima.example ',
	phone_number: '+351 912 345 678',
	identifier: 'crm-8841',
	custom_attributes: {},
	additional_attributes: {},
	account: { id: 7, name: 'Linen Co' },
};

// workflows/chatwoot-to-lead.json, imported as shipped, live in a real n8n, through the relay to the Meta double.
describe('workflow: Chatwoot conversation → Meta Lead', () => {
	let n8n: RealN8n;
	let server: N8nServer;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let relay: TestRelay;
	beforeAll(async () => {
		meta = await startMetaDouble();
		relay = await startRelay('pglite', { META_ACCESS_TOKEN: 'EAAB-relay-token', META_GRAPH_URL: meta.url });
		n8n = await startRealN8n();
		await n8n.importCredentials([
			{
				id: 'relay-local',
				name: 'Conversion Relay',
				type: 'conversionRelayApi',
				data: { baseUrl: relay.url, apiSecret: relay.apiSecret },
			},
			{
				id: 'cw-secret',
				name: 'Chatwoot webhook secret',
				type: 'chatwootWebhookApi',
				data: { secret: SECRET, previousSecret: '' },
			},
		]);
		const workflow = forImport('chatwoot-to-lead.json', 'wfChatwootLead01', {
			conversionRelayApi: 'relay-local',
			chatwootWebhookApi: 'cw-secret',
		});
		// As the sticky note says: the shop lists its inboxes on Meta's channels in INBOXES.
		const code = workflow.nodes.find((n) => n.name === 'Chatwoot → chat event')!;
		const shipped = String(code.parameters.jsCode);
		code.parameters.jsCode = shipped.replace(
			'const INBOXES = {',
			`const INBOXES = {\n  '8': { channel: 'whatsapp', account_id: '${WABA}' },\n  '9': { channel: 'messenger', account_id: '${PAGE}' },`,
		);
		expect(code.parameters.jsCode).not.toBe(shipped);
		await n8n.importWorkflow(workflow);
		await n8n.publish('wfChatwootLead01');
		server = await n8n.serve();
		await server.webhookLive('chatwoot-lead');
	}, 45 * 60_000);
	afterAll(async () => {
		await server?.stop();
		await n8n?.close();
		await relay?.close();
		await meta?.close();
	});

	let deliveries = 0;
	async function deliver(payload: object, options: { secret?: string; ts?: number; delivery?: string } = {}) {
		const raw = JSON.stringify(payload);
		const ts = options.ts ?? now();
		const res = await fetch(`${server.url}/webhook/chatwoot-lead`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'user-agent': 'rest-client',
				'x-chatwoot-signature': sign(raw, options.secret ?? SECRET, ts),
				'x-chatwoot-timestamp': String(ts),
				'x-chatwoot-delivery': options.delivery ?? `delivery-${++deliveries}`,
			},
			body: raw,
		});
		return { status: res.status, body: await res.json().catch(() => undefined) };
	}
	const sentToMeta = () => meta.received.flatMap((r) => r.body.data) as Array<Record<string, unknown>>;

	it('refuses a forged signature and a stale timestamp with 401, sending nothing', async () => {
		expect(await deliver(conversation(901), { secret: 'not-the-secret-at-all-000' })).toEqual({
			status: 401,
			body: { error: 'invalid Chatwoot signature' },
		});
		// Correctly signed, but ten minutes old: a replay.
		expect(await deliver(conversation(902), { ts: now() - 600 })).toEqual({
			status: 401,
			body: { error: 'invalid Chatwoot signature' },
		});
		const unsigned = await fetch(`${server.url}/webhook/chatwoot-lead`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(conversation(903)),
		});
		expect(unsigned.status).toBe(401);
		await new Promise((r) => setTimeout(r, 1500));
		expect(sentToMeta()).toEqual([]);
		expect(meta.received).toHaveLength(0);
	});

	it('sends a chat Lead per new conversation, a Contact per new contact, a Lead when the label is added; a redelivery and other events send nothing more', async () => {
		const ok = { status: 200, body: { received: true } };
		expect(await deliver(conversation(311), { delivery: 'cw-311' })).toEqual(ok);
		// Chatwoot retrying the same delivery (same id, signed again at its own time).
		expect(await deliver(conversation(311), { delivery: 'cw-311' })).toEqual(ok);
		expect(await deliver(contact)).toEqual(ok);
		// Conversation 312 gets the label "lead"; 313 gets another label; 314 loses "lead"; a message is no lead.
		const labelled = (id: number, previous: string[], current: string[]) =>
			conversation(id, {
				event: 'conversation_updated',
				labels: current,
				changed_attributes: [{ label_list: { previous_value: previous, current_value: current } }],
			});
		expect(await deliver(labelled(312, ['vip'], ['vip', 'lead']))).toEqual(ok);
		expect(await deliver(labelled(313, [], ['vip']))).toEqual(ok);
		expect(await deliver(labelled(314, ['lead'], []))).toEqual(ok);
		expect(
			await deliver({
				event: 'message_created',
				id: 77,
				content: 'hello',
				message_type: 'incoming',
				account: { id: 7 },
				conversation: { id: 311 },
				sender: { id: 401, email: 'x@example.com' },
			}),
		).toEqual(ok);

		const events = await eventually(async () => {
			const all = sentToMeta();
			expect(all).toHaveLength(3);
			return all;
		}, 30_000);
		const byId = Object.fromEntries(events.map((e) => [e.event_id, e]));
		expect(Object.keys(byId).sort()).toEqual([
			'chatwoot:7:contact:555:Contact',
			'chatwoot:7:conversation:311:Lead',
			'chatwoot:7:conversation:312:Lead',
		]);
		// Hashes of the values normalized as Meta specifies: e-mail trimmed and lower-cased, phone
		// digits with country code, names lower-cased, external id as given.
		expect(byId['chatwoot:7:conversation:311:Lead']).toEqual(
			expect.objectContaining({
				event_name: 'Lead',
				action_source: 'chat',
				user_data: {
					em: [sha('ana.souza+311@example.com')],
					ph: [sha('5511912345678')],
					fn: [sha('ana')],
					ln: [sha('souza')],
					external_id: [sha('chatwoot:401')],
				},
			}),
		);
		expect(byId['chatwoot:7:conversation:312:Lead']).toEqual(
			expect.objectContaining({
				event_name: 'Lead',
				action_source: 'chat',
				user_data: {
					em: [sha('ana.souza+312@example.com')],
					ph: [sha('5511912345678')],
					fn: [sha('ana')],
					ln: [sha('souza')],
					external_id: [sha('chatwoot:402')],
				},
			}),
		);
		expect(byId['chatwoot:7:contact:555:Contact']).toEqual(
			expect.objectContaining({
				event_name: 'Contact',
				action_source: 'chat',
				user_data: {
					em: [sha('bruno@lima.example')],
					ph: [sha('351912345678')],
					fn: [sha('bruno')],
					ln: [sha('lima')],
					external_id: [sha('crm-8841')],
				},
			}),
		);
		for (const e of events) {
			expect(e).not.toHaveProperty('custom_data');
			expect(Math.abs(Number(e.event_time) - now())).toBeLessThan(120);
		}
		// The redelivered conversation reached the relay and was recognised there: still three at Meta.
		await new Promise((r) => setTimeout(r, 1500));
		expect(sentToMeta()).toHaveLength(3);
	});
	it("on an inbox listed in INBOXES: the first message from an ad is a business_messaging Lead with Meta's ids, an organic one a chat Lead; a later label adds nothing", async () => {
		const ok = { status: 200, body: { received: true } };
		// The conversation's creation (without the message) waits for the customer's first message.
		expect(await deliver(conversation(411, { inbox_id: 8, channel: 'Channel::Whatsapp' }))).toEqual(ok);
		const referral = {
			source_url: 'https://fb.me/3cr4Wqqkv',
			source_id: '120212345678900123',
			source_type: 'ad',
			headline: 'Linen shirts, 20% off',
			ctwa_clid: CTWA_CLID,
		};
		expect(await deliver(customerMessage(411, WHATSAPP_INBOX, { referral }))).toEqual(ok);
		expect(
			await deliver(
				customerMessage(421, MESSENGER_INBOX, {
					referral: { source: 'ADS', type: 'OPEN_THREAD', ad_id: '120212345678900456' },
				}),
			),
		).toEqual(ok);
		expect(await deliver(customerMessage(431, WHATSAPP_INBOX, {}))).toEqual(ok);
		// Later, the label "lead" on the ad's conversation: n8n has no memory of the ad, so it is chat.
		expect(
			await deliver(
				conversation(411, {
					event: 'conversation_updated',
					inbox_id: 8,
					channel: 'Channel::Whatsapp',
					labels: ['lead'],
					changed_attributes: [{ label_list: { previous_value: [], current_value: ['lead'] } }],
				}),
			),
		).toEqual(ok);

		const ours = (e: Record<string, unknown>) => /conversation:4[123]1:/.test(String(e.event_id));
		const events = await eventually(async () => {
			const all = sentToMeta().filter(ours);
			expect(all).toHaveLength(3);
			return all;
		}, 30_000);
		const byId = Object.fromEntries(events.map((e) => [e.event_id, e]));
		expect(byId['chatwoot:7:conversation:411:Lead']).toEqual(
			expect.objectContaining({
				event_name: 'Lead',
				action_source: 'business_messaging',
				messaging_channel: 'whatsapp',
				user_data: {
					ctwa_clid: CTWA_CLID,
					whatsapp_business_account_id: WABA,
					em: [sha('ana.souza+411@example.com')],
					ph: [sha('5511912345678')],
					fn: [sha('ana')],
					ln: [sha('souza')],
					external_id: [sha('chatwoot:501')],
				},
			}),
		);
		expect(byId['chatwoot:7:conversation:421:Lead']).toEqual(
			expect.objectContaining({
				action_source: 'business_messaging',
				messaging_channel: 'messenger',
				user_data: expect.objectContaining({ page_id: PAGE, page_scoped_user_id: PSID }),
			}),
		);
		const organic = byId['chatwoot:7:conversation:431:Lead'];
		expect(organic).toEqual(expect.objectContaining({ action_source: 'chat' }));
		expect(organic).not.toHaveProperty('messaging_channel');
		expect(Object.keys(organic.user_data as object).sort()).toEqual(['em', 'external_id', 'fn', 'ln', 'ph']);
		// The label's Lead is the conversation's Lead again (same event id): nothing more reaches Meta.
		await new Promise((r) => setTimeout(r, 1500));
		expect(sentToMeta().filter(ours)).toHaveLength(3);
	});
});
