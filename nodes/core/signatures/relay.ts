import { decodeHex, fresh, hmacSha256, nonEmptySecrets, nowSeconds, safeEqual } from './compare';

/**
 * The relay's own signed requests, like Stripe's: X-Relay-Signature: t=<unix s>,v1=<hex>, where
 * v1 = HMAC-SHA256(secret, "<t>.<raw body>"). Several v1 values and secrets allow rotation; the
 * timestamp bounds replays.
 */
export const RELAY_SIGNATURE_HEADER = 'x-relay-signature';

export type RelayVerdict =
	{ ok: true; timestamp: number } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export interface RelayVerifyInput {
	rawBody: Buffer | string;
	header: string | undefined | null;
	secrets: string | readonly string[];
	toleranceSeconds?: number;
	now?: number;
}

function mac(secret: string, timestamp: string, rawBody: Buffer | string): Buffer {
	return hmacSha256(
		secret,
		Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody)]),
	);
}

export function signRelayRequest(rawBody: Buffer | string, secret: string, now = nowSeconds()): string {
	return `t=${now},v1=${mac(secret, String(now), rawBody).toString('hex')}`;
}

export type RelayHeader =
	{ ok: true; timestamp: string; macs: Buffer[] } | { ok: false; reason: 'missing' | 'malformed' | 'stale' };

/** What can be checked before the body has arrived: the header's shape and its timestamp. */
export function readRelaySignatureHeader(input: Omit<RelayVerifyInput, 'rawBody' | 'secrets'>): RelayHeader {
	if (typeof input.header !== 'string' || input.header.trim() === '') return { ok: false, reason: 'missing' };
	let timestamp: string | undefined;
	const macs: Buffer[] = [];
	for (const part of input.header.split(',')) {
		const [key, value = ''] = part.trim().split('=', 2);
		if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = value;
		else if (key === 'v1') {
			const decoded = decodeHex(value);
			if (decoded) macs.push(decoded);
		}
	}
	if (!timestamp || macs.length === 0) return { ok: false, reason: 'malformed' };
	if (!fresh(Number(timestamp), input.toleranceSeconds ?? 300, input.now ?? nowSeconds()))
		return { ok: false, reason: 'stale' };
	return { ok: true, timestamp, macs };
}

export function verifyRelaySignature(input: RelayVerifyInput): RelayVerdict {
	const header = readRelaySignatureHeader(input);
	if (!header.ok) return header;
	let ok = false;
	for (const secret of nonEmptySecrets(input.secrets)) {
		const expected = mac(secret, header.timestamp, input.rawBody);
		for (const candidate of header.macs) ok = safeEqual(expected, candidate) || ok;
	}
	return ok ? { ok: true, timestamp: Number(header.timestamp) } : { ok: false, reason: 'mismatch' };
}
