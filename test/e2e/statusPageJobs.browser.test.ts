import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../service/src/config';
import { startServer, type Running } from '../../service/src/server';
import type { JobView } from '../../service/src/usecases/jobs/jobView';
import { startAudiencesDouble, type AudiencesDouble } from '../support/audiencesDouble';
import { renderInChromium } from '../support/chromium';
import { startHubSpotDouble, type HubSpotDouble } from '../support/hubspotDouble';

jest.setTimeout(180_000);

const SECRET = 'status-jobs-secret-0123456789';
let meta: AudiencesDouble;
let hubspot: HubSpotDouble;
let relay: Running;
let dataDir: string;

const api = (path: string, init: RequestInit = {}) =>
	fetch(`http://127.0.0.1:${relay.port}${path}`, {
		...init,
		headers: { authorization: `Bearer ${SECRET}`, ...(init.headers as Record<string, string>) },
	});

async function fileJob(query: string, rows: number): Promise<string> {
	const body = Array.from({ length: rows }, (_, i) => JSON.stringify({ email: `page.${i}@example.com` })).join('\n');
	const res = await api(`/v1/jobs?source=file&${query}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-ndjson' },
		body,
	});
	expect(res.status).toBe(202);
	return ((await res.json()) as JobView).id;
}

async function until(id: string, states: string[]): Promise<JobView> {
	for (;;) {
		const job = (await (await api(`/v1/jobs/${id}`)).json()) as JobView;
		if (states.includes(job.state)) return job;
		await new Promise((r) => setTimeout(r, 100));
	}
}

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'relay-status-jobs-'));
	meta = await startAudiencesDouble({ token: 'EAAB-status-jobs', account: '1' });
	// Ten requests per window: the third job is still sending while the page is read.
	hubspot = await startHubSpotDouble({ token: 'pat-status-jobs', rateLimit: { perTenSeconds: 10 } });
	const config = loadConfig({
		PORT: '0',
		RELAY_DATA_DIR: dataDir,
		RELAY_API_SECRET: SECRET,
		META_ACCESS_TOKEN: 'EAAB-status-jobs',
		META_GRAPH_URL: meta.url,
		HUBSPOT_ACCESS_TOKEN: 'pat-status-jobs',
		HUBSPOT_API_URL: hubspot.url,
		HUBSPOT_REQUESTS_PER_10S: '10',
		LOG_LEVEL: 'silent',
	});
	relay = await startServer(config, pino({ level: 'silent' }), {}, { jobs: { leaseSeconds: 5, idleMs: 50 } });
});

afterAll(async () => {
	await relay?.stop();
	await Promise.all([meta?.close(), hubspot?.close()]);
	rmSync(dataDir, { recursive: true, force: true });
});

test('the status page lists running and recent sync jobs with a progress bar and their errors', async () => {
	const audience = meta.seed('Page test');
	const done = await until(await fileJob(`audience_id=${audience}&audience_mode=add&schema=EMAIL`, 300), ['done']);
	const failed = await until(await fileJob('audience_id=999&audience_mode=add&schema=EMAIL', 10), ['failed']);
	expect(failed.error).toMatch(/Meta refused/);
	const running = await until(await fileJob('hubspot=true', 5_000), ['sending']);

	const dom = await renderInChromium(`http://status:${SECRET}@127.0.0.1:${relay.port}/`);
	const row = (id: string) => new RegExp(`<tr data-job="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(dom)?.[1] ?? '';
	expect(dom).toContain('<table id="jobs">');
	expect(row(done.id)).toMatch(/<td>done<\/td>/);
	expect(row(done.id)).toMatch(/<progress value="1\.0000" max="1"/);
	expect(row(done.id)).toContain('300 sent');
	expect(row(failed.id)).toMatch(/<td>failed<\/td>/);
	expect(row(failed.id)).toMatch(/<td class="error">Meta refused[^<]+<\/td>/);
	expect(row(running.id)).toMatch(/<td>sending<\/td>/);
	expect(row(running.id)).toMatch(/<progress value="0\.\d{4}" max="1"[^>]*>|<progress aria-label="progress">/);
	expect(row(running.id)).toContain('of 5000');
	expect(dom).not.toContain('example.com');

	const cancelled = await api(`/v1/jobs/${running.id}/cancel`, { method: 'POST' });
	expect(cancelled.status).toBe(200);
	expect((await until(running.id, ['cancelled'])).state).toBe('cancelled');
});
