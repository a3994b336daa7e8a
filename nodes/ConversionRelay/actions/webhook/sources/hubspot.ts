import { verifyHubSpotV3 } from '../../../../core/signatures/hubspot';
import { decodeBase64 } from '../../../../core/signatures/compare';
import { header, type WebhookSource } from './types';

const SIGNATURE = 'X-HubSpot-Signature-v3';
const TIMESTAMP = 'X-HubSpot-Request-Timestamp';

/**
 * HubSpot webhooks (v3): X-HubSpot-Signature-v3 = base64 HMAC-SHA256(app client secret, "POST" +
 * the URL as configured in the app + raw body + X-HubSpot-Request-Timestamp), the timestamp in
 * unix milliseconds. The verdict is the core verifier's; the checks before it only name the reason.
 */
export const hubspot: WebhookSource = {
	value: 'hubspot',
	name: 'HubSpot',
	credential: 'hubSpotWebhookApi',
	signsUrl: true,
	secrets: (credential) =>
		[credential.clientSecret, credential.previousClientSecret]
			.map((s) => (typeof s === 'string' ? s.trim() : ''))
			.filter(Boolean),
	verify({ rawBody, headers, secrets, toleranceSeconds, nowMs, url }) {
		const signature = header(headers, SIGNATURE);
		const timestamp = header(headers, TIMESTAMP);
		if (!signature)
			return { ok: false, reason: `${SIGNATURE} is missing (is the app's webhook subscription signing with v3?)` };
		if (!timestamp || !/^\d{1,15}$/.test(timestamp.trim()))
			return { ok: false, reason: `${TIMESTAMP} is missing or not unix milliseconds` };
		const ageMs = Math.abs(nowMs - Number(timestamp));
		if (ageMs > toleranceSeconds * 1000) {
			return {
				ok: false,
				reason: `${TIMESTAMP} is ${Math.round(ageMs / 1000)} s away from now, more than the ${toleranceSeconds} s allowed (a replay, or a clock off)`,
			};
		}
		if (decodeBase64(signature)?.length !== 32)
			return { ok: false, reason: `${SIGNATURE} is not a base64 SHA-256 HMAC` };
		if (!url)
			return { ok: false, reason: 'Webhook URL is empty: enter the target URL exactly as set in the HubSpot app' };
		if (secrets.length === 0) return { ok: false, reason: 'the credential holds no client secret' };
		const ok = verifyHubSpotV3({
			method: 'POST',
			uri: url,
			rawBody,
			signature,
			timestamp,
			clientSecret: secrets,
			toleranceMs: toleranceSeconds * 1000,
			now: nowMs,
		});
		return ok ? { ok: true } : { ok: false, reason: `${SIGNATURE} does not match the client secret and Webhook URL` };
	},
};
