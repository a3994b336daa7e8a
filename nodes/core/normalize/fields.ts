/**
 * One normalizer per Meta identifier, each taking NFC text and returning the normalized form or
 * undefined (dropped: never sent as the hash of an empty string). Rules: reference/meta.md;
 * deliberate differences from Meta's param builder: docs/normalization.md.
 */
import { countryCodeOf } from './countries';
import { CA_PROVINCES, US_REGIONS } from './data/regions';
import { foldLetters } from './text';

export { phone } from './phone';
export { gender } from './gender';

export interface NormalizeContext {
	/** Normalized alpha-2 country of the same person, when known: defaults phone country codes. */
	country?: string;
}

// RFC 5322 dot-atom local part and a hostname; the same character set as Meta's param builder.
const EMAIL =
	/^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export function email(value: string): string | undefined {
	const v = value.trim().toLowerCase();
	return EMAIL.test(v) ? v : undefined;
}

/** fn / ln: lowercase, no whitespace, no punctuation or symbols; letters of any script kept. */
export function name(value: string): string | undefined {
	const v = value.toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, '');
	return v || undefined;
}

/** ct: lowercase a-z and digits only, starting with a letter (as Meta's pixel and SDK send it). */
export function city(value: string): string | undefined {
	const v = value.toLowerCase().replace(/[^a-z0-9]/g, '');
	return /^[a-z]/.test(v) ? v : undefined;
}

/** st: two-letter code for US states / CA provinces; other regions folded whole (Meta's docs). */
export function state(value: string, ctx: NormalizeContext = {}): string | undefined {
	const v = value.toLowerCase().replace(/[^a-z]/g, '');
	if (v.length <= 2) return v.length === 2 ? v : undefined;
	const folded = foldLetters(value);
	const code = US_REGIONS[folded] ?? CA_PROVINCES[folded];
	if (code) return code;
	// An unknown name for a US or Canadian address is not a state: better none than a wrong one.
	if (ctx.country === 'us' || ctx.country === 'ca') return undefined;
	return v;
}

const US_ZIP = /^(\d{5})(?:[\s-]?\d{4})?$/;

/** zp: lowercase, no spaces or dashes; US ZIP+4 cut to 5 digits. */
export function zip(value: string, ctx: NormalizeContext = {}): string | undefined {
	const v = value.trim().toLowerCase();
	const us = US_ZIP.exec(v);
	if (us && (ctx.country === undefined || ctx.country === 'us')) return us[1];
	const compact = v.replace(/[^a-z0-9]/g, '');
	return compact.length >= 2 ? compact : undefined;
}

/** country: ISO 3166-1 alpha-2 from a code, an alpha-3 code or a name; unknown → undefined. */
export function country(value: string): string | undefined {
	return countryCodeOf(value);
}

/** external_id: lowercase, whitespace removed (the param builder's rule, so hashes agree). */
export function externalId(value: string): string | undefined {
	const v = value.toLowerCase().replace(/\s+/g, '');
	return v || undefined;
}
