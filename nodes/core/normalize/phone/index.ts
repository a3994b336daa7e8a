/**
 * ph: E.164 digits without the +, from the forms people type, by each country's dialling rules
 * (libphonenumber's data, generated at development time: scripts/generate-phone-data.js).
 * Deliberate differences from libphonenumber and Meta's param builder: docs/normalization.md.
 */
import type { NormalizeContext } from '../fields';
import { dialled } from './digits';
import { afterExitPrefix, fromCountry, fromInternational, planOf } from './rules';

export function phone(value: string, ctx: NormalizeContext = {}): string | undefined {
	const d = dialled(value);
	if (!d || !d.digits) return undefined;
	const plan = planOf(ctx.country);
	let e164: string | undefined;
	if (d.plus) {
		// +00 44 … and +0044 …: the param builder drops zeros after the +, so do we.
		e164 = fromInternational(d.digits.replace(/^0+/, ''));
	} else if (plan) {
		e164 = fromCountry(d.digits, plan);
	} else {
		const abroad = afterExitPrefix(d.digits);
		// Without a country a national number cannot get its code: its digits are all there is.
		e164 = abroad !== undefined ? fromInternational(abroad) : d.digits.replace(/^0+/, '');
	}
	// E.164 numbers have at most 15 digits; fewer than 7 cannot carry a country code and a number.
	return e164 && e164.length >= 7 && e164.length <= 15 ? e164 : undefined;
}
