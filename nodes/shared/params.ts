import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';
import { compileDirect, NOT_DIRECT, type DirectParameter } from './itemPath';

export type ParamReader = (name: string, itemIndex: number, fallback?: unknown) => unknown;

function holdsNoExpression(value: unknown): boolean {
	if (typeof value === 'string') return !value.startsWith('=');
	if (Array.isArray(value)) return value.every(holdsNoExpression);
	if (value && typeof value === 'object') return Object.values(value).every(holdsNoExpression);
	return true;
}

/**
 * getNodeParameter for every item, except where n8n's answer is known without asking it: a
 * parameter without any expression is read once (it is the same for all items, and n8n resolves
 * each call anew), and one whose expressions are all paths into the item (`={{ $json.email }}`)
 * is read from the item (itemPath.ts). 10,000 items × 10 parameters was most of the node's time.
 */
export function paramReader(ctx: IExecuteFunctions): ParamReader {
	const raw = ctx.getNode().parameters ?? {};
	const items = ctx.getInputData();
	const constant = new Map<string, unknown>();
	const absent = new Map<string, unknown>();
	const direct = new Map<string, DirectParameter | undefined>();
	const fromN8n = (name: string, itemIndex: number, fallback: unknown) =>
		fallback === undefined
			? ctx.getNodeParameter(name, itemIndex)
			: ctx.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType);
	return (name, itemIndex, fallback) => {
		if (constant.has(name)) return constant.get(name);
		if (!(name in raw)) {
			// Not set (hidden by its display options): n8n gives the fallback, the same for every item.
			const key = `${name}\u0000${typeof fallback}:${String(fallback)}`;
			if (absent.has(key)) return absent.get(key);
			const value = fromN8n(name, itemIndex, fallback);
			if (fallback === null || typeof fallback !== 'object') absent.set(key, value);
			return value;
		}
		if (holdsNoExpression(raw[name])) {
			const value = fromN8n(name, itemIndex, fallback);
			constant.set(name, value);
			return value;
		}
		if (!direct.has(name)) direct.set(name, compileDirect(raw[name]));
		const read = direct.get(name);
		const json = items[itemIndex]?.json;
		if (read && json) {
			const value = read(json);
			if (value !== NOT_DIRECT) return value;
		}
		return fromN8n(name, itemIndex, fallback);
	};
}

const readers = new WeakMap<IExecuteFunctions, ParamReader>();

/** One item's parameter through the run's one paramReader (a node's context lasts one run). */
export function itemParam(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown): unknown {
	let read = readers.get(ctx);
	if (!read) {
		read = paramReader(ctx);
		readers.set(ctx, read);
	}
	return read(name, itemIndex, fallback);
}
