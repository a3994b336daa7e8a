import { decodeBase64, hmacSha256, nonEmptySecrets, safeEqual } from './compare';

export type HeaderBag = Record<string, string | string[] | undefined>;
export type ShopifyHeader =
	'hmac-sha256' | 'topic' | 'shop-domain' | 'webhook-id' | 'event-id' | 'api-version' | 'triggered-at';

/** A Shopify header in either form: X-Shopify-Topic (webhooks) or shopify-topic (events). */
export function shopifyHeader(headers: HeaderBag, name: ShopifyHeader): string | undefined {
	const wanted = [`x-shopify-${name}`, `shopify-${name}`];
	for (const [key, value] of Object.entries(headers)) {
		if (wanted.includes(key.toLowerCase())) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

export function signShopifyWebhook(rawBody: Buffer | string, secret: string): string {
	return hmacSha256(secret, rawBody).toString('base64');
}

/**
 * X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body under the app's client secret.
 * Several secrets: after a rotation Shopify may sign with the old one for up to an hour.
 */
export function verifyShopifyWebhook(
	rawBody: Buffer | string,
	hmacHeader: string | undefined | null,
	secrets: string | readonly string[],
): boolean {
	if (typeof hmacHeader !== 'string') return false;
	const given = decodeBase64(hmacHeader);
	if (!given || given.length !== 32) return false;
	let ok = false;
	// Every secret is tried (no early exit) so timing does not tell which one matched.
	for (const secret of nonEmptySecrets(secrets)) ok = safeEqual(hmacSha256(secret, rawBody), given) || ok;
	return ok;
}
