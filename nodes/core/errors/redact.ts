/**
 * Outside APIs quote the values they reject ("email x@y is invalid"): those words go into n8n's
 * execution data and logs, where no raw personal data belongs. E-mail addresses and international
 * phone numbers become [redacted], and a message that quotes a huge value is cut short.
 */
// Bounded like real addresses (64 + 255), so a long run without @ costs linear time.
const EMAIL = /[^\s"'<>(),;:[\]{}@]{1,64}@[^\s"'<>(),;:[\]{}@]{1,255}/g;
// International numbers (+ and seven or more digits with their usual separators). Bare digit
// runs stay: they are far more often record and order ids, which a person needs to see.
const PHONE = /\+\d(?:[\s().-]*\d){6,}/g;
export const MAX_MESSAGE_LENGTH = 500;

export function redactText(text: string, max = MAX_MESSAGE_LENGTH): string {
	// Cut before matching: a quoted value can be megabytes long.
	const head = text.length > max + 300 ? text.slice(0, max + 300) : text;
	const clean = head.replace(EMAIL, '[redacted]').replace(PHONE, '[redacted]');
	return clean.length > max || head.length < text.length
		? `${clean.slice(0, max)}… (message cut at ${max} characters)`
		: clean;
}

/** Every string inside an API's error body, redacted (ids and codes without digit runs are kept). */
export function redactBody<T>(value: T, depth = 0): T {
	if (typeof value === 'string') return redactText(value, 2000) as T;
	if (depth > 20 || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map((v) => redactBody(v, depth + 1)) as T;
	return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactBody(v, depth + 1)])) as T;
}

// Control, zero-width, direction-override and surrogate characters would hide or reorder a
// message: each shows as "?".
// eslint-disable-next-line no-control-regex
const HIDING_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/g;

/** A value as an error message may show it: short, printable, and no more than its kind when it is not text. */
export function describeValue(value: unknown): string {
	if (value === null || value === undefined) return 'empty';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value !== 'string') return `${typeof value} ${String(value)}`;
	const printable = value.replace(HIDING_CHARACTERS, '?');
	return `"${printable.length > 40 ? `${printable.slice(0, 40)}…` : printable}"`;
}
