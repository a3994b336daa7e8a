/**
 * One normalizer per Meta identifier, each taking NFC text and returning the normalized form or
 * undefined (dropped: never sent as the hash of an empty string). Rules: reference/meta.md;
 * deliberate differences from Meta's param builder: docs/normalization.md.
 */
import { callingCodeOf, countryCodeOf } from './countries';
import { CA_PROVINCES, US_REGIONS } from './data/regions';
import { foldLetters } from './text';

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

// NANP countries share +1 and 10-digit national numbers.
const NANP = new Set([
	'us',
	'ca',
	'pr',
	'vi',
	'gu',
	'as',
	'mp',
	'um',
	'ag',
	'ai',
	'bb',
	'bm',
	'bs',
	'dm',
	'do',
	'gd',
	'jm',
	'kn',
	'ky',
	'lc',
	'ms',
	'sx',
	'tc',
	'tt',
	'vc',
	'vg',
]);
// Countries whose international form keeps the leading 0 of the national number.
const KEEPS_LEADING_ZERO = new Set(['it', 'sm', 'va']);
// Starts at a marker, not at whitespace, and the text is trimmed first: a pattern that opened with
// \s* or ended with \s*$ would retry every position of a run of spaces (quadratic).
const EXTENSION = /(?:ext\.?|extension|x|#)\s*\d{1,6}$/i;

export function phone(value: string, ctx: NormalizeContext = {}): string | undefined {
	const raw = value.trim().replace(EXTENSION, '').trimEnd();
	const international = raw.startsWith('+') || /^\(?00/.test(raw);
	let digits = raw.replace(/[^0-9]/g, '');
	const code = ctx.country && !international ? callingCodeOf(ctx.country) : undefined;
	if (code) digits = withCountryCode(digits, code, ctx.country as string);
	digits = digits.replace(/^0+/, '');
	// E.164 numbers have at most 15 digits; fewer than 7 cannot carry a country code and a number.
	return digits.length >= 7 && digits.length <= 15 ? digits : undefined;
}

function withCountryCode(digits: string, code: string, country: string): string {
	if (NANP.has(country)) {
		if (digits.length === 10) return `1${digits}`;
		return digits;
	}
	if (KEEPS_LEADING_ZERO.has(country)) {
		return digits.startsWith(code) && digits.length > 10 ? digits : `${code}${digits}`;
	}
	if (digits.startsWith('0')) return `${code}${digits.replace(/^0+/, '')}`;
	// Already prefixed: written without "+" but with the country code and a full national number.
	if (digits.startsWith(code) && digits.length - code.length >= 8) return digits;
	return `${code}${digits}`;
}

/** fn / ln: lowercase, no whitespace, no punctuation or symbols; letters of any script kept. */
export function name(value: string): string | undefined {
	const v = value.toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, '');
	return v || undefined;
}

const MALE = new Set([
	'm',
	'male',
	'man',
	'boy',
	'mr',
	'mister',
	'sir',
	'he',
	'him',
	'his',
	'gentleman',
	'guy',
	'husband',
	'father',
	'son',
	'brother',
	'masculine',
	'hombre',
	'homme',
	'mann',
	'maennlich',
	'männlich',
	'masculino',
	'masculin',
	'maschio',
	'uomo',
]);
const FEMALE = new Set([
	'f',
	'female',
	'woman',
	'girl',
	'ms',
	'mrs',
	'miss',
	'madam',
	'lady',
	'she',
	'her',
	'hers',
	'wife',
	'mother',
	'daughter',
	'sister',
	'feminine',
	'mujer',
	'femme',
	'frau',
	'weiblich',
	'femenino',
	'feminin',
	'féminin',
	'femmina',
	'donna',
	'w',
]);

/** ge: f or m; anything else (unknown, non-binary, blank) is left out rather than guessed. */
export function gender(value: string): string | undefined {
	const v = value.trim().toLowerCase().replace(/\.$/, '');
	if (MALE.has(v)) return 'm';
	if (FEMALE.has(v)) return 'f';
	return undefined;
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
	return countryCodeOf(foldLetters(value));
}

/** external_id: lowercase, whitespace removed (the param builder's rule, so hashes agree). */
export function externalId(value: string): string | undefined {
	const v = value.toLowerCase().replace(/\s+/g, '');
	return v || undefined;
}
