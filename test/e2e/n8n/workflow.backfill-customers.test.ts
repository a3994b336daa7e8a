import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { startChild, type ChildServer } from '../../../bench/lib/child';
import { memoryMb, n8nStartPid } from '../../../bench/lib/proc';
import { BENCH_SECRET, relayEnv } from '../../../bench/lib/relayEnv';
import type { JobView } from '../../../service/src/usecases/jobs/jobView';
import { startAudiencesDouble, type AudiencesDouble } from '../../support/audiencesDouble';
import { startHubSpotDouble, type HubSpotDouble } from '../../support/hubspotDouble';
import { ownerSession } from '../../support/n8nRest';
import { freePort } from '../../support/ports';
import { startRealN8n, type N8nServer, type RealN8n } from '../../support/realN8n';
import { customerTruth } from '../../support/shopifyCustomers';
import { startShopifyDouble, type ShopifyDouble } from '../../support/shopifyDouble';
import { forImport } from '../../support/workflowFiles';

// workflows/backfill-customers.json (the whole-shop backfill as a sync job) imported into a real
// n8n as shipped, with the relay service beside it in a child process (the compiled service, as
// the bench runs it) reading a 20,000-customer shop from the Shopify double's bulk operation.

const ROOT = join(__dirname, '../../..');
const CUSTOMERS = 20_000;
const NOW = Date.now();
const SHOP = { nowMs: NOW, seed: 1 };
const META_TOKEN = 'EAAB-backfill-job';
const HUBSPOT_TOKEN = 'pat-na1-backfill-job';
const SHOPIFY_TOKEN = 'shpat_backfill_job';
// HubSpot's limit for a private app (100 requests in any 10 s), enforced by the double; the service told the same.
const HUBSPOT_PER_10S = 100;
// The target: starting and watching a whole-shop backfill costs n8n next to nothing.
const RSS_BUDGET_MB = 200;
// An id the audiences double never gave out: Meta answers (#100) "does not exist".
const MISSING_AUDIENCE = '23859999999999';
const WAIT_NODE = 'Wait for the job';
const START_NODE = 'Start the backfill job';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const truths = Array.from({ length: CUSTOMERS }, (_, i) => customerTruth(i, SHOP));
const withEmail = truths.filter((t) => t.email);

interface RunData {
	[node: string]: Array<{
		data?: { main?: Array<Array<{ json: Record<string, unknown> }>> };
		error?: { message?: string };
	}>;
}
interface Execution {
	status: string;
	finished: boolean;
	data: {
		resultData: { runData: RunData; lastNodeExecuted?: string; error?: { message?: string; node?: { name?: string } } };
	};
}

/**
 * n8n's execution data as the editor receives it (flatted): one JSON array, the value first, and
 * every string inside an object or array an index into that array (to a string or to a shared object).
 */
function unflatten(text: string): unknown {
	const table = JSON.parse(text) as unknown[];
	const revived = new Map<number, unknown>();
	const at = (index: number): unknown => {
		const entry = table[index];
		if (typeof entry !== 'object' || entry === null) return entry;
		const known = revived.get(index);
		if (known) return known;
		const out: Record<string, unknown> = Array.isArray(entry) ? ([] as unknown as Record<string, unknown>) : {};
		revived.set(index, out);
		for (const [key, value] of Object.entries(entry)) out[key] = typeof value === 'string' ? at(Number(value)) : value;
		return out;
	};
	return at(0);
}

/** The first output item of a node's last run. */
const outputOf = (execution: Execution, node: string) => {
	const runs = execution.data.resultData.runData[node] ?? [];
	return runs[runs.length - 1]?.data?.main?.[0]?.[0]?.json;
};

/**
 * The editor's way of running a workflow by hand (POST /rest/workflows/:id/run from its manual
 * trigger) and reading the execution (GET /rest/executions/:id), with the owner's session.
 */
async function editor(base: string) {
	const rest = await ownerSession(base);
	const login = await fetch(`${base}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': 'backfill-e2e' },
		// The owner ownerSession set up.
		body: JSON.stringify({ emailOrLdapLoginId: 'owner@e2e.example', password: 'E2e-Owner-Passw0rd' }),
	});
	if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
	const cookie = login.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	const call = async (method: string, path: string, body?: object) => {
		const res = await fetch(`${base}/rest${path}`, {
			method,
			headers: { cookie, 'browser-id': 'backfill-e2e', ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const text = await res.text();
		if (res.status !== 200) throw new Error(`${method} /rest${path} answered ${res.status}: ${text}`);
		return (JSON.parse(text) as { data: unknown }).data;
	};
	return {
		rest,
		/** Runs the workflow from this trigger; resolves once the execution has ended. */
		run: async (workflowId: string, trigger: string, timeoutMs: number): Promise<Execution> => {
			const started = (await call('POST', `/workflows/${workflowId}/run`, {
				triggerToStartFrom: { name: trigger },
			})) as { executionId?: string };
			if (!started.executionId) throw new Error(`no execution started: ${JSON.stringify(started)}`);
			const until = Date.now() + timeoutMs;
			for (;;) {
				const raw = (await call('GET', `/executions/${started.executionId}`)) as Omit<Execution, 'data'> & {
					data: string;
				};
				if (!['new', 'running', 'waiting'].includes(raw.status))
					return { ...raw, data: unflatten(raw.data) as Execution['data'] };
				if (Date.now() > until) throw new Error(`execution ${started.executionId} still ${raw.status}`);
				await new Promise((r) => setTimeout(r, 2000));
			}
		},
	};
}

describe('workflow: backfill as a sync job: Shopify customers → Custom Audience (replace) + HubSpot, any shop size', () => {
	let shopify: ShopifyDouble;
	let audiences: AudiencesDouble;
	let hubspot: HubSpotDouble;
	let relay: ChildServer;
	let relayUrl: string;
	let n8n: RealN8n;
	let server: N8nServer;
	let ui: Awaited<ReturnType<typeof editor>>;
	let audienceId: string;
	let execution: Execution;
	let memory: { idle: number; peak: number; samples: number };

	const api = async <T>(path: string): Promise<T> => {
		const res = await fetch(`${relayUrl}${path}`, { headers: { authorization: `Bearer ${BENCH_SECRET}` } });
		if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
		return (await res.json()) as T;
	};

	/** The shipped workflow under this id, with what its sticky note asks a person to fill in. */
	const importBackfill = async (id: string, audience: string) => {
		const wf = forImport('backfill-customers.json', id, { conversionRelayApi: 'relay' });
		const settings = wf.nodes.find((n) => n.name === 'Backfill settings');
		if (!settings) throw new Error('no Backfill settings node');
		for (const a of (settings.parameters.assignments as { assignments: Array<{ name: string; value: string }> })
			.assignments)
			if (a.name === 'audienceId') a.value = audience;
		await n8n.importWorkflow(wf);
	};

	beforeAll(async () => {
		execFileSync(
			process.execPath,
			[join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'bench/tsconfig.json')],
			{ stdio: 'inherit' },
		);
		shopify = await startShopifyDouble({
			clientSecret: 'shpss_backfill_job',
			accessToken: SHOPIFY_TOKEN,
			bulk: { customers: CUSTOMERS, nowMs: NOW, seed: 1, runningPolls: 2 },
		});
		audiences = await startAudiencesDouble({ token: META_TOKEN, account: '1234' });
		hubspot = await startHubSpotDouble({ token: HUBSPOT_TOKEN, rateLimit: { perTenSeconds: HUBSPOT_PER_10S } });
		audienceId = audiences.seed('All Shopify customers');
		// Someone who stopped being a customer: the replace must take them out.
		audiences.audiences.get(audienceId)!.members.set('gone', { EMAIL: sha('former@example.com') });

		const port = await freePort();
		relayUrl = `http://127.0.0.1:${port}`;
		relay = await startChild(
			'relay',
			relayEnv({
				BENCH_PORT: String(port),
				META_ACCESS_TOKEN: META_TOKEN,
				META_GRAPH_URL: audiences.url,
				SHOPIFY_SHOP: shopify.shop,
				SHOPIFY_ADMIN_URL: shopify.url,
				SHOPIFY_ADMIN_TOKEN: SHOPIFY_TOKEN,
				HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN,
				HUBSPOT_API_URL: hubspot.url,
				HUBSPOT_REQUESTS_PER_10S: String(HUBSPOT_PER_10S),
				// The runner looks for work and at Shopify's operation often, not every few seconds.
				BENCH_JOBS: JSON.stringify({ idleMs: 100, bulkPollMs: 200 }),
			}),
		);

		n8n = await startRealN8n();
		await n8n.importCredentials([
			{
				id: 'relay',
				name: 'Conversion Relay',
				type: 'conversionRelayApi',
				data: { baseUrl: relayUrl, apiSecret: BENCH_SECRET },
			},
		]);
		await importBackfill('wfBackfillJob1', audienceId);
		await importBackfill('wfBackfillJob2', MISSING_AUDIENCE);
		server = await n8n.serve();
		ui = await editor(server.url);

		// n8n at rest, then sampled through the whole run.
		const pid = n8nStartPid(Number(new URL(server.url).port));
		await new Promise((r) => setTimeout(r, 3000));
		const idle = memoryMb(pid).rss;
		memory = { idle, peak: idle, samples: 0 };
		const sampler = setInterval(() => {
			try {
				memory.peak = Math.max(memory.peak, memoryMb(pid).rss);
				memory.samples += 1;
			} catch {
				// n8n gone: the run fails on its own, and too few samples fail the memory check.
			}
		}, 250);
		try {
			// The shipped Wait polls every 30 s: the run is one to three polls long.
			execution = await ui.run('wfBackfillJob1', 'Run backfill', 4 * 60_000);
		} finally {
			clearInterval(sampler);
		}
	}, 45 * 60_000);

	afterAll(async () => {
		await server?.stop();
		await n8n?.close();
		await relay?.stop();
		await Promise.all([shopify?.close(), audiences?.close(), hubspot?.close()]);
	});

	it('succeeds, its Wait node handing on the done job with its counters, and Summary sums them up', async () => {
		expect(execution.data.resultData.error).toBeUndefined();
		expect(execution.status).toBe('success');
		const job = outputOf(execution, WAIT_NODE) as unknown as JobView;
		expect(job).toMatchObject({
			id: outputOf(execution, START_NODE)?.id,
			state: 'done',
			source: 'shopify_customers',
			error: null,
			attempts: 1,
			spec: {
				audience: {
					id: audienceId,
					mode: 'replace',
					schema: ['EMAIL', 'PHONE', 'FN', 'LN', 'CT', 'ST', 'ZIP', 'COUNTRY', 'EXTERN_ID'],
				},
				hubspot: { enabled: true },
			},
			counters: {
				read: CUSTOMERS,
				total: CUSTOMERS,
				// Every customer has its Shopify id (EXTERN_ID): none is without an identifier.
				audience: { sent: CUSTOMERS, invalid: 0, requests: Math.ceil(CUSTOMERS / 10_000) },
				hubspot: { sent: withEmail.length, invalid: CUSTOMERS - withEmail.length },
			},
		});
		// What n8n handed on is what the service holds.
		expect(job.counters).toEqual((await api<JobView>(`/v1/jobs/${job.id}`)).counters);
		expect(outputOf(execution, 'Summary')).toEqual({
			job_id: job.id,
			state: 'done',
			customers_read: CUSTOMERS,
			audience_rows_sent: CUSTOMERS,
			audience_customers_without_identifier: 0,
			hubspot_contacts_written: withEmail.length,
			hubspot_customers_without_email: CUSTOMERS - withEmail.length,
			started_at: job.started_at,
			finished_at: job.finished_at,
		});
		// One bulk export of the whole shop.
		expect(shopify.bulkOperations).toHaveLength(1);
	});

	it("makes the audience exactly the shop's customers: their hashed e-mails and phones, in one replace session", () => {
		expect(new Set(audiences.memberValues(audienceId, 'EMAIL'))).toEqual(new Set(withEmail.map((t) => sha(t.email!))));
		expect(new Set(audiences.memberValues(audienceId, 'PHONE'))).toEqual(
			new Set(truths.flatMap((t) => (t.phone ? [sha(t.phone)] : []))),
		);
		expect(audiences.memberValues(audienceId, 'EXTERN_ID')).toEqual(truths.map((t) => t.legacyId).sort());
		expect(audiences.audiences.get(audienceId)!.members.size).toBe(CUSTOMERS);
		const sessions = audiences.received
			.filter((r) => r.path.endsWith(`/${audienceId}/usersreplace`))
			.map((r) => (r.body as { session: { session_id: number; last_batch_flag: boolean } }).session);
		expect(new Set(sessions.map((s) => s.session_id)).size).toBe(1);
		expect(sessions.map((s) => s.last_batch_flag)).toEqual([false, true]);
	});

	it('upserts exactly the customers with an e-mail into HubSpot, within its rate limit', () => {
		expect(new Set([...hubspot.contacts.values()].map((c) => c.properties.email.toLowerCase()))).toEqual(
			new Set(withEmail.map((t) => t.email)),
		);
		expect(hubspot.contacts.size).toBe(withEmail.length);
		// More requests than one window allows: the limit was in play, and kept.
		expect(hubspot.limits.accepted).toBeGreaterThan(HUBSPOT_PER_10S);
		expect(hubspot.limits.maxInWindow).toBeLessThanOrEqual(HUBSPOT_PER_10S);
	});

	it('lists the job as done on the status page', async () => {
		const id = String(outputOf(execution, WAIT_NODE)?.id);
		const res = await fetch(`${relayUrl}/`, { headers: { authorization: `Bearer ${BENCH_SECRET}` } });
		expect(res.status).toBe(200);
		const html = await res.text();
		const row = new RegExp(`<tr data-job="${id}" data-state="([a-z]+)">([\\s\\S]*?)</tr>`).exec(html);
		expect(row?.[1]).toBe('done');
		expect(row?.[2]).toContain(`audience ${audienceId} (replace): ${CUSTOMERS} sent, 0 without identifier`);
		expect(row?.[2]).toContain(`HubSpot: ${withEmail.length} upserted, ${CUSTOMERS - withEmail.length} without e-mail`);
	});

	it(`keeps n8n light: its resident memory stays within ${RSS_BUDGET_MB} MB of idle through the run`, () => {
		// Sampled four times a second over a run of at least one 30 s poll.
		expect(memory.samples).toBeGreaterThan(100);
		// Measured: about 700 MB at rest, under 30 MB more at the peak.
		expect(memory.peak - memory.idle).toBeLessThan(RSS_BUDGET_MB);
	});

	it(
		"fails at the Wait node with the job's reason when the job fails (an audience that does not exist)",
		async () => {
			const failed = await ui.run('wfBackfillJob2', 'Run backfill', 4 * 60_000);
			expect(failed.status).toBe('error');
			expect(failed.data.resultData.lastNodeExecuted).toBe(WAIT_NODE);
			const id = String(outputOf(failed, START_NODE)?.id);
			const job = await api<JobView>(`/v1/jobs/${id}`);
			expect(job.state).toBe('failed');
			expect(job.error).toMatch(/Meta refused/);
			expect(job.error).toContain('does not exist');
			const message = `Sync job ${id} failed: ${job.error}`;
			expect(failed.data.resultData.error?.message).toBe(message);
			expect(failed.data.resultData.runData[WAIT_NODE]?.[0]?.error?.message).toBe(message);
			expect(failed.data.resultData.runData.Summary).toBeUndefined();
			// The real audience is untouched by the failed job.
			expect(audiences.audiences.get(audienceId)!.members.size).toBe(CUSTOMERS);
			const res = await fetch(`${relayUrl}/`, { headers: { authorization: `Bearer ${BENCH_SECRET}` } });
			expect(await res.text()).toMatch(new RegExp(`<tr data-job="${id}" data-state="failed">`));
		},
		6 * 60_000,
	);
});
