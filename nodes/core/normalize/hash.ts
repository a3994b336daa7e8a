import * as crypto from 'node:crypto';

const SHA256_HEX = /^[a-f0-9]{64}$/i;
// Meta's param builder appends ".<language token>" (2 chars) or ".<base64url appendix>" (8 chars).
const PARAM_BUILDER_HASH = /^([a-f0-9]{64})\.(?:[A-Za-z0-9_-]{2}|[A-Za-z0-9_-]{8})$/i;

// crypto.hash (node >= 20.12) skips the Hash object: about twice as fast for short inputs.
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;

export function sha256Hex(value: string): string {
	return oneShot ? oneShot('sha256', value, 'hex') : crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Anchored: a value that merely contains 64 hex characters is not a hash. */
export function isSha256Hex(value: string): boolean {
	return SHA256_HEX.test(value);
}

/**
 * A value someone already hashed (SHA-256 hex, possibly with the param builder's suffix), as the
 * lowercase 64-char hash; undefined when the value is not a hash.
 */
export function asPrehashed(value: string): string | undefined {
	const trimmed = value.trim();
	if (SHA256_HEX.test(trimmed)) return trimmed.toLowerCase();
	const suffixed = PARAM_BUILDER_HASH.exec(trimmed);
	return suffixed ? suffixed[1].toLowerCase() : undefined;
}
