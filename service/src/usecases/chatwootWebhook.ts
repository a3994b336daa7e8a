import { MESSAGING_USER_DATA } from '../../../nodes/core/capi/messaging';
import { MAX_EVENT_ID_LENGTH, MAX_EVENT_NAME_LENGTH } from '../../../nodes/core/capi/limits';
import {
	adReferralOf,
	CHATWOOT_CHANNEL_TYPES,
	conversationOf,
	isIncomingMessage,
	type ChatwootConversation,
} from '../../../nodes/core/chatwoot/adReferral';
import type { ChatwootInbox, Config } from '../config';
import type { ChatAttribution } from '../db/repository';
import type { EventInputBody } from './eventSchema';
import { ingestEvents, type IngestContext } from './ingestEvents';
import { RefusedInput } from './refusedInput';

interface Person {
	id?: number | string;
	name?: string | null;
	email?: string | null;
	phone_number?: string | null;
	identifier?: string | null;
}

interface ChatwootPayload extends Person {
	event?: string;
	status?: string;
	labels?: string[];
	account?: { id?: number | string };
	meta?: { sender?: Person };
	changed_attributes?: Array<Record<string, { previous_value?: unknown; current_value?: unknown }>>;
	/** message_created: the contact who wrote, and the conversation the message is in. */
	sender?: Person;
	conversation?: { meta?: { sender?: Person } };
	[key: string]: unknown;
}

/**
 * Which configured triggers this delivery fires. On an inbox configured for business messaging a
 * conversation starts with the customer's first message, which carries Meta's ad referral: there
 * `conversation_created` fires on each incoming message (the event id makes the first one count)
 * and not on the conversation's creation, which comes without it (or before it).
 */
export function triggersOf(p: ChatwootPayload, messagingInbox = false): string[] {
	const out: string[] = [];
	if (p.event === 'conversation_created')
		out.push(...(messagingInbox ? [] : ['conversation_created']), ...(p.labels ?? []).map((l) => `label:${l}`));
	if (p.event === 'message_created' && messagingInbox && isIncomingMessage(p)) out.push('conversation_created');
	if (p.event === 'contact_created') out.push('contact_created');
	if (p.event === 'conversation_status_changed' && p.status) out.push(`status:${p.status}`);
	if (p.event === 'conversation_updated') {
		for (const change of p.changed_attributes ?? []) {
			const labels = change.label_list;
			if (!labels) continue;
			const before = new Set(Array.isArray(labels.previous_value) ? (labels.previous_value as string[]) : []);
			const now = Array.isArray(labels.current_value) ? (labels.current_value as string[]) : [];
			out.push(...now.filter((l) => !before.has(l)).map((l) => `label:${l}`));
		}
	}
	return out;
}

// The event id holds the account id and the conversation's (or contact's) id: each at most this
// long, so that "chatwoot:<account>:conversation:<id>:<event name>" stays a storable key.
const MAX_CHATWOOT_ID_LENGTH = Math.floor(
	(MAX_EVENT_ID_LENGTH - 'chatwoot::conversation::'.length - MAX_EVENT_NAME_LENGTH) / 2,
);
// Chatwoot's message ids are its table's integer keys.
const MESSAGE_ID = /^[0-9]{1,15}$/;

function checkId(value: unknown, field: string): void {
	if (value === undefined || value === null) return;
	if (typeof value !== 'number' && typeof value !== 'string') throw new RefusedInput(field, 'must be a number or text');
	if (String(value).length > MAX_CHATWOOT_ID_LENGTH)
		throw new RefusedInput(field, `at most ${MAX_CHATWOOT_ID_LENGTH} characters`);
}

/** The inbox's business messaging settings, when it is configured and the payload's channel can be it. */
function messagingInboxOf(config: Config, conversation: ChatwootConversation): ChatwootInbox | undefined {
	const inbox = conversation.inboxId === undefined ? undefined : config.CHATWOOT_INBOXES.get(conversation.inboxId);
	if (!inbox) return undefined;
	const type = conversation.channelType;
	return type === undefined || CHATWOOT_CHANNEL_TYPES[inbox.channel].includes(type) ? inbox : undefined;
}

/**
 * The conversation's ad attribution: the one this customer's message carries (kept for the
 * conversation's later events), else the one kept from an earlier message; none for an organic chat.
 */
async function attributionOf(
	{ repo }: IngestContext,
	p: ChatwootPayload,
	conversation: ChatwootConversation,
	inbox: ChatwootInbox,
): Promise<ChatAttribution | undefined> {
	const { inboxId, conversationId } = conversation;
	if (inboxId === undefined || conversationId === undefined) return undefined;
	if (isIncomingMessage(p)) {
		const referral = adReferralOf(p, conversation, inbox.channel);
		if (referral.kind === 'invalid') throw new RefusedInput(referral.field, referral.reason);
		if (referral.kind === 'ad') {
			const messageId = typeof p.id === 'number' ? String(p.id) : p.id;
			if (typeof messageId !== 'string' || !MESSAGE_ID.test(messageId))
				throw new RefusedInput('id', "must be Chatwoot's message id, a whole number");
			const attribution: ChatAttribution = {
				messagingChannel: inbox.channel,
				attributionId: referral.click.user_data[MESSAGING_USER_DATA[inbox.channel].user] as string,
				messageId: Number(messageId),
			};
			await repo.putChatAttribution({ ...attribution, inboxId, conversationId });
			return attribution;
		}
	}
	return repo.chatAttribution(inboxId, conversationId);
}

function toEvent(
	p: ChatwootPayload,
	conversation: ChatwootConversation,
	eventName: string,
	attributed?: { inbox: ChatwootInbox; attribution: ChatAttribution },
): EventInputBody {
	const isContact = p.event === 'contact_created';
	const person: Person = isContact ? p : ((conversation.payload as ChatwootPayload).meta?.sender ?? p.sender ?? {});
	const [first, ...rest] = (person.name ?? '').trim().split(/\s+/);
	const subject = isContact ? `contact:${p.id}` : `conversation:${conversation.conversationId}`;
	const event: EventInputBody = {
		event_name: eventName,
		event_id: `chatwoot:${p.account?.id ?? 'account'}:${subject}:${eventName}`,
		action_source: 'chat',
		email: person.email ?? undefined,
		phone: person.phone_number ?? undefined,
		first_name: first || undefined,
		last_name: rest.join(' ') || undefined,
		external_id: person.identifier ?? (person.id !== undefined ? `chatwoot:${person.id}` : undefined),
	};
	if (!attributed) return event;
	const { inbox, attribution } = attributed;
	const keys = MESSAGING_USER_DATA[inbox.channel];
	return {
		...event,
		action_source: 'business_messaging',
		messaging_channel: inbox.channel,
		user_data: { [keys.account]: inbox.accountId, [keys.user]: attribution.attributionId },
		...(inbox.pixelId ? { pixel_id: inbox.pixelId } : {}),
	};
}

export async function handleChatwootDelivery(ctx: IngestContext, payload: ChatwootPayload, deliveryId: string | null) {
	const { config } = ctx;
	const conversation = conversationOf(payload);
	const inbox = payload.event === 'contact_created' ? undefined : messagingInboxOf(config, conversation);
	const fired = new Set(triggersOf(payload, inbox !== undefined));
	const rules = config.CHATWOOT_RULES.filter((r) => fired.has(r.trigger));
	const captures = inbox !== undefined && isIncomingMessage(payload);
	if (rules.length === 0 && !captures) return { matched: 0, data: [], errors: [] };
	checkId(payload.account?.id, 'account.id');
	checkId(payload.id, 'id');
	if (conversation.path) {
		checkId(conversation.conversationId, `${conversation.path}id`);
		if (conversation.conversationId === undefined)
			throw new RefusedInput(`${conversation.path}id`, "required: the conversation's number");
	}
	const attribution = inbox ? await attributionOf(ctx, payload, conversation, inbox) : undefined;
	const attributed = inbox && attribution?.messagingChannel === inbox.channel ? { inbox, attribution } : undefined;
	const events = rules.map((r) => toEvent(payload, conversation, r.event, attributed));
	if (events.length === 0) return { matched: 0, data: [], errors: [] };
	const result = await ingestEvents(ctx, 'chatwoot', events, deliveryId ?? null);
	return {
		matched: events.length,
		duplicate_delivery: result.duplicateDelivery,
		data: result.accepted,
		errors: result.errors,
	};
}
