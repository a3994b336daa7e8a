/** Every node and credential the package ships (package.json's n8n block), loaded from the sources. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialType, INodeType, INodeTypeDescription } from 'n8n-workflow';

export const ROOT = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

/** dist/nodes/X/X.node.js → <root>/nodes/X/X.node (the TypeScript source). */
const source = (entry: string) => join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, ''));

function firstClass<T>(file: string): T {
	// The node files, by the paths package.json gives: a dynamic require, as n8n's loader does.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = Object.values(require(file) as Record<string, new () => T>);
	return new exported[0]();
}

export interface ShippedNode {
	/** e.g. nodes/MetaConversionsApi/MetaConversionsApi.node */
	file: string;
	type: INodeType;
	description: INodeTypeDescription;
	/** The codex file next to it (*.node.json). */
	codex: { alias?: string[]; categories?: string[] };
}

export function shippedNodes(): ShippedNode[] {
	return pkg.n8n.nodes.map((entry) => {
		const file = source(entry);
		const type = firstClass<INodeType>(file);
		const codex = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
		return { file: file.slice(ROOT.length + 1), type, description: type.description, codex };
	});
}

export function shippedCredentials(): ICredentialType[] {
	return pkg.n8n.credentials.map((entry) => firstClass<ICredentialType>(source(entry)));
}
