/** Golden cases of phone normalization: each dialling rule of docs/normalization.md on an example. */
import { phone } from '../../../nodes/core/normalize/fields';
import { hashUserData } from '../../../nodes/core/normalize';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UNICODE_DIGIT_ZEROS } from '../../../nodes/core/normalize/data/unicodeDigits';
import { LIBPHONENUMBER_DIFFERENCES } from '../../support/phoneDifferences';
import { libphonenumberE164 } from '../../support/libphonenumberOracle';

type Case = [input: string, expected: string | undefined, country?: string];

const cases = (rows: Case[]) => rows.map(([input, expected, country]) => ({ input, expected, country }));

describe('phone normalization', () => {
	describe.each([
		[
			'a trunk prefix written after the country code is dropped',
			cases([
				['+44 (0)20 7946 0958', '442079460958'],
				['+44 (0) 7700 900123', '447700900123'],
				['+49 (0)30 1234567', '49301234567'],
				['+49 (0) 151 2345 6789', '4915123456789'],
				['+33 06 12 34 56 78', '33612345678'],
				['+33 (0)1 23 45 67 89', '33123456789'],
				['+41 (0)44 668 18 00', '41446681800'],
				['0044 (0)20 7946 0958', '442079460958'],
				['+36 06 1 234 5678', '3612345678'],
				['+7 8 912 345-67-89', '79123456789'],
			]),
		],
		[
			'countries whose numbers keep their leading 0 keep it',
			cases([
				['+39 06 1234 5678', '390612345678'],
				['+39 (0)6 1234 5678', '390612345678'],
				['06 1234 5678', '390612345678', 'it'],
				['+39 06 698 12345', '390669812345'],
				['+225 01 23 45 67 89', '2250123456789'],
				['01 23 45 67 89', '2250123456789', 'ci'],
			]),
		],
		[
			'national form with a known country, trunk prefixes other than 0',
			cases([
				['06 1 234 5678', '3612345678', 'hu'],
				['06 30 123 4567', '36301234567', 'hu'],
				['(06 1) 234 5678', '3612345678', 'hu'],
				['8 (912) 345-67-89', '79123456789', 'ru'],
				['8 495 123-45-67', '74951234567', 'ru'],
				['8 701 123 4567', '77011234567', 'kz'],
				['8 (029) 123-45-67', '375291234567', 'by'],
				['1 (650) 555-1212', '16505551212', 'us'],
				['07700 900123', '447700900123', 'gb'],
				['030 1234567', '49301234567', 'de'],
				['0612345678', '33612345678', 'fr'],
				['090-1234-5678', '819012345678', 'jp'],
				['0412 345 678', '61412345678', 'au'],
			]),
		],
		[
			'international exit prefixes other than 00',
			cases([
				['011 44 20 7946 0958', '442079460958', 'us'],
				['011 49 30 1234567', '49301234567', 'ca'],
				['810 49 30 1234567', '49301234567', 'ru'],
				['8~10 44 20 7946 0958', '442079460958', 'kz'],
				['0011 44 20 7946 0958', '442079460958', 'au'],
				['010 1 650 555 1212', '16505551212', 'jp'],
				['001 44 20 7946 0958', '442079460958', 'kr'],
				['00 44 20 7946 0958', '442079460958', 'us'],
				['0044 20 7946 0958', '442079460958'],
			]),
		],
		[
			'digits of every script are read as digits',
			cases([
				['＋４４ ２０ ７９４６ ０９５８', '442079460958'],
				['+٩٧١ ٥٠ ١٢٣ ٤٥٦٧', '971501234567'],
				['٠٥٠ ١٢٣ ٤٥٦٧', '971501234567', 'ae'],
				['۰۹۱۲ ۳۴۵ ۶۷۸۹', '989123456789', 'ir'],
				['+९१ ९८७६५ ४३२१०', '919876543210'],
				['০১৭১২ ৩৪৫৬৭৮', '8801712345678', 'bd'],
				['+๖๖ ๘๑ ๒๓๔ ๕๖๗๘', '66812345678'],
			]),
		],
		[
			'extensions are cut',
			cases([
				['+1 650-555-1212;ext=123', '16505551212'],
				['tel:+1-650-555-1212;ext=123', '16505551212'],
				['tel:+44-20-7946-0958;phone-context=+44', '442079460958'],
				['+1 650 555 1212 x123', '16505551212'],
				['+1 650 555 1212x123', '16505551212'],
				['+1 650 555 1212 ext. 123', '16505551212'],
				['+1 650 555 1212 extension 123', '16505551212'],
				['+1 650 555 1212 #123', '16505551212'],
				['+1 650 555 1212,,123', '16505551212'],
				['(650) 555-1212 Ext 4', '16505551212', 'us'],
				['+7 495 123-45-67 доб. 123', '74951234567'],
				['+34 912 345 678 ext 12', '34912345678'],
				['+55 11 91234-5678 ramal 12', '5511912345678'],
				['+52 55 1234 5678 anexo 3', '525512345678'],
				['+44 20 7946 0958 or +44 7700 900123', '442079460958'],
			]),
		],
		[
			'national mobile forms that differ from E.164',
			cases([
				['011 15-2345-6789', '5491123456789', 'ar'],
				['011 15 2345 6789', '5491123456789', 'ar'],
				['+54 11 15 2345 6789', '5491123456789'],
				['+54 9 11 2345-6789', '5491123456789'],
				['0341 15-123-4567', '5493411234567', 'ar'],
				['+52 1 55 1234 5678', '525512345678'],
				['+52 55 1234 5678', '525512345678'],
				['044 55 1234 5678', '525512345678', 'mx'],
				['01 55 1234 5678', '525512345678', 'mx'],
				['55 1234 5678', '525512345678', 'mx'],
				['0 21 11 91234-5678', '5511912345678', 'br'],
			]),
		],
		[
			'a national number that looks as if it carried the code gets the code',
			cases([
				['91234 56789', '919123456789', 'in'],
				['701 123 4567', '77011234567', 'kz'],
				['393 123 4567', '393931234567', 'it'],
				['44 7700 900123', '447700900123', 'gb'],
				['1 650 555 1212', '16505551212', 'us'],
				['91 91234 56789', '919123456789', 'in'],
				['340 123 4567', '13401234567', 'vi'],
			]),
		],
		[
			'what is not a phone number is dropped',
			cases([
				['0123', undefined],
				['+999 123 4567', undefined],
				['+1 650 555 1212 5555 5555 5555', undefined],
				['ext. 123', undefined],
				['', undefined],
				['+', undefined],
			]),
		],
		[
			'without a country, digits without + or 00 are taken as written',
			cases([
				['(650) 555-1212', '6505551212'],
				['07700 900123', '7700900123'],
				['+800 1234 5678', '80012345678'],
				['+001 (616) 954-78 88', '16169547888'],
			]),
		],
	])('%s', (_title, rows) => {
		it.each(rows)('$input ($country) → $expected', ({ input, expected, country }) => {
			expect(phone(input, { country })).toBe(expected);
		});
	});

	// Each deliberate difference from libphonenumber-js: our reading, and libphonenumber's.
	const DIFFERENCE_EXAMPLES: Record<string, { text: string; country?: string; ours?: string; theirs?: string }> = {
		'phone-at-most-15-digits': { text: '+49 40 413635500898', theirs: '4940413635500898' },
		'phone-full-width-plus': { text: '＋４４ ２０ ７９４６ ０９５８', ours: '442079460958' },
		'phone-every-script-digits': { text: '+९१ ९८७६५ ४३२१०', ours: '919876543210' },
		'phone-number-ends-at-a-letter': {
			text: '+55 11 91234-5678 ramal 12',
			ours: '5511912345678',
		},
		'phone-00-anywhere': { text: '00 44 20 7946 0958', country: 'us', ours: '442079460958', theirs: '100442079460958' },
		'phone-mexico-old-prefixes': {
			text: '+52 1 55 1234 5678',
			ours: '525512345678',
			theirs: '5215512345678',
		},
	};

	it('has one example per deliberate difference from libphonenumber, documented', () => {
		expect(Object.keys(DIFFERENCE_EXAMPLES).sort()).toEqual(LIBPHONENUMBER_DIFFERENCES.map((d) => d.id).sort());
		const doc = readFileSync(join(__dirname, '../../../docs/normalization.md'), 'utf8');
		for (const { id } of LIBPHONENUMBER_DIFFERENCES) expect(doc).toContain(`\`${id}\``);
	});

	it.each(Object.entries(DIFFERENCE_EXAMPLES))('difference %s', (id, { text, country, ours, theirs }) => {
		const mine = phone(text, { country });
		const lib = libphonenumberE164(text, country?.toUpperCase());
		expect({ mine, lib }).toEqual({ mine: ours, lib: theirs });
		const truth = (ours ?? theirs) as string;
		const c = { form: 'example', text, country, ours: mine, theirs: lib, truth };
		expect(LIBPHONENUMBER_DIFFERENCES.find((d) => d.applies(c))?.id).toBe(id);
	});

	it('takes the country of the same person from user_data', () => {
		const out = hashUserData({ ph: '8 (912) 345-67-89', country: 'Russia' });
		expect(out.ph).toEqual(hashUserData({ ph: '+79123456789' }).ph);
	});

	it('ships the dialling rules of the installed libphonenumber-js (scripts/generate-phone-data.js)', () => {
		const script = join(__dirname, '../../../scripts/generate-phone-data.js');
		expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
	});

	it('knows the digit zero of every script as a run of ten decimal digits', () => {
		for (const zero of UNICODE_DIGIT_ZEROS) {
			const run = Array.from({ length: 10 }, (_, d) => String.fromCodePoint(zero + d)).join('');
			expect(run).toMatch(/^\p{Nd}{10}$/u);
		}
		expect(UNICODE_DIGIT_ZEROS.length).toBeGreaterThan(50);
	});
});
