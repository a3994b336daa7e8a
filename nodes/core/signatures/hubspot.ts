import { createHash } from 'node:crypto';
import { decodeBase64, decodeHex, hmacSha256, nonEmptySecrets, safeEqual } from './compare';

export interface HubSpotV3Input {
	method: string;
	/** The full URL HubSpot called, as configured in the app (scheme, host, path, query). */
	uri: string;
	rawBody: Buffer | string;
	/** X-HubSpot-Signature-v3 */
	signature: string | undefined | null;
	/** X-HubSpot-Request-Timestamp, unix milliseconds */
	timestamp: string | undefined | null;
	clientSecret: string | readonly string[];
	toleranceMs?: number;
	now?: number;
}

// HubSpot decodes these percent-encodings in the URI before signing.
const DECODED: Readonly<Record<string, string>> = {
	'%3A': ':',
	'%2F': '/',
	'%3F': '?',
	'%40': '@',
	'%21': '!',
	'%24': '$',
	'%27': "'",
	'%28': '(',
	'%29': ')',
	'%2A': '*',
	'%2C': ',',
	'%3B': ';',
};

function source(method: string, uri: string, rawBody: Buffer | string, timestamp: string): Buffer {
	const decodedUri = uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()]);
	return Buffer.concat([
		Buffer.from(`${method.toUpperCase()}${decodedUri}`),
		Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody),
		Buffer.from(timestamp),
	]);
}

export function signHubSpotV3(
	method: string,
	uri: string,
	rawBody: Buffer | string,
	clientSecret: string,
	timestampMs: number,
): string {
	return hmacSha256(clientSecret, source(method, uri, rawBody, String(timestampMs))).toString('base64');
}

/** v3: base64 HMAC-SHA256 of method + URI + body + timestamp; rejected when older than 5 minutes. */
export function verifyHubSpotV3(input: HubSpotV3Input): boolean {
	const { signature, timestamp } = input;
	if (typeof signature !== 'string' || typeof timestamp !== 'string' || !/^\d{1,15}$/.test(timestamp.trim()))
		return false;
	const age = (input.now ?? Date.now()) - Number(timestamp);
	if (age > (input.toleranceMs ?? 300_000) || age < -(input.toleranceMs ?? 300_000)) return false;
	const given = decodeBase64(signature);
	if (!given || given.length !== 32) return false;
	let ok = false;
	for (const secret of nonEmptySecrets(input.clientSecret))
		ok = safeEqual(hmacSha256(secret, source(input.method, input.uri, input.rawBody, timestamp.trim())), given) || ok;
	return ok;
}

/** v1 (legacy): hex SHA-256 of client secret + body, no timestamp. */
export function verifyHubSpotV1(
	rawBody: Buffer | string,
	signature: string | undefined | null,
	clientSecret: string,
): boolean {
	if (typeof signature !== 'string' || clientSecret === '') return false;
	const given = decodeHex(signature);
	if (!given) return false;
	const expected = createHash('sha256').update(clientSecret).update(rawBody).digest();
	return safeEqual(expected, given);
}
