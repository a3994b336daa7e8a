import { PHONE_PLANS } from '../data/phonePlans';

/** One country's numbering plan: libphonenumber's facts (data/phonePlans.ts), regexes compiled on use. */
export interface Plan {
	country: string;
	code: string;
	/** International (exit) prefix at the start of the digits: 00, 011, 810, 0011 … */
	idd: RegExp;
	nationalPrefix: string;
	/** National (trunk) prefix at the start, with carrier codes or mobile tokens captured (Argentina's 15). */
	prefixForParsing?: RegExp;
	transform: string;
	lengths: readonly number[];
	leadingDigits?: RegExp;
	pattern: RegExp;
}

interface Index {
	byCountry: Map<string, Plan>;
	/** Plans sharing a calling code, its main country first. */
	byCode: Map<string, Plan[]>;
}

let index: Index | undefined;

// Parsed on the first phone, so that importing the core costs nothing; regexes are small and anchored.
function getIndex(): Index {
	if (index) return index;
	const built: Index = { byCountry: new Map(), byCode: new Map() };
	for (const row of PHONE_PLANS) {
		const [country, code, idd, nationalPrefix, forParsing, transform, lengths, leading, pattern] = row.split(' ');
		const prefix = forParsing || nationalPrefix;
		const plan: Plan = {
			country,
			code,
			idd: new RegExp(`^(?:${idd || '00'})`),
			nationalPrefix,
			prefixForParsing: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
			transform,
			lengths: lengths ? lengths.split(',').map(Number) : [],
			leadingDigits: leading ? new RegExp(`^(?:${leading})`) : undefined,
			pattern: new RegExp(`^(?:${pattern})$`),
		};
		if (country !== '001') built.byCountry.set(country, plan);
		const shared = built.byCode.get(code);
		if (shared) shared.push(plan);
		else built.byCode.set(code, [plan]);
	}
	index = built;
	return built;
}

export function planOfCountry(alpha2: string): Plan | undefined {
	return getIndex().byCountry.get(alpha2);
}

/** The calling code the digits start with (codes are prefix-free: 1 to 3 digits) and its plans. */
export function plansOfLeadingCode(digits: string): Plan[] | undefined {
	const { byCode } = getIndex();
	for (let n = 1; n <= 3 && n <= digits.length; n++) {
		const plans = byCode.get(digits.slice(0, n));
		if (plans) return plans;
	}
	return undefined;
}

export function plansOfCode(code: string): Plan[] {
	return getIndex().byCode.get(code) ?? [];
}
