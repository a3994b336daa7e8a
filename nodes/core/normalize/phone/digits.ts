import { UNICODE_DIGIT_ZEROS } from '../data/unicodeDigits';

export interface Dialled {
	/** ASCII digits of the number, extension cut. */
	digits: string;
	/** Written with a leading + (or full-width ＋): international. */
	plus: boolean;
}

/** Longer than any number with an exit prefix, a trunk prefix and 15 digits: not a phone. */
export const MAX_DIGITS = 22;

const LETTER = /\p{L}/u;

/**
 * Digits as dialled, in one pass: digits of every script read as digits, a + before the first
 * digit marks the number international, and the number ends where an extension or a second number
 * starts (a letter as in ext/x/доб/anexo, #, ;ext= of tel: URIs, a comma pause, another +).
 * Undefined when more than MAX_DIGITS digits come before that end.
 */
export function dialled(text: string): Dialled | undefined {
	let digits = '';
	let plus = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 48 && c <= 57) {
			digits += text[i];
			if (digits.length > MAX_DIGITS) return undefined;
			continue;
		}
		if (c === 43 || c === 0xff0b) {
			if (digits) break;
			plus = true;
			continue;
		}
		if (c < 128) {
			if (digits && (c === 35 || c === 44 || c === 59 || ((c | 32) >= 97 && (c | 32) <= 122))) break;
			continue;
		}
		const cp = text.codePointAt(i) as number;
		if (cp > 0xffff) i++;
		const d = unicodeDigit(cp);
		if (d !== undefined) {
			digits += d;
			if (digits.length > MAX_DIGITS) return undefined;
		} else if (digits && LETTER.test(String.fromCodePoint(cp))) break;
	}
	return { digits, plus };
}

/** The value of a non-ASCII decimal digit (Arabic-Indic, Persian, Devanagari, full-width …). */
function unicodeDigit(cp: number): number | undefined {
	let lo = 0;
	let hi = UNICODE_DIGIT_ZEROS.length - 1;
	// The last zero at or before cp, by bisection.
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (UNICODE_DIGIT_ZEROS[mid] <= cp) lo = mid;
		else hi = mid - 1;
	}
	const offset = cp - UNICODE_DIGIT_ZEROS[lo];
	return offset >= 0 && offset < 10 ? offset : undefined;
}
