import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SHOPIFY_HUBSPOT_PROPERTIES } from '../../nodes/core/shopify/hubspot';
import { loadConfig } from '../../service/src/config';
import { startServer, type Running } from '../../service/src/server';
import type { JobView } from '../../service/src/usecases/jobs/jobView';
import type { Recorded } from '../support/httpDouble';
import { startHubSpotDouble, type HubSpotDouble } from '../support/hubspotDouble';

// A destination down for longer than its client's retries: the job is tried again after waits that
// double between its claims (1, 2, 4 s here; 30 s up to 15 min shipped), so an outage longer than
// maxAttempts leases still ends done, and GET /v1/jobs/{id} says why the job waits meanwhile.

jest.setTimeout(60_000);

const SECRET = 'sync-job-retry-secret-0123456789';
const HUBSPOT_TOKEN = 'pat-sync-job-retry-token';
const ROWS = 40;
const OUTAGE_MS = 6_000;

let hubspot: HubSpotDouble;
let relay: Running;
let dataDir: string;
/** Which requests HubSpot answers 503 (an outage); a test sets it. */
let down: (req: Recorded) => boolean = () => false;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'relay-job-retry-'));
	hubspot = await startHubSpotDouble({ token: HUBSPOT_TOKEN, down: (req) => down(req) });
	const config = loadConfig({
		PORT: '0',
		RELAY_DATA_DIR: dataDir,
		RELAY_API_SECRET: SECRET,
		HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN,
		HUBSPOT_API_URL: hubspot.url,
		HUBSPOT_REQUESTS_PER_10S: '1000',
		LOG_LEVEL: 'silent',
	});
	relay = await startServer(
		config,
		pino({ level: 'silent' }),
		{},
		{
			jobs: {
				leaseSeconds: 1,
				idleMs: 50,
				maxAttempts: 5,
				retryFirstSeconds: 1,
				retryMaxSeconds: 4,
				// Each call gives up at once: the outage outlasts it on the first request.
				retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
			},
		},
	);
});

afterAll(async () => {
	await relay?.stop();
	await hubspot?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit = {}) =>
	fetch(`http://127.0.0.1:${relay.port}${path}`, {
		...init,
		headers: { authorization: `Bearer ${SECRET}`, ...(init.headers as Record<string, string>) },
	});

test('a HubSpot outage past the per-call retries and past 5 leases: the claims back off, the wait is explained, the job ends done', async () => {
	const emails = Array.from({ length: ROWS }, (_, i) => `retry.${i}@example.com`);
	const downUntil = Date.now() + OUTAGE_MS;
	down = () => Date.now() < downUntil;
	const res = await api('/v1/jobs?source=file&hubspot=true', {
		method: 'POST',
		headers: { 'content-type': 'application/x-ndjson' },
		body: emails.map((email) => JSON.stringify({ email })).join('\n'),
	});
	expect(res.status).toBe(202);
	const { id } = (await res.json()) as JobView;

	// Watched as n8n's Wait would, noting when each new attempt shows and what the job says meanwhile.
	const claimedAt = new Map<number, number>();
	const waiting: JobView[] = [];
	let job: JobView;
	for (;;) {
		job = (await (await api(`/v1/jobs/${id}`)).json()) as JobView;
		if (!claimedAt.has(job.attempts)) claimedAt.set(job.attempts, Date.now());
		if (['done', 'failed', 'cancelled'].includes(job.state)) break;
		if (job.error) waiting.push(job);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	down = () => false;

	expect(job.error).toBeNull();
	expect(job.state).toBe('done');
	// Claims at about 0, 1, 3 and 7 s: the fourth one is past the 6 s outage (one lease each would
	// have used up all 5 attempts within about 5 s).
	expect(job.attempts).toBe(4);
	const at = [1, 2, 3, 4].map((n) => claimedAt.get(n));
	expect(at.every((t) => t !== undefined)).toBe(true);
	const gaps = [at[1]! - at[0]!, at[2]! - at[1]!, at[3]! - at[2]!];
	expect(gaps[0]).toBeGreaterThanOrEqual(900);
	expect(gaps[1]).toBeGreaterThanOrEqual(1_900);
	expect(gaps[2]).toBeGreaterThanOrEqual(3_900);
	expect(job.counters.hubspot).toMatchObject({ sent: ROWS, invalid: 0 });
	for (const email of emails) expect(hubspot.contactByEmail(email)).toBeDefined();

	// While it waited: still running (not failed), the attempt and HubSpot's reason in `error`.
	expect(waiting.length).toBeGreaterThan(0);
	for (const w of waiting) {
		expect(['queued', 'sending']).toContain(w.state);
		expect(w.error).toMatch(
			/^attempt [1-3] of 5 failed; next attempt after \d{4}-\d\d-\d\dT[\d:.]+Z: HubSpot unavailable: .*SERVICE_UNAVAILABLE/,
		);
		expect(w.error).not.toMatch(/@/);
	}
	expect(waiting.map((w) => w.error!.match(/^attempt (\d)/)![1])).toContain('2');
});

test("nothing about a job outlives its attempt: the attempt after a retry's wait checks HubSpot's properties again", async () => {
	const propertyRequests = () => hubspot.received.filter((r) => r.path.startsWith('/crm/v3/properties/contacts'));
	const before = propertyRequests().length;
	// The first upsert call fails (both of its tries); the properties were checked just before it.
	let failures = 2;
	down = (req) => req.path.endsWith('/contacts/batch/upsert') && failures-- > 0;
	const res = await api('/v1/jobs?source=file&hubspot=true', {
		method: 'POST',
		headers: { 'content-type': 'application/x-ndjson' },
		body: ['a', 'b', 'c'].map((name) => JSON.stringify({ email: `again.${name}@example.com` })).join('\n'),
	});
	expect(res.status).toBe(202);
	const { id } = (await res.json()) as JobView;
	let job: JobView;
	do {
		await new Promise((resolve) => setTimeout(resolve, 50));
		job = (await (await api(`/v1/jobs/${id}`)).json()) as JobView;
	} while (!['done', 'failed', 'cancelled'].includes(job.state));
	down = () => false;
	expect(job).toMatchObject({ state: 'done', error: null, attempts: 2 });
	// The group and each property, once per attempt.
	expect(propertyRequests().length - before).toBe(2 * (SHOPIFY_HUBSPOT_PROPERTIES.length + 1));
	expect(hubspot.contactByEmail('again.c@example.com')).toBeDefined();
});
