import { MESSAGING_CHANNELS, type MessagingChannel, type PlainUserDataKey, type ServerEvent } from './types';
import type { Issue } from './validate';

/**
 * Meta's Conversions API for Business Messaging: events of chats that started from an ad that
 * clicks to WhatsApp, Messenger or Instagram. Such an event is action_source business_messaging,
 * names its messaging_channel, and carries the ids Meta attributes it by: the business's account
 * on that channel and the click (WhatsApp) or the person as that account sees them (Messenger,
 * Instagram). Meta takes all of them as they are, never hashed.
 */
/** Per channel: the business's account id and the click's or person's id, both required. */
export const MESSAGING_USER_DATA: Readonly<
	Record<MessagingChannel, { account: PlainUserDataKey; user: PlainUserDataKey }>
> = {
	whatsapp: { account: 'whatsapp_business_account_id', user: 'ctwa_clid' },
	messenger: { account: 'page_id', user: 'page_scoped_user_id' },
	instagram: { account: 'ig_account_id', user: 'ig_sid' },
};

// Meta's object ids (WhatsApp Business Account, Page, Instagram account) and its page- or
// Instagram-scoped user ids are numbers written as digits.
const META_ID = /^[0-9]{1,32}$/;

export function isMessagingChannel(value: unknown): value is MessagingChannel {
	return typeof value === 'string' && (MESSAGING_CHANNELS as readonly string[]).includes(value);
}

/** What Meta requires of a business messaging event, and messaging_channel only on one. */
export function checkMessaging(event: ServerEvent, issues: Issue[]): void {
	const channel = event.messaging_channel;
	if (event.action_source !== 'business_messaging') {
		if (channel !== undefined)
			issues.push({
				field: 'messaging_channel',
				message: `messaging_channel is for action_source business_messaging, not ${event.action_source}`,
			});
		return;
	}
	if (!isMessagingChannel(channel)) {
		issues.push({
			field: 'messaging_channel',
			message: `messaging_channel must be ${MESSAGING_CHANNELS.join(', ')} when action_source is business_messaging`,
		});
		return;
	}
	const ud = event.user_data ?? {};
	const { account, user } = MESSAGING_USER_DATA[channel];
	for (const key of [account, user]) {
		const value = ud[key];
		if (value === undefined || value === '')
			issues.push({
				field: `user_data.${key}`,
				message: `user_data.${key} is required for messaging_channel ${channel}`,
			});
		else if (key !== 'ctwa_clid' && !META_ID.test(value))
			issues.push({ field: `user_data.${key}`, message: `user_data.${key} must be Meta's id: digits only` });
	}
}
