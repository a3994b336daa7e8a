import { MESSAGING_USER_DATA } from '../capi/messaging';
import type { MessagingChannel, PlainUserDataKey } from '../capi/types';
import { present } from '../values';

/**
 * Chatwoot's channel types (a conversation's `channel`) by the Meta channel they carry: WhatsApp
 * Cloud, and Twilio's WhatsApp (a Channel::TwilioSms inbox); Messenger pages; Instagram on its own
 * channel or, in older Chatwoot, through the Facebook page it is linked to.
 */
export const CHATWOOT_CHANNEL_TYPES: Readonly<Record<MessagingChannel, readonly string[]>> = {
	whatsapp: ['Channel::Whatsapp', 'Channel::TwilioSms'],
	messenger: ['Channel::FacebookPage'],
	instagram: ['Channel::Instagram', 'Channel::FacebookPage'],
};

/** Meta's click ids are about 100 characters of base64url; YCloud documents at most 1,024 bytes. */
export const MAX_CTWA_CLID_LENGTH = 1_000;
const PRINTABLE_ASCII = /^[!-~]+$/;
// Page- and Instagram-scoped ids are numbers written as digits.
const SCOPED_ID = /^[0-9]{1,32}$/;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objectAt = (v: unknown): Obj => (isObject(v) ? v : {});

/** The conversation a Chatwoot delivery is about, as far as its payload says. */
export interface ChatwootConversation {
	inboxId?: string;
	/** The conversation's number in its account (display_id), which the webhooks call id. */
	conversationId?: string;
	/** Chatwoot's channel type, e.g. Channel::Whatsapp. */
	channelType?: string;
	/** The conversation's payload: the delivery itself, or the message's `conversation`. */
	payload: Obj;
	/** Where `payload` sits in the delivery: '' for the delivery itself, else 'conversation.'. */
	path: string;
}

/** message_* deliveries are the message with its conversation inside; conversation_* the conversation. */
export function conversationOf(delivery: Obj): ChatwootConversation {
	const isMessage = typeof delivery.event === 'string' && delivery.event.startsWith('message_');
	const conversation = isMessage ? objectAt(delivery.conversation) : delivery;
	return {
		inboxId: present(isMessage ? (objectAt(delivery.inbox).id ?? conversation.inbox_id) : conversation.inbox_id),
		conversationId: present(conversation.id ?? conversation.display_id),
		channelType: present(conversation.channel),
		payload: conversation,
		path: isMessage ? 'conversation.' : '',
	};
}

/** The customer's message a message_created delivery carries: incoming (0), not a private note. */
export function isIncomingMessage(delivery: Obj): boolean {
	const type = delivery.message_type;
	return (
		delivery.event === 'message_created' &&
		(type === 'incoming' || type === 0 || type === '0') &&
		delivery.private !== true
	);
}

/** The Meta channel a conversation's channel type stands for, on its own (without configuration). */
export function messagingChannelOf(conversation: ChatwootConversation): MessagingChannel | undefined {
	switch (conversation.channelType) {
		case 'Channel::Whatsapp':
		case 'Channel::TwilioSms':
			return 'whatsapp';
		case 'Channel::Instagram':
			return 'instagram';
		case 'Channel::FacebookPage':
			// Older Chatwoot ran Instagram through the linked page and marked its conversations so.
			return objectAt(conversation.payload.additional_attributes).type === 'instagram_direct_message'
				? 'instagram'
				: 'messenger';
		default:
			return undefined;
	}
}

/** The ad click a message came from: the channel, and the click's or the person's id under Meta's key. */
export interface ChatAdClick {
	messaging_channel: MessagingChannel;
	user_data: Partial<Record<PlainUserDataKey, string>>;
}

export type AdReferral =
	{ kind: 'organic' } | { kind: 'ad'; click: ChatAdClick } | { kind: 'invalid'; field: string; reason: string };

const ORGANIC: AdReferral = { kind: 'organic' };

/**
 * What a customer's message says about the ad its chat came from. Chatwoot keeps Meta's `referral`
 * on the message (content_attributes.referral). WhatsApp: an ad click is the referral's ctwa_clid.
 * Messenger and Instagram: a referral naming an ad (ad_id, source ADS, or source_type ad) and the
 * person's page- or Instagram-scoped id, the conversation's contact_inbox.source_id. Without these
 * the chat is organic: nothing is made up. Only the ids read here are checked (a malformed one is
 * `invalid`, naming its field); the referral's other fields (headline, body, URLs) are not read.
 */
export function adReferralOf(message: Obj, conversation: ChatwootConversation, channel: MessagingChannel): AdReferral {
	const attributes = message.content_attributes;
	if (attributes === undefined || attributes === null) return ORGANIC;
	if (!isObject(attributes)) return invalid('content_attributes', 'must be an object');
	const referral = attributes.referral;
	if (referral === undefined || referral === null) return ORGANIC;
	if (!isObject(referral)) return invalid('content_attributes.referral', 'must be an object');
	const key: PlainUserDataKey = MESSAGING_USER_DATA[channel].user;
	if (channel === 'whatsapp') {
		const clid = referral.ctwa_clid;
		if (clid === undefined || clid === null || (typeof clid === 'string' && clid.trim() === '')) return ORGANIC;
		if (typeof clid !== 'string') return invalid('content_attributes.referral.ctwa_clid', 'must be text');
		const text = clid.trim();
		if (text.length > MAX_CTWA_CLID_LENGTH)
			return invalid(
				'content_attributes.referral.ctwa_clid',
				`has ${text.length.toLocaleString('en-US')} characters; at most ${MAX_CTWA_CLID_LENGTH.toLocaleString('en-US')}`,
			);
		if (!PRINTABLE_ASCII.test(text))
			return invalid('content_attributes.referral.ctwa_clid', 'must be printable ASCII without spaces');
		return { kind: 'ad', click: { messaging_channel: channel, user_data: { [key]: text } } };
	}
	const fromAd =
		present(referral.ad_id) !== undefined ||
		String(referral.source ?? '').toUpperCase() === 'ADS' ||
		String(referral.source_type ?? '').toLowerCase() === 'ad';
	if (!fromAd) return ORGANIC;
	const field = `${conversation.path}contact_inbox.source_id`;
	const scoped = objectAt(conversation.payload.contact_inbox).source_id;
	const id = typeof scoped === 'number' && Number.isSafeInteger(scoped) ? String(scoped) : scoped;
	if (typeof id !== 'string' || !SCOPED_ID.test(id.trim()))
		return invalid(
			field,
			`must be the ${channel === 'messenger' ? 'page' : 'Instagram'}-scoped id Meta gave the contact (1 to 32 digits) on a ${channel} inbox`,
		);
	return { kind: 'ad', click: { messaging_channel: channel, user_data: { [key]: id.trim() } } };
}

function invalid(field: string, reason: string): AdReferral {
	return { kind: 'invalid', field, reason };
}
