import { getNormalizedPII } from 'capi-param-builder-nodejs/src/piiUtil/PIIUtil';
import type { HashedUserDataKey } from '../../nodes/core/capi/types';
import { CA_PROVINCES, US_REGIONS } from '../../nodes/core/normalize/data/regions';
import { phone } from '../../nodes/core/normalize/fields';
import { foldWord } from '../../nodes/core/normalize/fold';
import { FEMALE_WORDS, MALE_WORDS } from '../../nodes/core/normalize/gender';
import { ORACLE_TYPE } from './oracle';
import { hasCallingCode, libphonenumberE164 } from './libphonenumberOracle';

/** A deliberate difference from Meta's param builder; docs/normalization.md explains each. */
export interface Difference {
	id: string;
	keys: readonly HashedUserDataKey[];
	/** input: the raw value; theirs: the param builder's normalized (unhashed) value or null. */
	applies: (input: string, theirs: string | null) => boolean;
}

const ALL_KEYS: readonly HashedUserDataKey[] = [
	'em',
	'ph',
	'fn',
	'ln',
	'ge',
	'db',
	'ct',
	'st',
	'zp',
	'country',
	'external_id',
];
const fold = (s: string) =>
	s
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z]/g, '');
const MONTH_WORD = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;

function realBirthDate(yyyymmdd: string): boolean {
	const y = Number(yyyymmdd.slice(0, 4));
	const m = Number(yyyymmdd.slice(4, 6));
	const d = Number(yyyymmdd.slice(6, 8));
	const date = new Date(Date.UTC(y, m - 1, d));
	return y >= 1900 && y <= new Date().getUTCFullYear() && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

// Words one side takes as a gender and the other doesn't: ours (folded as we fold them), theirs.
const OUR_GENDER_WORDS = new Set([...MALE_WORDS, ...FEMALE_WORDS].map((w) => foldWord(w) || w));
const GENDER_WORDS_ONLY_THEIRS = [
	'gentleman',
	'guy',
	'sir',
	'mister',
	'son',
	'father',
	'dad',
	'daddy',
	'papa',
	'uncle',
	'nephew',
	'brother',
	'husband',
	'boyfriend',
	'groom',
	'widower',
	'king',
	'prince',
	'duke',
	'count',
	'emperor',
	'god',
	'lord',
	'lad',
	'fellow',
	'chap',
	'bloke',
	'dude',
	'himself',
	'lady',
	'madam',
	"ma'am",
	'daughter',
	'mother',
	'mom',
	'mama',
	'mommy',
	'aunt',
	'niece',
	'sister',
	'wife',
	'girlfriend',
	'bride',
	'widow',
	'queen',
	'princess',
	'duchess',
	'countess',
	'empress',
	'goddess',
	'maiden',
	'lass',
	'gal',
	'chick',
	'dame',
	'belle',
	'herself',
	'hers',
	'boy',
	'girl',
];

export const DIFFERENCES: readonly Difference[] = [
	{ id: 'nfc-first', keys: ALL_KEYS, applies: (input) => input !== input.normalize('NFC') },
	{ id: 'md5-is-not-a-hash', keys: ALL_KEYS, applies: (input) => /^[a-f0-9]{32}$/i.test(input.trim()) },
	{ id: 'email-colon-quirk', keys: ['em'], applies: (input) => input.includes(':') },
	{
		id: 'phone-extension-cut',
		keys: ['ph'],
		applies: (input) => /\d[^\p{L}#;,]*[\p{L}#;,][^\d]*\d/u.test(input),
	},
	{
		id: 'phone-dialling-rules',
		keys: ['ph'],
		// Where we differ, we read the number as libphonenumber does (00 read as +).
		applies: (input) => {
			const ours = phone(input.normalize('NFC'));
			return ours !== undefined && ours === libphonenumberE164(input.trim().replace(/^(tel: ?)?00/, '+'));
		},
	},
	{
		id: 'phone-unknown-calling-code',
		keys: ['ph'],
		applies: (input) => {
			const international = /^\s*(?:tel: ?)?(\+|00)([\d\s./-]*)/.exec(input);
			return international !== null && !hasCallingCode(international[2].replace(/\D/g, '').replace(/^0+/, ''));
		},
	},
	{
		id: 'phone-impossible-length',
		keys: ['ph'],
		applies: (_input, theirs) => theirs !== null && (theirs.length < 7 || theirs.length > 15),
	},
	{
		id: 'name-unicode-punctuation',
		keys: ['fn', 'ln'],
		applies: (input) => /[^\x00-\x7f]/.test(input.replace(/[^\p{P}\p{S}]/gu, '')),
	},
	{
		id: 'gender-synonyms',
		keys: ['ge'],
		applies: (input, theirs) => {
			const w = input.trim().toLowerCase();
			if (theirs !== null) return GENDER_WORDS_ONLY_THEIRS.includes(w);
			return OUR_GENDER_WORDS.has(foldWord(input) || input.trim());
		},
	},
	{ id: 'dob-month-names', keys: ['db'], applies: (input) => MONTH_WORD.test(input) },
	{ id: 'dob-real-dates-only', keys: ['db'], applies: (_input, theirs) => theirs !== null && !realBirthDate(theirs) },
	{ id: 'dob-compact-us-order', keys: ['db'], applies: (input) => /^\d{8}$/.test(input.trim()) },
	{
		id: 'state-exact-names',
		keys: ['st'],
		applies: (input) => {
			const f = fold(input);
			return f.length > 2 && US_REGIONS[f] === undefined && CA_PROVINCES[f] === undefined;
		},
	},
	{
		id: 'state-dc-and-territories',
		keys: ['st'],
		applies: (input, theirs) => {
			const code = US_REGIONS[fold(input)];
			return code !== undefined && code !== theirs;
		},
	},
	{
		id: 'zip-no-interior-spaces',
		keys: ['zp'],
		applies: (_input, theirs) => theirs !== null && /[^a-z0-9]/.test(theirs),
	},
	{
		id: 'zip-dash-not-cut',
		keys: ['zp'],
		applies: (input) => input.includes('-') && !/^\s*\d{5}-\d{4}\s*$/.test(input),
	},
	{
		id: 'country-exact-names',
		keys: ['country'],
		applies: (input) => fold(input).length !== 2 || fold(input) === 'uk',
	},
	{
		id: 'country-ambiguous-codes',
		keys: ['country'],
		applies: (input) => {
			const text = input.trim();
			const code = fold(text);
			return code.length === 2 && (!/^[a-z]{2}$/i.test(text) || code === 'na' || (code === 'no' && text !== 'NO'));
		},
	},
];

export function oracleNormalized(key: HashedUserDataKey, input: string): string | null {
	return getNormalizedPII(input, ORACLE_TYPE[key]) as string | null;
}
