/**
 * Valid phone numbers of every country libphonenumber knows, generated from its metadata and
 * example numbers, and rendered in the forms people type. The oracle for phone normalization.
 */
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { getCountries, getExampleNumber, parsePhoneNumberFromString as parsePhoneNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import metadata from 'libphonenumber-js/metadata.min.json';
import type { Random } from './random';

export interface Generated {
	country: CountryCode;
	/** +E.164: the ground truth. */
	e164: string;
	number: PhoneNumber;
}

type CountryPlan = (string | number | number[] | unknown[])[];
const PLANS = (metadata as unknown as { countries: Record<string, CountryPlan> }).countries;

/** Up to `count` distinct valid numbers of a country: the example number varied, and random digits. */
export function numbersOf(country: CountryCode, count: number, r: Random): Generated[] {
	const plan = PLANS[country];
	const code = String(plan[0]);
	const lengths = plan[3] as number[];
	const example = getExampleNumber(country, examples)?.nationalNumber as string | undefined;
	const found = new Map<string, Generated>();
	for (let attempt = 0; attempt < count * 40 && found.size < count; attempt++) {
		let national: string;
		if (example && r.chance(0.6)) {
			const keep = r.int(1, Math.max(1, Math.min(4, example.length - 4)));
			national = example.slice(0, keep) + r.digits(example.length - keep);
		} else {
			national = r.digits(r.pick(lengths));
		}
		const number = parsePhoneNumber(`+${code}${national}`);
		if (number?.isValid() && number.country === country && number.nationalNumber === national) {
			found.set(national, { country, e164: number.number, number });
		}
	}
	return [...found.values()];
}

export function allCountries(): CountryCode[] {
	return getCountries();
}

export interface Typed {
	text: string;
	/** The person's country, as the normalizer gets it (lowercase), or none. */
	country?: string;
}

/** What a dialler in a country types before a foreign number: its usual exit prefix, if it has one. */
function exitPrefixOf(country: string): string | undefined {
	const plan = PLANS[country];
	const preferred = plan[12];
	if (typeof preferred === 'string' && preferred) return preferred.replace(/~/g, '');
	const idd = plan[1];
	return typeof idd === 'string' && /^\d+$/.test(idd) ? idd : undefined;
}

const DIALLERS = getCountries().filter((c) => exitPrefixOf(c) !== undefined);

// Countries whose exit prefix is not 00 and whose national numbers never start 00.
const NOT_00_DIALLERS = ['US', 'CA', 'RU', 'KZ', 'AU', 'BY', 'TJ', 'TM'];
const EXTENSIONS = [
	' ext. 123',
	';ext=123',
	' x123',
	' #123',
	' доб. 123',
	',,123',
	' extension 12',
	' ramal 12',
	' Durchwahl 12',
	' or +1 650 555 1212',
];

const DEVANAGARI = '०१२३४५६७८९';
const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const FULL_WIDTH = '０１２３４５６７８９';
const script = (s: string, zeroToNine: string) => s.replace(/\d/g, (d) => zeroToNine[Number(d)]);

/** The national prefix as the national form writes it, when it does (0 …, 8 (…), (06 1) …). */
function writtenTrunkPrefix(g: Generated): string | undefined {
	const prefix = PLANS[g.country][5];
	if (typeof prefix !== 'string' || !prefix) return undefined;
	const nationalDigits = g.number.formatNational().replace(/\D/g, '');
	return nationalDigits === prefix + g.number.nationalNumber ? prefix : undefined;
}

/** Each form: how it is written, or undefined where it does not apply to this number. */
export const FORMS: Record<string, (g: Generated, r: Random) => Typed | undefined> = {
	e164: (g) => ({ text: g.e164 }),
	international: (g) => ({ text: g.number.formatInternational(), country: g.country.toLowerCase() }),
	national: (g) => ({ text: g.number.formatNational(), country: g.country.toLowerCase() }),
	'national digits': (g) => ({
		text: g.number.formatNational().replace(/\D/g, ''),
		country: g.country.toLowerCase(),
	}),
	'national significant number': (g) => ({ text: g.number.nationalNumber, country: g.country.toLowerCase() }),
	'code without +': (g) => ({
		text: g.number.formatInternational().slice(1),
		country: g.country.toLowerCase(),
	}),
	'(0) after code': (g) => {
		const prefix = writtenTrunkPrefix(g);
		if (!prefix) return undefined;
		const intl = g.number.formatInternational();
		const code = `+${g.number.countryCallingCode}`;
		return { text: `${code} (${prefix})${intl.slice(code.length + 1)}` };
	},
	'national after code': (g) => {
		if (!writtenTrunkPrefix(g)) return undefined;
		return { text: `+${g.number.countryCallingCode} ${g.number.formatNational()}` };
	},
	'exit prefix': (g, r) => {
		const dialler = r.pick(DIALLERS);
		const text = `${exitPrefixOf(dialler)} ${g.number.formatInternational().slice(1)}`;
		return { text, country: dialler.toLowerCase() };
	},
	punctuation: (g, r) => {
		const intl = g.number.formatInternational();
		const code = `+${g.number.countryCallingCode}`;
		const rest = intl.slice(code.length + 1);
		const sep = r.pick(['-', '.', ' - ', '/', '']);
		const shapes = [
			`${code}${sep}${rest.replace(/ /g, sep)}`,
			`(${code}) ${rest}`,
			`${code} (${rest.replace(' ', ') ')}`,
			` tel:${code}-${rest.replace(/ /g, '-')} `,
		];
		return { text: r.pick(shapes) };
	},
	'arabic-indic digits': (g) => ({
		text: script(g.number.formatNational(), ARABIC_INDIC),
		country: g.country.toLowerCase(),
	}),
	'full-width digits': (g, r) => {
		const text = script(g.number.formatInternational(), FULL_WIDTH);
		return { text: r.chance(0.5) ? text.replace('+', '＋') : text };
	},
	'devanagari digits': (g) => ({ text: script(g.number.formatInternational(), DEVANAGARI) }),
	extension: (g, r) => ({ text: g.number.formatInternational() + r.pick(EXTENSIONS) }),
	'00 from anywhere': (g, r) => {
		const dialler = r.pick(NOT_00_DIALLERS);
		return { text: `00 ${g.number.formatInternational().slice(1)}`, country: dialler.toLowerCase() };
	},
	'old Mexican prefixes': (g, r) => {
		if (g.country !== 'MX') return undefined;
		return { text: r.pick(['+52 1 ', '044 ', '045 ', '01 ']) + g.number.formatNational(), country: 'mx' };
	},
};
