/**
 * Differential test of phone normalization against libphonenumber-js (max metadata): valid numbers
 * of every country in the forms people type, our E.164 against libphonenumber's. Every
 * disagreement must fall under a deliberate difference (docs/normalization.md, test/support/
 * phoneDifferences.ts); the counts per form are printed.
 */
import { phone } from '../../../nodes/core/normalize/fields';
import { LIBPHONENUMBER_DIFFERENCES } from '../../support/phoneDifferences';
import { libphonenumberE164 } from '../../support/libphonenumberOracle';
import { FORMS, allCountries, numbersOf } from '../../support/phoneForms';
import { Random } from '../../support/random';

const NUMBERS_PER_COUNTRY = 16;
const SEED = 20261201;

interface Tally {
	cases: number;
	agree: number;
	/** Ours is the number generated; libphonenumber's reading differs. */
	oursRight: number;
	byReason: Map<string, number>;
	unexplained: string[];
	/** Disagreements where ours is not the generated number either. */
	oursWrong: string[];
}

describe('phone normalization against libphonenumber', () => {
	const tallies = new Map<string, Tally>();
	let numbers = 0;
	let countries = 0;

	beforeAll(() => {
		const random = new Random(SEED);
		for (const country of allCountries()) {
			const generated = numbersOf(country, NUMBERS_PER_COUNTRY, random);
			if (generated.length) countries++;
			numbers += generated.length;
			for (const g of generated) {
				for (const [form, render] of Object.entries(FORMS)) {
					const typed = render(g, random);
					if (!typed) continue;
					const t: Tally = tallies.get(form) ?? {
						cases: 0,
						agree: 0,
						oursRight: 0,
						byReason: new Map(),
						unexplained: [],
						oursWrong: [],
					};
					tallies.set(form, t);
					t.cases++;
					const ours = phone(typed.text.normalize('NFC'), { country: typed.country });
					const theirs = libphonenumberE164(typed.text, typed.country?.toUpperCase());
					if (ours === theirs) {
						t.agree++;
						continue;
					}
					const truth = g.e164.slice(1);
					const c = { form, text: typed.text, country: typed.country, ours, theirs, truth };
					const reason = LIBPHONENUMBER_DIFFERENCES.find((d) => d.applies(c));
					if (ours === truth) t.oursRight++;
					else if (reason?.id !== 'phone-at-most-15-digits') t.oursWrong.push(JSON.stringify(c));
					if (reason) t.byReason.set(reason.id, (t.byReason.get(reason.id) ?? 0) + 1);
					else t.unexplained.push(JSON.stringify(c));
				}
			}
		}
		const lines = [...tallies].map(([form, t]) => {
			const reasons = [...t.byReason].map(([id, n]) => `${id} ${n}`).join(', ');
			return `  ${form}: ${t.cases} cases, ${t.agree} agree, ${t.cases - t.agree} disagree (ours the generated number in ${t.oursRight}${reasons ? `; ${reasons}` : ''}${t.unexplained.length ? `; unexplained ${t.unexplained.length}` : ''})`;
		});
		process.stdout.write(`phone differential: ${numbers} numbers of ${countries} countries\n${lines.join('\n')}\n`);
	});

	it('generates numbers for every country', () => {
		expect(countries).toBeGreaterThan(230);
		expect(numbers).toBeGreaterThan(3000);
	});

	it('reads the generated number wherever it disagrees with libphonenumber', () => {
		const wrong = [...tallies.values()].flatMap((t) => t.oursWrong);
		expect(wrong.slice(0, 30)).toEqual([]);
	});

	it('explains every disagreement by a documented difference', () => {
		const unexplained = [...tallies.values()].flatMap((t) => t.unexplained);
		expect(unexplained.slice(0, 30)).toEqual([]);
	});
});
