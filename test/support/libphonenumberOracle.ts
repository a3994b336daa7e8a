/** libphonenumber-js (max metadata) as the phone oracle: a dev dependency, never shipped. */
import type { CountryCode } from 'libphonenumber-js/max';
import { parsePhoneNumberFromString as parsePhoneNumber } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/metadata.min.json';

/** libphonenumber's own reading of a typed number: its E.164 digits (no +), or undefined. */
export function libphonenumberE164(text: string, country?: string): string | undefined {
	const n = parsePhoneNumber(text, country ? { defaultCountry: country as CountryCode } : undefined);
	return n?.number.slice(1);
}

const CALLING_CODES = new Set([
	...Object.keys((metadata as unknown as { country_calling_codes: object }).country_calling_codes),
	...Object.keys((metadata as unknown as { nonGeographic: object }).nonGeographic),
]);

/** Whether digits start with a calling code some country or service has. */
export function hasCallingCode(digits: string): boolean {
	return [1, 2, 3].some((n) => digits.length >= n && CALLING_CODES.has(digits.slice(0, n)));
}
