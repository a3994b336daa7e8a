import type { Place } from './record';

export interface Entry {
	place: Place;
	file: string;
	text: string;
}

// Keys under which tests send e-mails, phones, names and street addresses (the event API's flat
// and Meta-style fields, Shopify's and Chatwoot's payloads, Supabase rows).
const PERSONAL_KEYS = new Set([
	'email',
	'contact_email',
	'em',
	'phone',
	'phone_number',
	'ph',
	'first_name',
	'last_name',
	'firstName',
	'lastName',
	'fn',
	'ln',
	'address1',
	'address2',
	'street',
	'city',
	'ct',
]);
const HASH = /^[0-9a-f]{64}$/;

function collect(value: unknown, out: Set<string>, key = '', depth = 0): void {
	if (depth > 30) return;
	if (typeof value === 'string') {
		if (!PERSONAL_KEYS.has(key)) return;
		const v = value.trim();
		// Short values ("Li", "NY") would match unrelated text; hashes are what is meant to be stored.
		if (v.length < 5 || HASH.test(v.toLowerCase())) return;
		out.add(v.toLowerCase());
		const digits = v.replace(/\D/g, '');
		if (/^\+?[\d\s().-]+$/.test(v) && digits.length >= 9) out.add(digits);
		return;
	}
	if (Array.isArray(value)) value.forEach((v) => collect(v, out, key, depth + 1));
	else if (value && typeof value === 'object')
		for (const [k, v] of Object.entries(value)) collect(v, out, k, depth + 1);
}

/** The raw values sent, and where any of them came back out. */
export function findLeaks(entries: Entry[]) {
	const values = new Set<string>();
	for (const e of entries.filter((x) => x.place === 'sent')) {
		try {
			collect(JSON.parse(e.text), values);
		} catch {
			// not JSON (a fuzz case): nothing to learn from it
		}
	}
	const scanned = { answer: 0, log: 0, database: 0, meta: 0 };
	const leaks: string[] = [];
	for (const e of entries) {
		if (e.place === 'sent') continue;
		scanned[e.place] += e.place === 'answer' || e.place === 'meta' ? 1 : e.text.split('\n').length;
		const text = e.text.toLowerCase();
		for (const v of values)
			if (text.includes(v))
				leaks.push(
					`${e.place} in ${e.file}: "${v}" in ${e.text.slice(Math.max(0, text.indexOf(v) - 80), text.indexOf(v) + v.length + 80)}`,
				);
	}
	return { values: values.size, scanned, leaks };
}
