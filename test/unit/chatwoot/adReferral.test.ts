import {
	adReferralOf,
	conversationOf,
	isIncomingMessage,
	messagingChannelOf,
} from '../../../nodes/core/chatwoot/adReferral';

const CTWA_CLID = 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOd';

// Message#webhook_data + event, its conversation inside (Conversations::EventDataPresenter#push_data).
const message = (channel: string, sourceId: unknown, contentAttributes: unknown, extra: object = {}) => ({
	event: 'message_created',
	id: 90211,
	message_type: 'incoming',
	private: false,
	content_attributes: contentAttributes,
	inbox: { id: 4, name: 'Linen' },
	conversation: {
		id: 311,
		inbox_id: 4,
		channel,
		additional_attributes: {},
		contact_inbox: { inbox_id: 4, source_id: sourceId },
	},
	...extra,
});

describe("a Chatwoot message's Meta ad referral", () => {
	it('finds the conversation in a message delivery and in a conversation delivery', () => {
		const fromMessage = conversationOf(message('Channel::Whatsapp', '5511912345678', {}));
		expect(fromMessage).toMatchObject({
			inboxId: '4',
			conversationId: '311',
			channelType: 'Channel::Whatsapp',
			path: 'conversation.',
		});
		// Chatwoot 2020's message webhook named the conversation's number display_id.
		expect(conversationOf({ event: 'message_created', conversation: { display_id: 12, inbox_id: 3 } })).toMatchObject({
			inboxId: '3',
			conversationId: '12',
		});
		expect(
			conversationOf({ event: 'conversation_updated', id: 311, inbox_id: 5, channel: 'Channel::FacebookPage' }),
		).toMatchObject({ inboxId: '5', conversationId: '311', channelType: 'Channel::FacebookPage', path: '' });
	});

	it("is read from the customer's messages only", () => {
		expect(isIncomingMessage(message('Channel::Whatsapp', '1', {}))).toBe(true);
		expect(isIncomingMessage(message('Channel::Whatsapp', '1', {}, { message_type: 0 }))).toBe(true);
		expect(isIncomingMessage(message('Channel::Whatsapp', '1', {}, { message_type: 'outgoing' }))).toBe(false);
		expect(isIncomingMessage(message('Channel::Whatsapp', '1', {}, { private: true }))).toBe(false);
		expect(isIncomingMessage(message('Channel::Whatsapp', '1', {}, { event: 'message_updated' }))).toBe(false);
	});

	it("knows Meta's channels by Chatwoot's channel types", () => {
		const channel = (type: string, attributes: object = {}) =>
			messagingChannelOf(
				conversationOf({ event: 'conversation_created', channel: type, additional_attributes: attributes }),
			);
		expect(channel('Channel::Whatsapp')).toBe('whatsapp');
		expect(channel('Channel::TwilioSms')).toBe('whatsapp');
		expect(channel('Channel::FacebookPage')).toBe('messenger');
		expect(channel('Channel::FacebookPage', { type: 'instagram_direct_message' })).toBe('instagram');
		expect(channel('Channel::Instagram')).toBe('instagram');
		expect(channel('Channel::WebWidget')).toBeUndefined();
	});

	it('WhatsApp: the ctwa_clid, trimmed; no click id is organic', () => {
		const read = (referral: unknown) => {
			const m = message('Channel::Whatsapp', '5511912345678', { referral });
			return adReferralOf(m, conversationOf(m), 'whatsapp');
		};
		expect(read({ source_type: 'ad', source_id: '120212345678900123', ctwa_clid: ` ${CTWA_CLID}\n` })).toEqual({
			kind: 'ad',
			click: { messaging_channel: 'whatsapp', user_data: { ctwa_clid: CTWA_CLID } },
		});
		expect(read({ source_type: 'post', source_url: 'https://fb.me/x' })).toEqual({ kind: 'organic' });
		expect(read(null)).toEqual({ kind: 'organic' });
		expect(read(['ad'])).toEqual({
			kind: 'invalid',
			field: 'content_attributes.referral',
			reason: 'must be an object',
		});
		const m = message('Channel::Whatsapp', '1', 'referral');
		expect(adReferralOf(m, conversationOf(m), 'whatsapp')).toMatchObject({ field: 'content_attributes' });
	});

	it('Messenger and Instagram: a referral naming an ad, and the scoped id as digits', () => {
		const read = (referral: unknown, sourceId: unknown, channel: 'messenger' | 'instagram' = 'messenger') => {
			const m = message('Channel::FacebookPage', sourceId, { referral });
			return adReferralOf(m, conversationOf(m), channel);
		};
		for (const referral of [{ ad_id: '120212345678900456' }, { source: 'ads' }, { source_type: 'ad' }])
			expect(read(referral, '6543219876543210')).toEqual({
				kind: 'ad',
				click: { messaging_channel: 'messenger', user_data: { page_scoped_user_id: '6543219876543210' } },
			});
		expect(read({ ad_id: 1 }, 1234567890123456, 'instagram')).toMatchObject({
			click: { user_data: { ig_sid: '1234567890123456' } },
		});
		expect(read({ source: 'SHORTLINK', ref: 'bio' }, '6543219876543210')).toEqual({ kind: 'organic' });
		expect(read({ ad_id: '1' }, '123'.repeat(11))).toMatchObject({
			kind: 'invalid',
			field: 'conversation.contact_inbox.source_id',
		});
	});

	it('refuses a megabyte-long click id by its length, before any pattern reads it', () => {
		const m = message('Channel::Whatsapp', '1', { referral: { ctwa_clid: 'A'.repeat(1_000_000) } });
		const started = process.cpuUsage();
		expect(adReferralOf(m, conversationOf(m), 'whatsapp')).toMatchObject({
			kind: 'invalid',
			reason: 'has 1,000,000 characters; at most 1,000',
		});
		const { user, system } = process.cpuUsage(started);
		expect((user + system) / 1000).toBeLessThan(200);
	});
});
