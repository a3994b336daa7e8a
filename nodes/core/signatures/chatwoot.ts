import { decodeHex, fresh, hmacSha256, nonEmptySecrets, nowSeconds, safeEqual } from './compare';

export interface ChatwootSignatureInput {
	rawBody: Buffer | string;
	/** X-Chatwoot-Signature: "sha256=<hex>" */
	signature: string | undefined | null;
	/** X-Chatwoot-Timestamp: unix seconds */
	timestamp: string | undefined | null;
	secret: string | readonly string[];
	toleranceSeconds?: number;
	now?: number;
}

function signedPayload(timestamp: string, rawBody: Buffer | string): Buffer {
	return Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody)]);
}

export function signChatwootWebhook(rawBody: Buffer | string, secret: string, timestamp: number): string {
	return `sha256=${hmacSha256(secret, signedPayload(String(timestamp), rawBody)).toString('hex')}`;
}

/** X-Chatwoot-Timestamp is unix seconds within the tolerance (5 minutes): checkable before the body. */
export function freshChatwootTimestamp(
	input: Pick<ChatwootSignatureInput, 'timestamp' | 'toleranceSeconds' | 'now'>,
): boolean {
	const { timestamp } = input;
	if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp.trim())) return false;
	return fresh(Number(timestamp), input.toleranceSeconds ?? 300, input.now ?? nowSeconds());
}

/** Chatwoot ≥ 4.11: sha256=hex HMAC of "<timestamp>.<raw body>", timestamp within 5 minutes. */
export function verifyChatwootWebhook(input: ChatwootSignatureInput): boolean {
	const { signature, timestamp } = input;
	if (typeof signature !== 'string' || typeof timestamp !== 'string' || !freshChatwootTimestamp(input)) return false;
	const match = /^sha256=(.*)$/.exec(signature.trim());
	const given = match ? decodeHex(match[1]) : undefined;
	if (!given) return false;
	let ok = false;
	for (const secret of nonEmptySecrets(input.secret))
		ok = safeEqual(hmacSha256(secret, signedPayload(timestamp.trim(), input.rawBody)), given) || ok;
	return ok;
}

/** Older Chatwoot signs nothing: a shared secret in a header or the URL is the fallback. */
export function verifySharedSecret(provided: string | undefined | null, expected: string): boolean {
	if (typeof provided !== 'string' || expected === '') return false;
	return safeEqual(provided, expected);
}
