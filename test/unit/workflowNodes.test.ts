/**
 * Every shipped workflow against the package's own node descriptions (what n8n loads from the
 * package.json entries): each node of this package exists in the version the file names, and each
 * parameter it sets is one that version shows with the other parameters as set, holding a value
 * the parameter accepts. n8n imports a workflow whatever its parameters say and drops what it
 * does not know silently at run time, so a renamed parameter or option would only show in the
 * end-to-end runs.
 */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';
import { readWorkflow, workflowFiles } from '../support/workflowFiles';
import { shippedNodes } from './nodes/packageNodes';

const PACKAGE = 'n8n-nodes-conversion-relay.';
const descriptions = new Map(shippedNodes().map((n) => [n.description.name, n.description]));

type Values = Record<string, unknown>;

function versionMatches(condition: unknown, version: number): boolean {
	if (typeof condition === 'number') return condition === version;
	const cnd = (condition as { _cnd?: Record<string, number> })._cnd;
	if (!cnd) throw new Error(`unsupported @version condition ${JSON.stringify(condition)}`);
	return Object.entries(cnd).every(([op, v]) => {
		if (op === 'gte') return version >= v;
		if (op === 'gt') return version > v;
		if (op === 'lte') return version <= v;
		if (op === 'lt') return version < v;
		if (op === 'eq') return version === v;
		throw new Error(`unsupported @version condition ${op}`);
	});
}

/** n8n's displayOptions: every show key matches, no hide key does. */
function shown(property: INodeProperties, values: Values, version: number): boolean {
	const matches = (key: string, allowed: unknown[]) =>
		key === '@version'
			? allowed.some((c) => versionMatches(c, version))
			: allowed.some((a) => JSON.stringify(a) === JSON.stringify(values[key]));
	const { show, hide } = property.displayOptions ?? {};
	for (const [key, allowed] of Object.entries(show ?? {})) if (!matches(key, allowed as unknown[])) return false;
	for (const [key, allowed] of Object.entries(hide ?? {})) if (matches(key, allowed as unknown[])) return false;
	return true;
}

/** The parameters as n8n sees them: what the file sets over the defaults, resolved top-down. */
function effectiveValues(properties: INodeProperties[], set: Values, version: number): Values {
	// Resource decides Operation, which decides the rest: again until nothing changes.
	let values: Values = {};
	for (let pass = 0; pass < 10; pass++) {
		const next: Values = {};
		for (const p of properties)
			if (!(p.name in next) && shown(p, values, version)) next[p.name] = p.name in set ? set[p.name] : p.default;
		if (JSON.stringify(next) === JSON.stringify(values)) return values;
		values = next;
	}
	throw new Error('displayOptions do not settle');
}

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

/** What is wrong with one value for its parameter, or nothing. */
function valueProblem(p: INodeProperties, value: unknown, path: string): string[] {
	if (isExpression(value)) return [];
	const optionValues = () => ((p.options ?? []) as INodePropertyOptions[]).map((o) => o.value);
	switch (p.type) {
		case 'string':
			return typeof value === 'string' ? [] : [`${path}: not a string`];
		case 'number':
			return typeof value === 'number' ? [] : [`${path}: not a number`];
		case 'boolean':
			return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
		case 'options':
			return optionValues().includes(value as string) ? [] : [`${path}: ${JSON.stringify(value)} is not an option`];
		case 'multiOptions':
			return Array.isArray(value)
				? value.filter((v) => !optionValues().includes(v)).map((v) => `${path}: ${JSON.stringify(v)} is not an option`)
				: [`${path}: not a list`];
		case 'collection': {
			if (!value || typeof value !== 'object') return [`${path}: not an object`];
			const fields = new Map(((p.options ?? []) as INodeProperties[]).map((o) => [o.name, o]));
			return Object.entries(value).flatMap(([k, v]) =>
				fields.has(k) ? valueProblem(fields.get(k)!, v, `${path}.${k}`) : [`${path}.${k}: no such option`],
			);
		}
		case 'fixedCollection': {
			if (!value || typeof value !== 'object') return [`${path}: not an object`];
			const groups = new Map(((p.options ?? []) as INodePropertyCollection[]).map((o) => [o.name, o]));
			return Object.entries(value).flatMap(([k, v]) => {
				const group = groups.get(k);
				if (!group) return [`${path}.${k}: no such group`];
				const fields = new Map(group.values.map((f) => [f.name, f]));
				return (Array.isArray(v) ? v : [v]).flatMap((entry: Values, i) =>
					Object.entries(entry).flatMap(([f, fv]) =>
						fields.has(f)
							? valueProblem(fields.get(f)!, fv, `${path}.${k}[${i}].${f}`)
							: [`${path}.${k}.${f}: no such field`],
					),
				);
			});
		}
		default:
			return [];
	}
}

/** Every problem of one workflow node against its node description. */
function problems(node: { name: string; type: string; typeVersion?: number; parameters: Values }): string[] {
	const description = descriptions.get(node.type.slice(PACKAGE.length));
	if (!description) return [`${node.name}: no node ${node.type} in the package`];
	const versions = Array.isArray(description.version) ? description.version : [description.version];
	const version = node.typeVersion ?? 1;
	if (!versions.includes(version))
		return [`${node.name}: ${node.type} has no version ${version} (${versions.join(', ')})`];
	const values = effectiveValues(description.properties, node.parameters, version);
	const out: string[] = [];
	for (const [name, value] of Object.entries(node.parameters)) {
		const candidates = description.properties.filter((p) => p.name === name);
		const visible = candidates.find((p) => shown(p, values, version));
		if (candidates.length === 0) out.push(`${node.name}: no parameter ${name}`);
		else if (!visible) out.push(`${node.name}: parameter ${name} is not shown with these settings`);
		else out.push(...valueProblem(visible, value, `${node.name}: ${name}`));
	}
	// What n8n would ask for: a required parameter shown, left at an empty default.
	for (const p of description.properties)
		if (p.required && p.type !== 'notice' && shown(p, values, version) && (values[p.name] ?? '') === '')
			out.push(`${node.name}: required parameter ${p.name} is empty`);
	return out;
}

describe.each(workflowFiles())('workflows/%s', (file) => {
	const wf = readWorkflow(file) as ReturnType<typeof readWorkflow> & {
		connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	};

	it("sets on this package's nodes only parameters and values their descriptions have", () => {
		const own = wf.nodes.filter((n) => n.type.startsWith(PACKAGE));
		expect(own.flatMap((n) => problems(n as Parameters<typeof problems>[0]))).toEqual([]);
	});

	it('connects only nodes it has, each name once', () => {
		const names = wf.nodes.map((n) => n.name);
		expect(new Set(names).size).toBe(names.length);
		const linked = Object.entries(wf.connections).flatMap(([from, c]) => [from, ...c.main.flat().map((to) => to.node)]);
		expect(linked.filter((n) => !names.includes(n))).toEqual([]);
	});
});

describe('the check itself', () => {
	const start = {
		name: 'Start',
		type: `${PACKAGE}conversionRelay`,
		typeVersion: 1.1,
		parameters: { resource: 'job', operation: 'start', jobSource: 'shopify_customers', audienceId: '1' },
	};

	it('passes a node set as the editor would set it', () => {
		expect(problems(start)).toEqual([]);
	});

	it('finds an unknown node, version, parameter, option, a parameter not shown and an empty required one', () => {
		expect(problems({ ...start, type: `${PACKAGE}nope` })).toEqual([`Start: no node ${PACKAGE}nope in the package`]);
		expect(problems({ ...start, typeVersion: 3 })).toEqual([
			`Start: ${PACKAGE}conversionRelay has no version 3 (1, 1.1)`,
		]);
		expect(problems({ ...start, parameters: { ...start.parameters, audienceMod: 'add' } })).toEqual([
			'Start: no parameter audienceMod',
		]);
		expect(problems({ ...start, parameters: { ...start.parameters, audienceMode: 'append' } })).toEqual([
			'Start: audienceMode: "append" is not an option',
		]);
		expect(problems({ ...start, parameters: { ...start.parameters, audienceSchema: ['EMAIL', 'MAIL'] } })).toEqual([
			'Start: audienceSchema: "MAIL" is not an option',
		]);
		// Purchase events are for orders; the pixel field is not shown for customers.
		expect(problems({ ...start, parameters: { ...start.parameters, jobPixelId: '1' } })).toEqual([
			'Start: parameter jobPixelId is not shown with these settings',
		]);
		expect(problems({ ...start, parameters: { ...start.parameters, audienceId: '' } })).toEqual([
			'Start: required parameter audienceId is empty',
		]);
	});
});
