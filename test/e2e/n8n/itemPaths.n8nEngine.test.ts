import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileDirect, NOT_DIRECT } from '../../../nodes/shared/itemPath';
import { installedN8n } from '../../support/realN8n';

/**
 * The nodes read `={{ $json… }}` parameters from the item themselves (nodes/shared/itemPath.ts).
 * This compares every such read with what the real n8n's own expression code gives for the same
 * parameter and item, in both of its engines (the isolate, n8n 2.x's default, and the legacy one),
 * run in n8n's own Node 24: where the nodes answer directly, the value must be n8n's, and where
 * n8n throws, they must leave it to n8n.
 */

// Items of many shapes, as JavaScript source, so both sides build the same values (NaN, -0,
// Dates, functions and an own "__proto__" key do not survive JSON).
const ITEMS_SOURCE = `[
	{
		email: 'Ada@Example.com', n: 12, zero: 0, negZero: -0, frac: 1.5, big: 1e21, nan: NaN, inf: Infinity,
		yes: true, no: false, nul: null, empty: '', emoji: '😀 é', lone: '\\ud800',
		obj: { zip: '1 2', 'with space': 's', 'a.b': 'dot', 'ключ': 'кириллица', deep: { deeper: { k: 'v' } } },
		arr: [1, 'x', { y: 2 }, null], objs: [{ name: 'first' }, { name: 'second' }], none: [],
		'with space': 'top', 'a.b': 'top-dot', '0': 'zero-key', length: 'own length',
		constructor: 'own constructor', toString: 'own toString',
		date: new Date(0), inst: new (class Thing { constructor() { this.a = 1; } })(), fn: function named() {},
		mixed: { fine: 1, when: new Date(0) }, listWithDate: [1, new Date(0)],
	},
	{},
	{ email: 42, obj: 'text, not an object', arr: { 0: 'object with key 0' }, objs: null },
	JSON.parse('{"__proto__": {"polluted": 1}, "email": "x@y.z"}'),
	Object.assign(Object.create(null), { email: 'null-prototype@example.com', obj: { zip: '9' } }),
]`;

const PATHS = [
	'$json',
	'$json.email',
	'$json.n',
	'$json.zero',
	'$json.negZero',
	'$json.frac',
	'$json.big',
	'$json.nan',
	'$json.inf',
	'$json.yes',
	'$json.no',
	'$json.nul',
	'$json.empty',
	'$json.emoji',
	'$json.lone',
	'$json.missing',
	'$json.missing.deeper',
	'$json.nul.x',
	'$json.email.x',
	'$json.email.length',
	'$json.n.x',
	'$json.obj',
	'$json.obj.zip',
	'$json["obj"]["with space"]',
	"$json['obj']['a.b']",
	'$json.obj["ключ"]',
	'$json.obj.deep.deeper.k',
	'$json.obj.deep.deeper.k.z',
	'$json.arr',
	'$json.arr[0]',
	'$json.arr[2].y',
	'$json.arr[3]',
	'$json.arr[9]',
	'$json.arr["1"]',
	'$json.arr.length',
	'$json.objs[1].name',
	'$json.objs[0]["name"]',
	'$json.none',
	'$json["with space"]',
	"$json['a.b']",
	'$json["0"]',
	'$json[0]',
	'$json.length',
	'$json.constructor',
	'$json.toString',
	'$json["__proto__"]',
	'$json.__proto__',
	'$json.date',
	'$json.inst',
	'$json.inst.a',
	'$json.fn',
	'$json.mixed',
	'$json.mixed.fine',
	'$json.listWithDate',
	'$json.polluted',
	'$json.prototype',
	'$json.obj.hasOwnProperty',
];
const SPACINGS = (path: string) => [`={{ ${path} }}`, `={{${path}}}`, `={{\n\t${path}\n}}`];
const COLLECTION = {
	email: '={{ $json.email }}',
	currency: 'usd',
	nested: { zip: '={{ $json.obj.zip }}', fixed: 7, off: false, none: null },
	list: ['={{ $json.n }}', 'plain', '={{ $json.arr[0] }}'],
};
const CASES: unknown[] = [...PATHS.flatMap(SPACINGS), COLLECTION];

// Tagged so that undefined, NaN, -0 and the infinities compare exactly.
const ENCODE_SOURCE = `function encode(v) {
	if (v === undefined) return { $: 'undefined' };
	if (typeof v === 'number') {
		if (Number.isNaN(v)) return { $: 'NaN' };
		if (Object.is(v, -0)) return { $: '-0' };
		if (!Number.isFinite(v)) return { $: String(v) };
		return v;
	}
	if (v === null || typeof v !== 'object') return typeof v === 'function' ? { $: 'function' } : v;
	if (Array.isArray(v)) return { $: 'array', of: v.map(encode) };
	const proto = Object.getPrototypeOf(v);
	const kind = proto === null ? 'object' : proto.constructor.name;
	return { $: kind, entries: Object.keys(v).map((k) => [k, encode(v[k])]) };
}`;

const CHILD = `
const dir = process.argv[2];
const { Workflow, Expression } = require(dir + '/node_modules/n8n-workflow');
const { cleanupParameterData } = require(dir + '/node_modules/n8n-core/dist/execution-engine/node-execution-context/utils/cleanup-parameter-data.js');
${ENCODE_SOURCE}
async function main() {
	const { engine, cases } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
	if (engine !== 'legacy')
		await Expression.initExpressionEngine({ engine, poolSize: 1, maxCodeCacheSize: 1024, bridgeTimeout: 5000, bridgeMemoryLimit: 128 });
	const nodeType = { description: { properties: [] } };
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const workflow = new Workflow({ id: 'w', nodes: [{ id: 'n', name: 'Node', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }], connections: {}, active: false, nodeTypes });
	const items = ${ITEMS_SOURCE}.map((json) => ({ json }));
	const out = [];
	await workflow.expression.withIsolate(async () => {
		for (const raw of cases) {
			const row = [];
			for (let i = 0; i < items.length; i++) {
				try {
					// What n8n-core's getNodeParameter does with a node's parameter for item i.
					const value = workflow.expression.getParameterValue(raw, null, 0, i, 'Node', items, 'manual', {}, undefined, false, {});
					cleanupParameterData(value);
					row.push({ value: encode(value) });
				} catch (error) {
					row.push({ error: String(error && error.message) });
				}
			}
			out.push(row);
		}
	});
	if (engine !== 'legacy') await Expression.disposeExpressionEngine();
	process.stdout.write(JSON.stringify(out));
}
main().catch((error) => { console.error(error); process.exit(1); });
`;

type Outcome = { value: unknown } | { error: string };

async function evaluateInN8n(engine: 'vm' | 'legacy'): Promise<Outcome[][]> {
	const { dir, node } = await installedN8n();
	const script = join(mkdtempSync(join(tmpdir(), 'item-paths-')), 'evaluate.cjs');
	writeFileSync(script, CHILD);
	return new Promise((resolve, reject) => {
		const child = execFile(node, [script, dir], { maxBuffer: 64 << 20, timeout: 120_000 }, (error, stdout, stderr) =>
			error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as Outcome[][]),
		);
		child.stdin?.end(JSON.stringify({ engine, cases: CASES }));
	});
}

const encode = new Function(`${ENCODE_SOURCE}; return encode;`)() as (v: unknown) => unknown;
const items = new Function(`return ${ITEMS_SOURCE};`)() as unknown[];

function direct(raw: unknown, json: unknown): unknown {
	const read = compileDirect(raw);
	if (!read) return NOT_DIRECT;
	const value = read(json);
	return value === NOT_DIRECT ? NOT_DIRECT : encode(value);
}

describe.each(['vm', 'legacy'] as const)("parameters read from the item match n8n's %s engine", (engine) => {
	let n8n: Outcome[][];
	beforeAll(async () => {
		n8n = await evaluateInN8n(engine);
	}, 45 * 60_000);

	it("gives n8n's value wherever it answers, and leaves every error to n8n", () => {
		const wrong: string[] = [];
		let answered = 0;
		CASES.forEach((raw, c) =>
			items.forEach((json, i) => {
				const ours = direct(raw, json);
				if (ours === NOT_DIRECT) return;
				answered++;
				const theirs = n8n[c][i];
				if ('error' in theirs)
					wrong.push(`${JSON.stringify(raw)} item ${i}: n8n throws "${theirs.error}", read ${JSON.stringify(ours)}`);
				else if (JSON.stringify(theirs.value) !== JSON.stringify(ours))
					wrong.push(
						`${JSON.stringify(raw)} item ${i}: n8n ${JSON.stringify(theirs.value)}, read ${JSON.stringify(ours)}`,
					);
			}),
		);
		expect(wrong).toEqual([]);
		// Most cases are plain paths into plain data: far more than half must be answered directly.
		expect(answered).toBeGreaterThan((CASES.length * items.length) / 2);
	});

	it('answers the paths a workflow maps, on every item shape, without n8n', () => {
		const mapped = ['$json.email', '$json.obj.zip', '$json["obj"]["with space"]', '$json.arr[2].y', '$json.missing'];
		for (const path of mapped)
			for (const raw of SPACINGS(path))
				items.slice(0, 2).forEach((json) => expect(direct(raw, json)).not.toBe(NOT_DIRECT));
		expect(direct(COLLECTION, items[0])).not.toBe(NOT_DIRECT);
		expect(direct('={{ $json }}', items[1])).not.toBe(NOT_DIRECT);
	});
});
