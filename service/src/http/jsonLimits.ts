import { HttpError } from './errors';

// Events (custom_data, contents) need 4 levels; Shopify's orders nest about 8 deep.
export const EVENT_MAX_DEPTH = 8;
export const WEBHOOK_MAX_DEPTH = 20;

/**
 * One walk over a parsed body (iterative: a hostile depth cannot overflow the stack): refuses
 * nesting deeper than maxDepth, and strings with U+0000 or a lone UTF-16 surrogate ("\ud800" is
 * valid JSON), which Postgres cannot store in jsonb: refused here with a 400 naming the field,
 * not failed later with a 500 at the insert.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function checkJsonLimits(value: unknown, maxDepth: number): void {
	const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: '', depth: 0 }];
	while (stack.length) {
		const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
		if (typeof v === 'string') {
			if (v.includes('\u0000'))
				throw new HttpError(
					400,
					'invalid_value',
					`${path || 'body'}: the character U+0000 is not allowed`,
					path || undefined,
				);
			if (LONE_SURROGATE.test(v))
				throw new HttpError(
					400,
					'invalid_value',
					`${path || 'body'}: a lone UTF-16 surrogate is not text`,
					path || undefined,
				);
			continue;
		}
		if (!v || typeof v !== 'object') continue;
		if (depth >= maxDepth)
			throw new HttpError(
				400,
				'too_deep',
				`${path || 'body'}: nested deeper than ${maxDepth} levels`,
				path || undefined,
			);
		const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
		for (const [k, x] of entries) {
			if (k.includes('\u0000') || LONE_SURROGATE.test(k))
				throw new HttpError(
					400,
					'invalid_value',
					`${path || 'body'}: a key contains U+0000 or a lone surrogate`,
					path || undefined,
				);
			stack.push({ v: x, path: path ? `${path}.${k}` : k, depth: depth + 1 });
		}
	}
}

// An integer JSON.parse cannot hold exactly has at least 16 digits (2^53 − 1 = 9007199254740991).
const SIXTEEN_DIGITS = /\d{16}/;

/** Where the string token opening at `open` ends (after its closing quote). */
function endOfString(text: string, open: number): number {
	for (let from = open + 1; ;) {
		const close = text.indexOf('"', from);
		if (close < 0) return text.length;
		let backslashes = 0;
		while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
		if (backslashes % 2 === 0) return close + 1;
		from = close + 1;
	}
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
// The rest of a number token: digits, '.', 'e', 'E', '+', '-'.
const isNumberPart = (c: number) => isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;

/**
 * Valid JSON with every integer literal past 2^53 written as a string of its digits. JSON.parse
 * reads numbers as doubles: 9007199254740993 would read as …992, so two ids sent apart became one.
 * Strings are skipped whole (digits in text are never touched); other numbers stay numbers.
 */
function longIntegersAsText(text: string): string {
	const parts: string[] = [];
	let copied = 0;
	for (let i = 0; i < text.length;) {
		const c = text.charCodeAt(i);
		if (c === 0x22) {
			i = endOfString(text, i);
			continue;
		}
		if (c !== 0x2d && !isDigit(c)) {
			i++;
			continue;
		}
		const start = i;
		let digitsOnly = true;
		for (i++; i < text.length && isNumberPart(text.charCodeAt(i)); i++) digitsOnly &&= isDigit(text.charCodeAt(i));
		if (!digitsOnly || i - start < 16) continue;
		const token = text.slice(start, i);
		if (Number.isSafeInteger(Number(token))) continue;
		parts.push(text.slice(copied, start), '"', token, '"');
		copied = i;
	}
	return copied === 0 ? text : parts.join('') + text.slice(copied);
}

/**
 * The body as JSON, within what storage can take; `object` refuses anything but a JSON object.
 * An integer too long for a number (an id past 2^53) arrives as the string of its digits.
 */
export function parseJsonBody(raw: Buffer, maxDepth: number, { object = false } = {}): unknown {
	const text = raw.toString('utf8');
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
	}
	// Read again only when some number may have lost digits; the text is valid JSON by now.
	if (SIXTEEN_DIGITS.test(text)) value = JSON.parse(longIntegersAsText(text));
	if (object && (!value || typeof value !== 'object' || Array.isArray(value)))
		throw new HttpError(400, 'invalid_payload', 'the body must be a JSON object');
	checkJsonLimits(value, maxDepth);
	return value;
}
