/**
 * Words folded for lookup in a table of words (country names, gender words), in every script.
 * scripts/generate-country-data.js folds the names it writes with this same function.
 */

// Accents, not letters: Latin, Greek and Cyrillic diacritics, Hebrew points, Arabic vowel signs and
// tatweel. Marks that are part of a letter (Devanagari vowel signs, Japanese voicing, Thai vowels)
// stay, so distinct words of those scripts stay distinct. The class matches one mark at a time,
// which is what is meant here: the lint rule guards against marks that combine with a letter.
const ACCENTS =
	// eslint-disable-next-line no-misleading-character-class
	/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]/g;

// Letters with no decomposition that people type without their stroke or ligature.
const PLAIN: Readonly<Record<string, string>> = {
	ß: 'ss',
	æ: 'ae',
	œ: 'oe',
	ø: 'o',
	đ: 'd',
	ð: 'd',
	ł: 'l',
	ı: 'i',
	þ: 'th',
	ħ: 'h',
	ŧ: 't',
	ς: 'σ',
};
const NOT_PLAIN = /[ßæœøđðłıþħŧς]/g;
const NOT_A_LETTER_OR_DIGIT = /[^\p{L}\p{M}\p{N}]/gu;

/**
 * Lowercase, compatibility forms unified (full-width, ligatures), accents dropped, only letters and
 * digits of any script left (a value with digits is not taken for a word): `Côte d’Ivoire` →
 * `cotedivoire`, `Włochy` → `wlochy`, `ＵＳＡ` → `usa`, `Россия` → `россия`, `ﾄﾞｲﾂ` → `ドイツ`.
 * Linear time: one pass per step.
 */
export function foldWord(value: string): string {
	return value
		.normalize('NFKD')
		.toLowerCase()
		.replace(ACCENTS, '')
		.replace(NOT_PLAIN, (c) => PLAIN[c])
		.replace(NOT_A_LETTER_OR_DIGIT, '')
		.normalize('NFC');
}
