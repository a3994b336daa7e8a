import { COUNTRY_ROWS } from './data/countries';
import { foldWord } from './fold';

interface CountryIndex {
	alpha2: Set<string>;
	/** Folded names, short forms and alpha-3 codes; alpha-2 codes only where a language writes one as a name (U.S.). */
	byName: Map<string, string>;
}

let index: CountryIndex | undefined;

// Built on first use so that importing the core costs nothing.
function getIndex(): CountryIndex {
	if (index) return index;
	const built: CountryIndex = { alpha2: new Set(), byName: new Map() };
	for (const row of COUNTRY_ROWS) {
		const [a2, a3, names] = row.split('|');
		built.alpha2.add(a2);
		if (a3) built.byName.set(a3, a2);
		for (const name of names.split(',')) if (name) built.byName.set(name, a2);
	}
	index = built;
	return built;
}

const TWO_LETTERS = /^[a-z]{2}$/i;

/**
 * A code written as two letters alone. `NA` is "not applicable" far more often than Namibia, and
 * `no`/`No` an answer more often than Norway, which platforms write as `NO`: those are dropped.
 */
function twoLetterCode(code: string): string | undefined {
	const folded = code.toLowerCase();
	if (folded === 'na') return undefined;
	if (folded === 'no' && code !== 'NO') return undefined;
	const { alpha2, byName } = getIndex();
	return alpha2.has(folded) ? folded : byName.get(folded);
}

/**
 * ISO 3166-1 alpha-2 (lowercase) of a country written as its alpha-2 or alpha-3 code or its name
 * in any of the languages of the generated table; undefined when unknown or ambiguous. A name with
 * punctuation between two letters is not a code (`N/A`, `n.a.`), except the dotted short forms a
 * language writes as names (`U.S.`, `U.K.`).
 */
export function countryCodeOf(value: string): string | undefined {
	const text = value.trim();
	if (TWO_LETTERS.test(text)) return twoLetterCode(text);
	const folded = foldWord(text);
	return folded ? getIndex().byName.get(folded) : undefined;
}
