import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

export type ParamReader = (name: string, itemIndex: number, fallback?: unknown) => unknown;

function holdsNoExpression(value: unknown): boolean {
	if (typeof value === 'string') return !value.startsWith('=');
	if (Array.isArray(value)) return value.every(holdsNoExpression);
	if (value && typeof value === 'object') return Object.values(value).every(holdsNoExpression);
	return true;
}

/**
 * getNodeParameter for every item, except that a parameter without any expression is read once:
 * it is the same for all items, and n8n resolves each call anew (10,000 items × 10 parameters
 * was most of the node's time).
 */
export function paramReader(ctx: IExecuteFunctions): ParamReader {
	const raw = ctx.getNode().parameters ?? {};
	const cache = new Map<string, unknown>();
	return (name, itemIndex, fallback) => {
		if (cache.has(name)) return cache.get(name);
		const value =
			fallback === undefined
				? ctx.getNodeParameter(name, itemIndex)
				: ctx.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType);
		if (name in raw && holdsNoExpression(raw[name])) cache.set(name, value);
		return value;
	};
}
