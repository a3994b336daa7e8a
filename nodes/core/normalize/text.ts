/** Text helpers shared by the normalizers. */

/** A scalar as text; anything else (objects, booleans, NaN) is not an identifier. */
export function toText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
	if (typeof value === 'bigint') return value.toString();
	return undefined;
}

/** Meta hashes UTF-8 of NFC text: NFD "Valéry" would otherwise hash differently. */
export function nfc(value: string): string {
	return value.normalize('NFC');
}

/** Lowercase ASCII letters only, diacritics folded first: for matching names against tables. */
export function foldLetters(value: string): string {
	return value
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z]/g, '');
}

/** A value or a list of values, as a list (none for null or undefined); the caller drops empties. */
export function valuesOf(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value : [value];
}
