import { COUNTRY_ROWS } from './data/countries';

interface CountryIndex {
	alpha2: Set<string>;
	byAlias: Map<string, string>;
	callingCode: Map<string, string>;
}

// Common names the ISO tables leave out (two-letter "uk" is not ISO: GB is).
const EXTRA_ALIASES: Readonly<Record<string, string>> = {
	uk: 'gb',
	england: 'gb',
	scotland: 'gb',
	wales: 'gb',
	northernireland: 'gb',
	britain: 'gb',
	holland: 'nl',
	america: 'us',
	unitedstatesamerica: 'us',
	southkorea: 'kr',
	northkorea: 'kp',
	russia: 'ru',
	czechia: 'cz',
	czechrepublic: 'cz',
	vietnam: 'vn',
	turkiye: 'tr',
};

let index: CountryIndex | undefined;

// Built on first use so that importing the core costs nothing.
function getIndex(): CountryIndex {
	if (index) return index;
	const built: CountryIndex = { alpha2: new Set(), byAlias: new Map(), callingCode: new Map() };
	for (const row of COUNTRY_ROWS) {
		const [a2, a3, code, names] = row.split('|');
		built.alpha2.add(a2);
		built.byAlias.set(a3, a2);
		if (code) built.callingCode.set(a2, code);
		for (const name of names.split(',')) if (name) built.byAlias.set(name, a2);
	}
	for (const [alias, a2] of Object.entries(EXTRA_ALIASES)) built.byAlias.set(alias, a2);
	index = built;
	return built;
}

/** ISO 3166-1 alpha-2 (lowercase) for a folded code or name; undefined when unknown. */
export function countryCodeOf(folded: string): string | undefined {
	const { alpha2, byAlias } = getIndex();
	if (folded.length === 2 && alpha2.has(folded)) return folded;
	return byAlias.get(folded);
}

/** International calling code (digits) of an alpha-2 country, e.g. us → 1, de → 49. */
export function callingCodeOf(alpha2: string): string | undefined {
	return getIndex().callingCode.get(alpha2);
}
