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
			if (v.includes('\u0000')) throw new HttpError(400, 'invalid_value', `${path || 'body'}: the character U+0000 is not allowed`, path || undefined);
			if (LONE_SURROGATE.test(v)) throw new HttpError(400, 'invalid_value', `${path || 'body'}: a lone UTF-16 surrogate is not text`, path || undefined);
			continue;
		}
		if (!v || typeof v !== 'object') continue;
		if (depth >= maxDepth) throw new HttpError(400, 'too_deep', `${path || 'body'}: nested deeper than ${maxDepth} levels`, path || undefined);
		const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
		for (const [k, x] of entries) {
			if (k.includes('\u0000') || LONE_SURROGATE.test(k)) throw new HttpError(400, 'invalid_value', `${path || 'body'}: a key contains U+0000 or a lone surrogate`, path || undefined);
			stack.push({ v: x, path: path ? `${path}.${k}` : k, depth: depth + 1 });
		}
	}
}

/** The body as JSON, within what storage can take; `object` refuses anything but a JSON object. */
export function parseJsonBody(raw: Buffer, maxDepth: number, { object = false } = {}): unknown {
	let value: unknown;
	try {
		value = JSON.parse(raw.toString('utf8'));
	} catch {
		throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
	}
	if (object && (!value || typeof value !== 'object' || Array.isArray(value))) throw new HttpError(400, 'invalid_payload', 'the body must be a JSON object');
	checkJsonLimits(value, maxDepth);
	return value;
}
