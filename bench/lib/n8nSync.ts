import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startRealN8n, type N8nServer, type RealN8n } from '../../test/support/realN8n';
import { memoryMb, n8nStartPid } from './proc';

const WORKFLOW_ID = 'benchSyncJob0001';
const HOOK = 'bench-sync-job';

/** Webhook → Conversion Relay Sync Job Start → Wait: what a user's backfill workflow does, started over HTTP. */
function workflow(audienceId: string, schema: string[]) {
	const credentials = { conversionRelayApi: { id: 'bench-relay', name: 'Relay service' } };
	return {
		id: WORKFLOW_ID,
		name: 'bench sync job',
		active: false,
		settings: {},
		nodes: [
			{
				id: 's1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: HOOK, responseMode: 'onReceived', options: {} },
			},
			{
				id: 's2',
				name: 'Start',
				type: 'n8n-nodes-conversion-relay.conversionRelay',
				typeVersion: 1.1,
				position: [240, 0],
				credentials,
				parameters: {
					resource: 'job',
					operation: 'start',
					jobSource: 'shopify_customers',
					toAudience: true,
					audienceId,
					audienceMode: 'replace',
					audienceSchema: schema,
					audienceSegment: 'all',
					toHubSpot: true,
				},
			},
			{
				id: 's3',
				name: 'Wait',
				type: 'n8n-nodes-conversion-relay.conversionRelay',
				typeVersion: 1.1,
				position: [480, 0],
				credentials,
				parameters: {
					resource: 'job',
					operation: 'wait',
					jobId: '={{ $json.id }}',
					pollInterval: 5,
					maxWaitMinutes: 120,
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Start', type: 'main', index: 0 }]] },
			Start: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
		},
	};
}

export interface N8nSync {
	pid: number;
	/**
	 * Resident memory before the workflow runs, MB: the lowest of 20 samples a second apart. n8n's
	 * RSS falls for a while after its start (655 MB averaged over the first 10 s, 447 MB at most
	 * during the run that followed): the lowest is the baseline least in its favour.
	 */
	idleMb: number;
	/** POSTs to the workflow's webhook (n8n answers at once and runs it). */
	trigger(): Promise<void>;
	/** Waits for the execution to end; its status and n8n's own start → stop time. */
	finished(timeoutMs: number): Promise<{ status: string; ms: number }>;
	/** The largest VmRSS sampled (every second) since trigger(), MB. */
	peakMb(): number;
	stop(): Promise<void>;
}

/** A real n8n (`n8n start`, the package from dist/) with the sync workflow published against the relay at relayUrl. */
export async function startN8nSync(
	relayUrl: string,
	secret: string,
	audienceId: string,
	schema: string[],
): Promise<N8nSync> {
	const n8n: RealN8n = await startRealN8n();
	let server: N8nServer | undefined;
	try {
		await n8n.importCredentials([
			{
				id: 'bench-relay',
				name: 'Relay service',
				type: 'conversionRelayApi',
				data: { baseUrl: relayUrl, apiSecret: secret },
			},
		]);
		await n8n.importWorkflow(workflow(audienceId, schema));
		await n8n.publish(WORKFLOW_ID);
		server = await n8n.serve();
		await server.webhookLive(HOOK);
	} catch (error) {
		await server?.stop();
		await n8n.close();
		throw error;
	}
	const live = server;
	const pid = n8nStartPid(Number(new URL(live.url).port));
	const idle: number[] = [];
	for (let i = 0; i < 20; i++) {
		await new Promise((r) => setTimeout(r, 1_000));
		idle.push(memoryMb(pid).rss);
	}
	let peak = 0;
	let sampler: ReturnType<typeof setInterval> | undefined;
	return {
		pid,
		idleMb: Math.min(...idle),
		trigger: async () => {
			peak = memoryMb(pid).rss;
			sampler = setInterval(() => {
				try {
					peak = Math.max(peak, memoryMb(pid).rss);
				} catch {
					// n8n went away: the run's status says why.
				}
			}, 1_000);
			const res = await fetch(`${live.url}/webhook/${HOOK}`, {
				method: 'POST',
				body: '{}',
				headers: { 'content-type': 'application/json' },
			});
			if (res.status !== 200) throw new Error(`n8n webhook answered ${res.status}: ${await res.text()}`);
		},
		finished: async (timeoutMs) => {
			const db = new Client({ connectionString: n8n.databaseUrl });
			await db.connect();
			try {
				for (const until = Date.now() + timeoutMs; Date.now() < until;) {
					const { rows } = await db.query<{ status: string; startedAt: Date | null; stoppedAt: Date | null }>(
						`select status, "startedAt", "stoppedAt" from execution_entity where "workflowId" = $1 order by id desc limit 1`,
						[WORKFLOW_ID],
					);
					const run = rows[0];
					if (run && run.stoppedAt && !['new', 'running', 'waiting'].includes(run.status))
						return { status: run.status, ms: run.stoppedAt.getTime() - (run.startedAt?.getTime() ?? NaN) };
					await new Promise((r) => setTimeout(r, 1_000));
				}
				throw new Error(`the n8n execution did not end within ${timeoutMs} ms:\n${live.log().slice(-2000)}`);
			} finally {
				await db.end();
			}
		},
		peakMb: () => peak,
		stop: async () => {
			clearInterval(sampler);
			await live.stop();
			await n8n.close();
		},
	};
}
