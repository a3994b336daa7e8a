/** The package as n8n's community rules and the design require it (npm test builds dist first). */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [path];
	});
}

describe('package.json', () => {
	it('is a community node package with no runtime dependencies', () => {
		expect(pkg.name).toBe('n8n-nodes-conversion-relay');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.dependencies).toBeUndefined();
		expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.n8n.strict).toBe(true);
	});

	it('points its n8n block at built files that exist, each with its icon and codex', () => {
		const entries: string[] = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
		expect(pkg.n8n.nodes.length).toBeGreaterThan(0);
		for (const entry of entries) expect(existsSync(join(root, entry))).toBe(true);
		for (const node of pkg.n8n.nodes as string[]) {
			expect(existsSync(join(root, node.replace(/\.js$/, '.json')))).toBe(true);
			const dir = join(root, node, '..');
			expect(readdirSync(dir).some((f) => f.endsWith('.svg'))).toBe(true);
		}
	});

	it('keeps shipped code free of imports outside node built-ins and n8n-workflow', () => {
		const sources = [...filesUnder(join(root, 'nodes')), ...filesUnder(join(root, 'credentials'))].filter((f) =>
			f.endsWith('.ts'),
		);
		const allowed = /(n8n-workflow|node:crypto|\.{1,2}\/.*)$/;
		for (const file of sources) {
			const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
			for (const spec of imports) expect(`${file}: ${spec}`).toMatch(new RegExp(`: ${allowed.source}`));
		}
	});

	it('keeps the domain core free of n8n and I/O', () => {
		const core = filesUnder(join(root, 'nodes/core')).filter((f) => f.endsWith('.ts'));
		for (const file of core) {
			const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
			for (const spec of imports) expect(`${file}: ${spec}`).toMatch(/: (node:crypto|\.{1,2}\/.*)$/);
		}
	});
});
