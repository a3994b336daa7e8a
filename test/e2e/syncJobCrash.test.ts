import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { startChild, type ChildServer } from '../../bench/lib/child';
import type { JobView } from '../../service/src/usecases/jobs/jobView';
import { BENCH_SECRET, relayEnv } from '../../bench/lib/relayEnv';
import { startAudiencesDouble } from '../support/audiencesDouble';
import { startHubSpotDouble } from '../support/hubspotDouble';
import { customerTruth } from '../support/shopifyCustomers';
import { startShopifyDouble } from '../support/shopifyDouble';
import { freePort } from '../support/ports';

// The compiled service (as the bench runs it) in a child process that can be SIGKILLed mid-job.
const ROOT = join(__dirname, '../..');
const CUSTOMERS = 20_000;
const NOW = Date.now();
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(() => {
	execFileSync(
		process.execPath,
		[join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'bench/tsconfig.json')],
		{ stdio: 'inherit' },
	);
}, 120_000);

test('a sync job SIGKILLed halfway goes on from its checkpoint after the restart: every customer once, nobody missing', async () => {
	const meta = await startAudiencesDouble({ token: 'EAAB-crash-jobs', account: '1' });
	const hubspot = await startHubSpotDouble({ token: 'pat-crash-jobs' });
	const shopify = await startShopifyDouble({
		clientSecret: 'shopify-secret',
		accessToken: 'shpat_crash_jobs',
		bulk: { customers: CUSTOMERS, nowMs: NOW, runningPolls: 1 },
	});
	const audience = meta.seed('Everyone');
	const port = await freePort();
	const env = relayEnv({
		BENCH_PORT: String(port),
		META_ACCESS_TOKEN: 'EAAB-crash-jobs',
		META_GRAPH_URL: meta.url,
		SHOPIFY_SHOP: 'relay-test.myshopify.com',
		SHOPIFY_ADMIN_URL: shopify.url,
		SHOPIFY_ADMIN_TOKEN: 'shpat_crash_jobs',
		HUBSPOT_ACCESS_TOKEN: 'pat-crash-jobs',
		HUBSPOT_API_URL: hubspot.url,
		HUBSPOT_REQUESTS_PER_10S: '1000',
		// A killed runner's job is taken over 2 s later instead of 30.
		BENCH_JOBS: JSON.stringify({ leaseSeconds: 2, idleMs: 100, bulkPollMs: 100 }),
	});
	let server: ChildServer = await startChild('relay', env);
	const api = (path: string, init: RequestInit = {}) =>
		fetch(`http://127.0.0.1:${port}${path}`, {
			...init,
			headers: { authorization: `Bearer ${BENCH_SECRET}`, 'content-type': 'application/json' },
		});
	try {
		const created = await api('/v1/jobs', {
			method: 'POST',
			body: JSON.stringify({
				source: 'shopify_customers',
				audience: { id: audience, mode: 'replace', schema: ['EMAIL', 'PHONE'] },
				hubspot: true,
			}),
		});
		expect(created.status).toBe(202);
		const { id } = (await created.json()) as { id: string };
		const read = async () => (await (await api(`/v1/jobs/${id}`)).json()) as JobView;

		// Killed once a checkpoint is past the first audience batch and well before the end.
		let before: JobView;
		for (;;) {
			before = await read();
			if (before.checkpoint.records > 0) break;
			await new Promise((r) => setTimeout(r, 20));
		}
		expect(before.state).toBe('sending');
		expect(before.checkpoint.records).toBeLessThan(CUSTOMERS);
		server.child.kill('SIGKILL');
		await new Promise((resolve) => server.child.once('exit', resolve));
		server = await startChild('relay', env);

		let job: JobView;
		for (;;) {
			job = await read();
			if (['done', 'failed', 'cancelled'].includes(job.state)) break;
			await new Promise((r) => setTimeout(r, 200));
		}
		expect(job.error).toBeNull();
		expect(job.state).toBe('done');
		expect(job.attempts).toBe(2);
		// The export was not started again: the resume polled the same operation.
		expect(shopify.bulkOperations).toHaveLength(1);
		// And the replace went on in its session from the checkpoint's batch, not from the start.
		const sessions = meta.received
			.filter((r) => r.path.endsWith('/usersreplace'))
			.map((r) => (r.body as { session: { session_id: number; batch_seq: number; last_batch_flag: boolean } }).session);
		expect(new Set(sessions.map((s) => s.session_id)).size).toBe(1);
		expect(sessions.filter((s) => s.last_batch_flag)).toHaveLength(1);
		expect(sessions[sessions.length - 1].last_batch_flag).toBe(true);

		const truths = Array.from({ length: CUSTOMERS }, (_, i) => customerTruth(i, { nowMs: NOW, seed: 1 }));
		expect(new Set(meta.memberValues(audience, 'EMAIL'))).toEqual(
			new Set(truths.flatMap((t) => (t.email ? [sha(t.email)] : []))),
		);
		expect(new Set(meta.memberValues(audience, 'PHONE'))).toEqual(
			new Set(truths.flatMap((t) => (t.phone ? [sha(t.phone)] : []))),
		);
		expect(hubspot.contacts.size).toBe(truths.filter((t) => t.email).length);
	} finally {
		await server.stop();
		await Promise.all([meta.close(), hubspot.close(), shopify.close()]);
	}
}, 300_000);
