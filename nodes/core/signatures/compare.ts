import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality that never throws: timingSafeEqual throws on buffers of different
 * length, so both sides are first reduced to fixed-length HMACs under a per-call key.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
	const key = Buffer.from('conversion-relay-compare');
	const da = createHmac('sha256', key).update(a).digest();
	const db = createHmac('sha256', key).update(b).digest();
	return timingSafeEqual(da, db) && Buffer.byteLength(a) === Buffer.byteLength(b);
}

export function hmacSha256(secret: string | Buffer, message: string | Buffer): Buffer {
	return createHmac('sha256', secret).update(message).digest();
}

/** Strictly decoded base64 (padding optional), or undefined for anything else. */
export function decodeBase64(value: string): Buffer | undefined {
	const v = value.trim();
	if (v === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
	return Buffer.from(v, 'base64');
}

/** Strictly decoded hex of an exact byte length, or undefined. */
export function decodeHex(value: string, bytes = 32): Buffer | undefined {
	const v = value.trim();
	return new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(v) ? Buffer.from(v, 'hex') : undefined;
}

/** One secret or several (current first, old ones while rotating), without empty ones. */
export const nonEmptySecrets = (secrets: string | readonly string[]): string[] =>
	(typeof secrets === 'string' ? [secrets] : [...secrets]).filter((s) => s.length > 0);

/** Whether a timestamp (unix seconds) is within tolerance of now, in either direction. */
export function fresh(timestampSeconds: number, toleranceSeconds: number, nowSeconds: number): boolean {
	return Number.isFinite(timestampSeconds) && Math.abs(nowSeconds - timestampSeconds) <= toleranceSeconds;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
