import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { signChatwootWebhook } from '../../nodes/core/signatures/chatwoot';
import { json } from '../support/http';
import { startRelay, type TestRelay } from '../support/relayServer';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SECRET = 'chatwoot-secret-bm-1';
const now = () => Math.floor(Date.now() / 1000);
const iso = (secondsAgo = 0) => new Date(Date.now() - secondsAgo * 1000).toISOString();

// The business's accounts on Meta's channels, as the shop configures them per Chatwoot inbox.
const WABA = '102290129340398';
const WHATSAPP_DATASET = '555000111222';
const PAGE = '1122334455667788';
const IG_ACCOUNT = '17841405822304914';
const INBOXES = `4=>whatsapp:${WABA}@${WHATSAPP_DATASET}, 5=>messenger:${PAGE}, 6=>instagram:${IG_ACCOUNT}`;
// Ids as Meta issues them: a click id (base64url), a page-scoped and an Instagram-scoped user id.
const CTWA_CLID = 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOd';
const PSID = '6543219876543210';
const IGSID = '1234567890123456789';

interface Inbox {
	id: number;
	name: string;
	channel: string;
}
const WHATSAPP: Inbox = { id: 4, name: 'WhatsApp Linen', channel: 'Channel::Whatsapp' };
const MESSENGER: Inbox = { id: 5, name: 'Linen on Messenger', channel: 'Channel::FacebookPage' };
const INSTAGRAM: Inbox = { id: 6, name: '@linen.co', channel: 'Channel::Instagram' };

// The contact as Chatwoot sends it (Contact#webhook_data): a WhatsApp contact has a phone, a
// Messenger or Instagram one only a name.
const contact = (id: number, inbox: Inbox) => ({
	id,
	name: 'Ana Maria Souza',
	email: null,
	phone_number: inbox === WHATSAPP ? '+5511912345678' : null,
	identifier: null,
	avatar: '',
	thumbnail: '',
	additional_attributes: {},
	custom_attributes: {},
	blocked: false,
	type: 'contact',
});

/**
 * Conversation#webhook_data (Conversations::EventDataPresenter#push_data): the contact's source id
 * on the inbox is their WhatsApp number (wa_id), page-scoped id or Instagram-scoped id.
 */
const conversation = (id: number, inbox: Inbox, extra: object = {}) => {
	const sender = contact(400 + id, inbox);
	return {
		additional_attributes: {},
		can_reply: true,
		channel: inbox.channel,
		contact_inbox: {
			id: 8000 + id,
			contact_id: sender.id,
			inbox_id: inbox.id,
			source_id: inbox === WHATSAPP ? '5511912345678' : inbox === MESSENGER ? PSID : IGSID,
			created_at: iso(60),
			updated_at: iso(60),
			hmac_verified: false,
			pubsub_token: 'wfTzyNgmiE8YagFL3m4JU8Fi',
		},
		id,
		inbox_id: inbox.id,
		messages: [],
		labels: [] as string[],
		meta: { sender, assignee: null, team: null, hmac_verified: false },
		status: 'open',
		custom_attributes: {},
		snoozed_until: null,
		unread_count: 1,
		first_reply_created_at: null,
		priority: null,
		waiting_since: now() - 60,
		agent_last_seen_at: 0,
		contact_last_seen_at: 0,
		last_activity_at: now(),
		timestamp: now(),
		created_at: now() - 60,
		updated_at: now(),
		...extra,
	};
};

// Meta's referral as Chatwoot keeps it on the message: WhatsApp Cloud API's (ctwa_clid), and
// Messenger's and Instagram's ad referral (source ADS, the ad's id).
const whatsappReferral = (extra: object = {}) => ({
	source_url: 'https://fb.me/3cr4Wqqkv',
	source_id: '120212345678900123',
	source_type: 'ad',
	headline: 'Linen shirts, 20% off',
	body: 'Tap to ask us on WhatsApp',
	media_type: 'image',
	image_url: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/ad.jpg',
	ctwa_clid: CTWA_CLID,
	...extra,
});
const adReferral = { source: 'ADS', type: 'OPEN_THREAD', ad_id: '120212345678900456', ref: 'summer-linen' };

/** Message#webhook_data + event: the customer's message, its conversation inside. */
const message = (
	id: number,
	conversationId: number,
	inbox: Inbox,
	contentAttributes: object,
	extra: { conversation?: object } & Record<string, unknown> = {},
) => {
	const { conversation: conversationExtra, ...rest } = extra;
	const conv = conversation(conversationId, inbox, conversationExtra);
	return {
		event: 'message_created',
		id,
		content: 'Hi! Is the linen shirt available in M?',
		created_at: iso(),
		message_type: 'incoming',
		content_type: 'text',
		content_attributes: contentAttributes,
		additional_attributes: {},
		private: false,
		source_id: `wamid.HBgMNTUxMTkxMjM0NTY3OBUCABIYFjNFQjBD${id}AA==`,
		sender: conv.meta.sender,
		inbox: { id: inbox.id, name: inbox.name },
		account: { id: 7, name: 'Linen' },
		conversation: conv,
		...rest,
	};
};
const labelled = (id: number, inbox: Inbox, previous: string[], current: string[]) => ({
	event: 'conversation_updated',
	...conversation(id, inbox, { labels: current }),
	changed_attributes: [{ label_list: { previous_value: previous, current_value: current } }],
});
const resolved = (id: number, inbox: Inbox) => ({
	event: 'conversation_status_changed',
	...conversation(id, inbox, { status: 'resolved' }),
	changed_attributes: [{ status: { previous_value: 'open', current_value: 'resolved' } }],
});

describe.each(['pglite', 'postgres', 'supabase'] as const)('Chatwoot business messaging on %s', (backend) => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startRelay(backend, {
			META_PIXEL_ID: '123456',
			CHATWOOT_WEBHOOK_SECRET: SECRET,
			CHATWOOT_RULES:
				'conversation_created=>Lead, label:qualified=>QualifiedLead, status:resolved=>CompleteRegistration',
			CHATWOOT_INBOXES: INBOXES,
		});
	});
	afterAll(() => relay.close());

	let deliveries = 0;
	function deliver(payload: object, delivery = `${backend}-d-${++deliveries}`) {
		const body = JSON.stringify(payload);
		const ts = now();
		return fetch(`${relay.url}/v1/webhooks/chatwoot`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-chatwoot-signature': signChatwootWebhook(body, SECRET, ts),
				'x-chatwoot-timestamp': String(ts),
				'x-chatwoot-delivery': delivery,
			},
			body,
		});
	}
	const stored = async (id: string) =>
		json(await fetch(`${relay.url}/v1/events/${id}`, { headers: { authorization: `Bearer ${relay.apiSecret}` } }));
	/** The one event a delivery stored, as it will be sent. */
	const sentEvent = async (payload: object) => {
		const res = await deliver(payload);
		const body = await json(res);
		expect({ status: res.status, errors: body.errors, matched: body.matched }).toEqual({
			status: 200,
			errors: [],
			matched: 1,
		});
		return stored(body.data[0].id);
	};
	const anaHashes = {
		fn: [sha('ana')],
		ln: [sha('mariasouza')],
	};

	it('WhatsApp: the first message from a Click-to-WhatsApp ad is a Lead with its ctwa_clid and the WABA id, to the inbox dataset', async () => {
		// The conversation's creation comes first, without the referral: on this inbox it waits.
		expect(await json(await deliver({ event: 'conversation_created', ...conversation(311, WHATSAPP) }))).toEqual({
			matched: 0,
			data: [],
			errors: [],
		});
		const lead = await sentEvent(message(90211, 311, WHATSAPP, { referral: whatsappReferral() }));
		expect(lead).toMatchObject({
			pixel_id: WHATSAPP_DATASET,
			event_name: 'Lead',
			event_id: 'chatwoot:7:conversation:311:Lead',
		});
		expect(lead.payload).toMatchObject({ action_source: 'business_messaging', messaging_channel: 'whatsapp' });
		expect(lead.payload.user_data).toEqual({
			ctwa_clid: CTWA_CLID,
			whatsapp_business_account_id: WABA,
			ph: [sha('5511912345678')],
			...anaHashes,
			external_id: [sha('chatwoot:711')],
		});
		// Nothing of the ad's text or links is kept with the event.
		expect(JSON.stringify(lead.payload)).not.toMatch(/fbcdn|Linen shirts|fb\.me/);
		// What the conversation keeps: the channel and Meta's click id, nothing else (not the wa_id).
		expect(await relay.repo.chatAttribution('4', '311')).toEqual({
			messagingChannel: 'whatsapp',
			attributionId: CTWA_CLID,
			messageId: 90211,
		});
	});

	it('WhatsApp: a label and a status change later on the same conversation are attributed the same way', async () => {
		// Chatwoot's conversation payloads name no account: the conversation is found by inbox and number.
		const qualified = await sentEvent(labelled(311, WHATSAPP, [], ['qualified']));
		expect(qualified).toMatchObject({ pixel_id: WHATSAPP_DATASET, event_name: 'QualifiedLead' });
		expect(qualified.payload).toMatchObject({
			action_source: 'business_messaging',
			messaging_channel: 'whatsapp',
			user_data: { ctwa_clid: CTWA_CLID, whatsapp_business_account_id: WABA, ph: [sha('5511912345678')] },
		});
		const done = await sentEvent(resolved(311, WHATSAPP));
		expect(done.payload).toMatchObject({
			event_name: 'CompleteRegistration',
			action_source: 'business_messaging',
			messaging_channel: 'whatsapp',
			user_data: { ctwa_clid: CTWA_CLID, whatsapp_business_account_id: WABA },
		});
	});

	it('Messenger and Instagram: an ad referral gives page_id + page_scoped_user_id, ig_account_id + ig_sid', async () => {
		const messenger = await sentEvent(message(90301, 321, MESSENGER, { referral: adReferral }));
		expect(messenger).toMatchObject({ pixel_id: '123456', event_id: 'chatwoot:7:conversation:321:Lead' });
		expect(messenger.payload).toMatchObject({ action_source: 'business_messaging', messaging_channel: 'messenger' });
		expect(messenger.payload.user_data).toEqual({
			page_id: PAGE,
			page_scoped_user_id: PSID,
			...anaHashes,
			external_id: [sha('chatwoot:721')],
		});
		const instagram = await sentEvent(message(90401, 331, INSTAGRAM, { referral: adReferral }));
		expect(instagram.payload).toMatchObject({ action_source: 'business_messaging', messaging_channel: 'instagram' });
		expect(instagram.payload.user_data).toEqual({
			ig_account_id: IG_ACCOUNT,
			ig_sid: IGSID,
			...anaHashes,
			external_id: [sha('chatwoot:731')],
		});
		const later = await sentEvent(labelled(331, INSTAGRAM, ['vip'], ['vip', 'qualified']));
		expect(later.payload).toMatchObject({
			action_source: 'business_messaging',
			messaging_channel: 'instagram',
			user_data: { ig_account_id: IG_ACCOUNT, ig_sid: IGSID },
		});
	});

	it('a chat without an ad referral is organic: a chat Lead, its later label too, nothing ad-attributed invented', async () => {
		const lead = await sentEvent(message(90501, 341, WHATSAPP, {}));
		expect(lead).toMatchObject({ pixel_id: '123456', event_name: 'Lead' });
		expect(lead.payload.action_source).toBe('chat');
		expect(lead.payload).not.toHaveProperty('messaging_channel');
		expect(Object.keys(lead.payload.user_data).sort()).toEqual(['external_id', 'fn', 'ln', 'ph']);
		// A referral without a click id (a post, not an ad) on WhatsApp, and a Messenger referral naming no ad.
		const post = await sentEvent(message(90502, 342, WHATSAPP, { referral: whatsappReferral({ ctwa_clid: '' }) }));
		expect(post.payload.action_source).toBe('chat');
		const link = await sentEvent(message(90503, 343, MESSENGER, { referral: { source: 'SHORTLINK', ref: 'bio' } }));
		expect(link.payload.action_source).toBe('chat');
		const label = await sentEvent(labelled(341, WHATSAPP, [], ['qualified']));
		expect(label.payload.action_source).toBe('chat');
		expect(label.payload.user_data).not.toHaveProperty('ctwa_clid');
		expect(await relay.repo.chatAttribution('4', '341')).toBeUndefined();
	});

	it('an inbox not configured, or one whose channel is not the configured one, stays as before', async () => {
		const other: Inbox = { id: 9, name: 'WhatsApp (not configured)', channel: 'Channel::Whatsapp' };
		expect((await json(await deliver(message(90601, 351, other, { referral: whatsappReferral() })))).matched).toBe(0);
		const created = await sentEvent({ event: 'conversation_created', ...conversation(351, other) });
		expect(created.payload.action_source).toBe('chat');
		// Inbox 4 is configured as WhatsApp; a web widget delivery naming it is not taken for one.
		const widget: Inbox = { id: 4, name: 'Widget', channel: 'Channel::WebWidget' };
		const lead = await sentEvent({ event: 'conversation_created', ...conversation(352, widget) });
		expect(lead.payload.action_source).toBe('chat');
		expect((await json(await deliver(message(90602, 352, widget, { referral: whatsappReferral() })))).matched).toBe(0);
		expect(await relay.repo.chatAttribution('4', '352')).toBeUndefined();
	});

	it('refuses a malformed id it would send with 400 naming the field, storing nothing; other referral fields are not read', async () => {
		const refused = async (payload: object) => {
			const res = await deliver(payload);
			return { status: res.status, body: await json(res) };
		};
		const long = 'A'.repeat(1_001);
		expect(await refused(message(90701, 361, WHATSAPP, { referral: whatsappReferral({ ctwa_clid: long }) }))).toEqual({
			status: 400,
			body: {
				error: {
					code: 'invalid_payload',
					message: 'content_attributes.referral.ctwa_clid: has 1,001 characters; at most 1,000',
					field: 'content_attributes.referral.ctwa_clid',
				},
			},
		});
		const field = async (payload: object) => (await refused(payload)).body.error?.field;
		expect(await field(message(90702, 361, WHATSAPP, { referral: whatsappReferral({ ctwa_clid: 12345 }) }))).toBe(
			'content_attributes.referral.ctwa_clid',
		);
		expect(
			await field(message(90703, 361, WHATSAPP, { referral: whatsappReferral({ ctwa_clid: 'has spaces in it' }) })),
		).toBe('content_attributes.referral.ctwa_clid');
		expect(await field(message(90704, 361, WHATSAPP, { referral: 'from an ad' }))).toBe('content_attributes.referral');
		expect(await field(message(90705, 361, WHATSAPP, { referral: whatsappReferral() }, { id: 'msg-abc' }))).toBe('id');
		expect(
			await field(
				message(
					90706,
					362,
					MESSENGER,
					{ referral: adReferral },
					{
						conversation: { contact_inbox: { inbox_id: 5, source_id: 'a3f1c2d4-9e' } },
					},
				),
			),
		).toBe('conversation.contact_inbox.source_id');
		expect(await relay.repo.chatAttribution('4', '361')).toBeUndefined();
		expect(await relay.repo.chatAttribution('5', '362')).toBeUndefined();
		const none = await json(
			await fetch(`${relay.url}/v1/events?limit=100`, { headers: { authorization: `Bearer ${relay.apiSecret}` } }),
		);
		expect(none.data.filter((e: { event_id: string }) => /conversation:36[12]:/.test(e.event_id))).toEqual([]);
		// A headline, body or URL of any size (within the body limit) is not read, not kept, not sent.
		const lead = await sentEvent(
			message(90707, 363, WHATSAPP, { referral: whatsappReferral({ headline: 'H'.repeat(200_000), body: null }) }),
		);
		expect(lead.payload.user_data.ctwa_clid).toBe(CTWA_CLID);
		expect(JSON.stringify(lead.payload)).not.toContain('HHHH');
	});

	it('a redelivery, a second message and an older referral redelivered change nothing; a newer ad click replaces the kept one', async () => {
		const first = message(90801, 371, WHATSAPP, { referral: whatsappReferral({ ctwa_clid: 'ARclick-one' }) });
		const lead = await json(await deliver(first, `${backend}-cw-371`));
		expect(lead).toMatchObject({ matched: 1, duplicate_delivery: false, data: [{ duplicate: false }] });
		expect(await json(await deliver(first, `${backend}-cw-371`))).toEqual({
			matched: 1,
			duplicate_delivery: true,
			data: [],
			errors: [],
		});
		// The customer writes again: the same conversation's Lead, answered as the stored one.
		const again = await json(await deliver(message(90802, 371, WHATSAPP, {})));
		expect(again).toMatchObject({ matched: 1, data: [{ id: lead.data[0].id, duplicate: true }] });
		// Weeks later in the same conversation, a click on another ad: later conversions carry it.
		await deliver(message(90805, 371, WHATSAPP, { referral: whatsappReferral({ ctwa_clid: 'ARclick-two' }) }));
		// Chatwoot retrying the first message (a new delivery id) does not bring the old click back.
		await deliver(first);
		expect((await relay.repo.chatAttribution('4', '371'))?.attributionId).toBe('ARclick-two');
		const label = await sentEvent(labelled(371, WHATSAPP, [], ['qualified']));
		expect(label.payload.user_data.ctwa_clid).toBe('ARclick-two');
		const all = await json(
			await fetch(`${relay.url}/v1/events?limit=100`, { headers: { authorization: `Bearer ${relay.apiSecret}` } }),
		);
		expect(
			all.data
				.filter((e: { event_id: string }) => e.event_id.includes('conversation:371:'))
				.map((e: { event_name: string }) => e.event_name)
				.sort(),
		).toEqual(['Lead', 'QualifiedLead']);
	});

	if (backend === 'postgres')
		it('keeps a conversation 28 days: then its conversions are organic and the row is purged', async () => {
			await sentEvent(message(90901, 381, MESSENGER, { referral: adReferral }));
			const db = new Client({ connectionString: relay.databaseUrl });
			await db.connect();
			try {
				const rows = await db.query('select * from relay_chat_attributions where conversation_id = $1', ['381']);
				// Only the channel, Meta's id and the message's id: no name, phone or ad text.
				expect(Object.keys(rows.rows[0]).sort()).toEqual([
					'attribution_id',
					'conversation_id',
					'inbox_id',
					'message_id',
					'messaging_channel',
					'referred_at',
				]);
				await db.query(
					`update relay_chat_attributions set referred_at = now() - interval '29 days' where conversation_id = '381'`,
				);
				expect(await relay.repo.chatAttribution('5', '381')).toBeUndefined();
				const label = await sentEvent(labelled(381, MESSENGER, [], ['qualified']));
				expect(label.payload.action_source).toBe('chat');
				// The next referral anywhere purges it.
				await sentEvent(message(90902, 382, MESSENGER, { referral: adReferral }));
				expect((await db.query(`select 1 from relay_chat_attributions where conversation_id = '381'`)).rowCount).toBe(
					0,
				);
			} finally {
				await db.end();
			}
		});
});

describe('CHATWOOT_INBOXES', () => {
	it('refuses a malformed or repeated inbox at start-up, naming the variable', async () => {
		await expect(startRelay('pglite', { CHATWOOT_INBOXES: '4=>whatsapp' })).rejects.toThrow(
			'CHATWOOT_INBOXES: "4=>whatsapp" is not <inbox id>=><whatsapp|messenger|instagram>:<account id>[@<dataset id>]',
		);
		await expect(
			startRelay('pglite', { CHATWOOT_INBOXES: `4=>whatsapp:${WABA}, 4=>messenger:${PAGE}` }),
		).rejects.toThrow('CHATWOOT_INBOXES: inbox 4 is listed twice');
	});
});
