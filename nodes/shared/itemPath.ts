/**
 * A parameter whose expressions are all only paths into the current item (`={{ $json.email }}`,
 * `={{ $json["billing"]["zip"] }}`) is read from the item directly, with the value n8n's
 * expression engine would give: n8n 2.x evaluates each expression in an isolate, about a
 * millisecond per field and item. Anything this cannot answer exactly gives NOT_DIRECT, and the
 * caller asks n8n as before.
 */
export const NOT_DIRECT: unique symbol = Symbol('not direct');
type Resolved = unknown;

/** The whole expression: `{{ $json` followed by `.name`, `[0]`, `["key"]` or `['key']` steps. */
const PATH_EXPRESSION =
	/^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[(?:0|[1-9]\d{0,8}|"[^"\\\n]*"|'[^'\\\n]*')\])*)\s*\}\}$/;
const STEP = /\.([A-Za-z_$][\w$]*)|\[(?:(\d+)|"([^"]*)"|'([^']*)')\]/g;

// Names n8n's sandbox refuses to read (it throws; asking n8n gives that same error), and names
// every object inherits (their values are functions, which n8n reports as errors too).
const REFUSED = new Set([
	'prototype',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
]);
const refused = (key: string) => REFUSED.has(key) || key in Object.prototype || key in Array.prototype;

/** The path's keys, or undefined when the text is not only a path into $json. */
export function parseItemPath(raw: string): string[] | undefined {
	const match = PATH_EXPRESSION.exec(raw);
	if (!match) return undefined;
	const keys: string[] = [];
	for (const step of match[1].matchAll(STEP)) keys.push(step[1] ?? step[2] ?? step[3] ?? step[4]);
	return keys.some(refused) ? undefined : keys;
}

function isPlainContainer(value: object): boolean {
	if (Array.isArray(value)) return true;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

/** A copy of a JSON-shaped value (as the isolate hands back), or NOT_DIRECT for anything else. */
function copyOfJson(value: unknown): Resolved {
	if (value === null || value === undefined) return value;
	const type = typeof value;
	if (type === 'string' || type === 'number' || type === 'boolean') return value;
	if (type !== 'object' || !isPlainContainer(value as object)) return NOT_DIRECT;
	// n8n's two engines copy these differently (one keeps the null prototype and an own
	// "__proto__" key, the other does not): left to n8n.
	if (Object.getPrototypeOf(value) === null || Object.prototype.hasOwnProperty.call(value, '__proto__'))
		return NOT_DIRECT;
	if (Array.isArray(value)) {
		const out: unknown[] = [];
		for (const entry of value) {
			const copy = copyOfJson(entry);
			if (copy === NOT_DIRECT) return NOT_DIRECT;
			out.push(copy);
		}
		return out;
	}
	const out: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
		const copy = copyOfJson(entry);
		if (copy === NOT_DIRECT) return NOT_DIRECT;
		out[key] = copy;
	}
	return out;
}

/**
 * The value at the path. Like n8n: a missing key, or a step past null or undefined, is undefined.
 * A step into a string, number or other non-plain value is left to n8n.
 */
export function readItemPath(json: unknown, keys: readonly string[]): Resolved {
	let value: unknown = json;
	for (const key of keys) {
		if (value === null || value === undefined) return undefined;
		if (typeof value !== 'object' || !isPlainContainer(value)) return NOT_DIRECT;
		value = Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
	}
	return copyOfJson(value);
}

/** A compiled parameter: how to get its value for one item's json, or undefined if n8n must. */
export type DirectParameter = (json: unknown) => Resolved;

/**
 * Compiles a parameter's raw value (as stored in the workflow). Texts without `=` are kept as
 * they are, as n8n does; objects and arrays are resolved entry by entry into new ones.
 */
export function compileDirect(raw: unknown): DirectParameter | undefined {
	if (typeof raw === 'string') {
		if (!raw.startsWith('=')) return () => raw;
		const keys = parseItemPath(raw);
		return keys && ((json) => readItemPath(json, keys));
	}
	if (raw === null || typeof raw !== 'object') return () => raw;
	const entries: Array<[string, DirectParameter]> = [];
	for (const [key, value] of Object.entries(raw)) {
		const compiled = compileDirect(value);
		if (!compiled) return undefined;
		entries.push([key, compiled]);
	}
	if (Array.isArray(raw)) {
		return (json) => {
			const out: unknown[] = [];
			for (const [, read] of entries) {
				const value = read(json);
				if (value === NOT_DIRECT) return NOT_DIRECT;
				out.push(value);
			}
			return out;
		};
	}
	return (json) => {
		const out: Record<string, unknown> = {};
		for (const [key, read] of entries) {
			const value = read(json);
			if (value === NOT_DIRECT) return NOT_DIRECT;
			out[key] = value;
		}
		return out;
	};
}
