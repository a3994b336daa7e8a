import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const WORKFLOWS_DIR = join(__dirname, '../../workflows');

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id?: string; name: string }>;
}

export interface WorkflowFile {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: object;
	[key: string]: unknown;
}

export function workflowFiles(): string[] {
	return readdirSync(WORKFLOWS_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort();
}

export function readWorkflow(file: string): WorkflowFile {
	return JSON.parse(readFileSync(join(WORKFLOWS_DIR, file), 'utf8')) as WorkflowFile;
}

/**
 * A shipped workflow as a person would import it, then pointed at the test's credentials: the
 * files name their credentials but carry no ids (those belong to each n8n instance).
 */
export function forImport(file: string, id: string, credentialIds: Record<string, string>): WorkflowFile {
	const wf = readWorkflow(file);
	for (const node of wf.nodes) {
		for (const [type, ref] of Object.entries(node.credentials ?? {})) {
			const credentialId = credentialIds[type];
			if (!credentialId) throw new Error(`${file}: node ${node.name} needs a ${type} credential the test did not give`);
			node.credentials = { ...node.credentials, [type]: { id: credentialId, name: ref.name } };
		}
	}
	return { ...wf, id, active: false };
}
