import { randomUUID } from 'node:crypto';

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
}

/**
 * The editor's REST API (/rest) of a running `n8n start`, with the owner's session: runs started
 * by webhooks are not printed by the CLI, so tests read them the way the editor does. The owner is
 * set up on first use (POST /rest/owner/setup is open while there is none).
 */
export async function ownerSession(base: string) {
	const browserId = randomUUID();
	const res = await fetch(`${base}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': browserId },
		body: JSON.stringify({
			email: 'owner@e2e.example',
			firstName: 'E2e',
			lastName: 'Owner',
			password: 'E2e-Owner-Passw0rd',
		}),
	});
	if (res.status !== 200) throw new Error(`owner setup answered ${res.status}: ${await res.text()}`);
	const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? ''])
		.map((c) => c.split(';')[0])
		.join('; ');
	const call = async (method: string, path: string, body?: object) => {
		const r = await fetch(`${base}/rest${path}`, {
			method,
			headers: { cookie, 'browser-id': browserId, ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const text = await r.text();
		if (r.status !== 200) throw new Error(`${method} /rest${path} answered ${r.status}: ${text}`);
		return (JSON.parse(text) as { data: unknown }).data;
	};
	return {
		/** This workflow's executions, newest first, as the editor lists them. */
		executions: async (workflowId: string) =>
			(
				(await call('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=250`)) as {
					results: ExecutionSummary[];
				}
			).results,
		deactivate: (workflowId: string) => call('POST', `/workflows/${workflowId}/deactivate`, {}),
	};
}

export type OwnerSession = Awaited<ReturnType<typeof ownerSession>>;
