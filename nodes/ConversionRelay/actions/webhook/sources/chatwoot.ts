import type { IDataObject } from 'n8n-workflow';
import {
	adReferralOf,
	conversationOf,
	isIncomingMessage,
	messagingChannelOf,
} from '../../../../core/chatwoot/adReferral';
import { verifyChatwootWebhook } from '../../../../core/signatures/chatwoot';
import { fresh } from '../../../../core/signatures/compare';
import { header, type WebhookSource } from './types';

const SIGNATURE = 'X-Chatwoot-Signature';
const TIMESTAMP = 'X-Chatwoot-Timestamp';

/**
 * Chatwoot ≥ 4.11: X-Chatwoot-Signature = "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<raw
 * body>"), X-Chatwoot-Timestamp in unix seconds. The verdict is the core verifier's (constant-time,
 * every secret tried); the checks before it only name the reason.
 */
export const chatwoot: WebhookSource = {
	value: 'chatwoot',
	name: 'Chatwoot',
	credential: 'chatwootWebhookApi',
	secrets: (credential) =>
		[credential.secret, credential.previousSecret].map((s) => (typeof s === 'string' ? s.trim() : '')).filter(Boolean),
	verify({ rawBody, headers, secrets, toleranceSeconds, nowMs }) {
		const nowSeconds = Math.floor(nowMs / 1000);
		const signature = header(headers, SIGNATURE);
		const timestamp = header(headers, TIMESTAMP);
		if (!signature)
			return { ok: false, reason: `${SIGNATURE} is missing (Chatwoot signs deliveries from version 4.11)` };
		if (!timestamp || !/^\d{1,12}$/.test(timestamp.trim()))
			return { ok: false, reason: `${TIMESTAMP} is missing or not unix seconds` };
		if (!fresh(Number(timestamp), toleranceSeconds, nowSeconds)) {
			return {
				ok: false,
				reason: `${TIMESTAMP} is ${Math.abs(nowSeconds - Number(timestamp))} s away from now, more than the ${toleranceSeconds} s allowed (a replay, or a clock off)`,
			};
		}
		if (!/^sha256=[0-9a-fA-F]{64}$/.test(signature.trim()))
			return { ok: false, reason: `${SIGNATURE} is not sha256=<64 hex digits>` };
		if (secrets.length === 0) return { ok: false, reason: 'the credential holds no webhook secret' };
		const ok = verifyChatwootWebhook({
			rawBody,
			signature,
			timestamp,
			secret: secrets,
			toleranceSeconds,
			now: nowSeconds,
		});
		return ok ? { ok: true } : { ok: false, reason: `${SIGNATURE} does not match the webhook secret` };
	},
	view: businessMessagingView,
};

/**
 * A customer's message on WhatsApp, Messenger or Instagram that came from an ad, as Meta's
 * Conversions API for Business Messaging wants it: business_messaging = {inbox_id,
 * conversation_id, messaging_channel, user_data: {ctwa_clid | page_scoped_user_id | ig_sid}}. The
 * account id Meta also asks for (WABA, Page, Instagram account) is not in Chatwoot's payloads: the
 * workflow adds it per inbox. A referral whose id cannot be sent is named under `ignored`; a
 * message from no ad gets nothing.
 */
function businessMessagingView(payload: IDataObject): IDataObject | undefined {
	if (!isIncomingMessage(payload)) return undefined;
	const conversation = conversationOf(payload);
	const channel = messagingChannelOf(conversation);
	if (!channel) return undefined;
	const referral = adReferralOf(payload, conversation, channel);
	if (referral.kind === 'organic') return undefined;
	if (referral.kind === 'invalid') return { business_messaging: { ignored: `${referral.field}: ${referral.reason}` } };
	return {
		business_messaging: {
			inbox_id: conversation.inboxId ?? null,
			conversation_id: conversation.conversationId ?? null,
			messaging_channel: referral.click.messaging_channel,
			user_data: referral.click.user_data as IDataObject,
		},
	};
}
