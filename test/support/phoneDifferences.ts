/**
 * Deliberate differences from libphonenumber-js in reading a typed phone number;
 * docs/normalization.md explains each, test/unit/normalize/phone.test.ts shows each on an example.
 */
export interface PhoneCase {
	form: string;
	text: string;
	country?: string;
	ours: string | undefined;
	theirs: string | undefined;
	/** The generated number's E.164 digits. */
	truth: string;
}

export interface PhoneDifference {
	id: string;
	applies: (c: PhoneCase) => boolean;
}

// Digits libphonenumber-js reads: ASCII, Arabic-Indic, Extended Arabic-Indic (Persian), full-width.
const OTHER_SCRIPT_DIGIT = /(?![\u0660-\u0669\u06f0-\u06f9\uff10-\uff19])[^\d\P{Nd}]/u;
const digitsOf = (s: string) => s.replace(/\D/g, '');

export const LIBPHONENUMBER_DIFFERENCES: readonly PhoneDifference[] = [
	// Dropped on purpose: the only difference where ours is not the generated number.
	{ id: 'phone-at-most-15-digits', applies: (c) => c.ours === undefined && c.truth.length > 15 },
	{ id: 'phone-full-width-plus', applies: (c) => /^[^\d\p{Nd}]*＋/u.test(c.text) },
	{ id: 'phone-every-script-digits', applies: (c) => OTHER_SCRIPT_DIGIT.test(c.text) },
	{
		id: 'phone-number-ends-at-a-letter',
		applies: (c) => /[\d\p{Nd}][^\p{L}#;,+]*[\p{L}#;,+]/u.test(c.text),
	},
	{ id: 'phone-00-anywhere', applies: (c) => c.country !== undefined && digitsOf(c.text).startsWith('00') },
	{
		id: 'phone-mexico-old-prefixes',
		applies: (c) => c.truth.startsWith('52') && /^(?:\+?52 ?1|0[12]|04[45])/.test(c.text.trim()),
	},
];
