import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkflow, workflowFiles } from '../support/workflowFiles';

const E2E = join(__dirname, '../e2e/n8n');

// What every shipped workflow must be: tested in a real n8n, free of secrets, explained inside.
describe.each(workflowFiles())('workflows/%s', (file) => {
	const wf = readWorkflow(file);

	it('has its own real-n8n test', () => {
		expect(existsSync(join(E2E, `workflow.${file.replace(/\.json$/, '')}.test.ts`))).toBe(true);
	});

	it('carries no credential ids, tokens or pinned data', () => {
		for (const node of wf.nodes)
			for (const ref of Object.values(node.credentials ?? {})) expect(ref).toEqual({ name: expect.any(String) });
		expect(wf.pinData ?? {}).toEqual({});
		expect(JSON.stringify(wf)).not.toMatch(/EAA[A-Za-z0-9]{10,}|shpat_[a-f0-9]{10,}|pat-[a-z0-9-]{20,}/);
	});

	it('explains its set-up in a sticky note and in workflows/README.md', () => {
		expect(
			wf.nodes.some((n) => n.type === 'n8n-nodes-base.stickyNote' && String(n.parameters.content).includes('Set up')),
		).toBe(true);
		expect(readFileSync(join(__dirname, '../../workflows/README.md'), 'utf8')).toContain(`(${file})`);
	});
});
