/**
 * Dialling rules, as libphonenumber applies them (its parse, extractCountryCallingCode and
 * extractNationalNumber), on libphonenumber's data: digits in, E.164 digits (no +) out. Every
 * input here is at most MAX_DIGITS digits, so the data's regexes run on bounded text.
 */
import { planOfCountry, plansOfCode, plansOfLeadingCode, type Plan } from './plans';

/** +… digits: the calling code, then the national number with any trunk prefix dropped (+44 (0)20 …). */
export function fromInternational(digits: string): string | undefined {
	const plans = plansOfLeadingCode(digits);
	if (!plans) return undefined;
	const code = plans[0].code;
	return code + nationalNumber(digits.slice(code.length), plans[0]);
}

/** Digits written without +, by a person of a known country: exit prefix, own code, or national. */
export function fromCountry(digits: string, plan: Plan): string | undefined {
	const abroad = afterExitPrefix(digits, plan);
	if (abroad !== undefined) return fromInternational(abroad);
	const withoutCode = ownCodeDropped(digits, plan);
	if (withoutCode !== undefined) return plan.code + nationalNumber(withoutCode, plan);
	return plan.code + nationalNumber(digits, plan);
}

export function planOf(country: string | undefined): Plan | undefined {
	return country ? planOfCountry(country) : undefined;
}

/**
 * Digits after the country's exit prefix (011 in North America, 810 in Russia, 0011 in Australia),
 * or after 00, which people abroad keep typing wherever they are, unless the digits are a national
 * number of the country as written (Japan's and Korea's 00… service numbers).
 */
export function afterExitPrefix(digits: string, plan?: Plan): string | undefined {
	const m = plan?.idd.exec(digits);
	if (m) return digits[m[0].length] === '0' ? undefined : digits.slice(m[0].length);
	if (!digits.startsWith('00') || digits[2] === '0') return undefined;
	if (plan && plan.pattern.test(nationalNumber(digits, plan))) return undefined;
	return digits.slice(2);
}

/**
 * The country's own calling code written without +: dropped only when what follows is a national
 * number and the whole is not (or is too long), so 91 98… in India stays a national number.
 */
function ownCodeDropped(digits: string, plan: Plan): string | undefined {
	if (!digits.startsWith(plan.code)) return undefined;
	const shorter = digits.slice(plan.code.length);
	const whole = nationalNumber(digits, plan);
	const dropped =
		(!plan.pattern.test(whole) && plan.pattern.test(nationalNumber(shorter, plan))) ||
		lengthCheck(whole, plan) === 'long';
	return dropped ? shorter : undefined;
}

/**
 * The national number with its trunk prefix (0, 06, 8, 1 …) and carrier code dropped, Argentina's
 * 0…15… made 9…, local forms completed: unless the result would no longer be a number of the plan.
 */
export function nationalNumber(digits: string, plan: Plan): string {
	const m = plan.prefixForParsing?.exec(digits);
	if (!m) return digits;
	const lastGroup = m.length > 1 ? m[m.length - 1] : undefined;
	const national =
		plan.transform && lastGroup
			? plan.transform.replace(/\$(\d)/g, (_, n: string) => m[Number(n)] ?? '') + digits.slice(m[0].length)
			: digits.slice(m[0].length);
	if (national === digits) return digits;
	if (plan.pattern.test(digits) && !plan.pattern.test(national)) return digits;
	const check = lengthCheck(national, exactPlan(plan.code, national) ?? plan);
	return check === 'short' || check === 'invalid' ? digits : national;
}

type LengthCheck = 'possible' | 'short' | 'long' | 'invalid';

function lengthCheck(national: string, plan: Plan): LengthCheck {
	const { lengths } = plan;
	if (!lengths.length) return 'possible';
	const n = national.length;
	if (n < lengths[0]) return 'short';
	if (n > lengths[lengths.length - 1]) return 'long';
	return lengths.includes(n) ? 'possible' : 'invalid';
}

/** Which of the countries sharing a calling code a national number belongs to (+1 340 … is VI). */
function exactPlan(code: string, national: string): Plan | undefined {
	const plans = plansOfCode(code);
	if (plans.length === 1) return plans[0];
	for (const plan of plans) {
		if (plan.leadingDigits ? plan.leadingDigits.test(national) : plan.pattern.test(national)) return plan;
	}
	return undefined;
}
