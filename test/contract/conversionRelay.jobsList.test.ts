import type { IDataObject } from 'n8n-workflow';
import { ConversionRelayApi } from '../../credentials/ConversionRelayApi.credentials';
import { ConversionRelay } from '../../nodes/ConversionRelay/ConversionRelay.node';
import type { JobSpec } from '../../service/src/usecases/jobs/types';
import { executeContext } from '../support/executeContext';
import { startRelay, type TestRelay } from '../support/relayServer';

// Sync Job → Get Many against the real service (PGlite): more jobs than one page of GET /v1/jobs,
// read whole along the cursor, newest first, filtered by state; and the page bound the node
// relies on (100) answered as a 400 past it, not a 500.

const credential = new ConversionRelayApi();
// Uploads that never finish: no runner claims them, so their state stays what the test made it.
const spec: JobSpec = { source: 'file', hubspot: { enabled: true } };
const JOBS = 130;

let relay: TestRelay;
const created: string[] = [];

beforeAll(async () => {
	relay = await startRelay('pglite');
	for (let i = 0; i < JOBS; i++) created.push((await relay.jobs.create(spec, 'receiving')).id);
	// Three of them cancelled: the state filter has something to pick.
	for (const id of created.slice(10, 13)) await relay.jobs.cancel(id);
});
afterAll(async () => {
	await relay?.close();
});

const run = async (params: Record<string, unknown>) =>
	(
		await new ConversionRelay().execute.call(
			executeContext({
				items: [{ json: {} }],
				credentials: { baseUrl: `${relay.url}/`, apiSecret: relay.apiSecret },
				authenticateRequest: credential.authenticate,
				params: { resource: 'job', operation: 'list', ...params },
			}),
		)
	)[0].map((item) => item.json as IDataObject);

it('Return All reads every job once, newest first, across pages of 100', async () => {
	const all = await run({ jobState: '', returnAll: true });
	expect(all).toHaveLength(JOBS);
	expect(new Set(all.map((j) => j.id))).toEqual(new Set(created));
	const times = all.map((j) => Date.parse(j.created_at as string));
	expect(times).toEqual([...times].sort((a, b) => b - a));
	expect(all[0]).toMatchObject({ source: 'file', attempts: 0 });
});

it('a limit past one page, and a state', async () => {
	const some = await run({ jobState: 'receiving', returnAll: false, limit: 120 });
	expect(some).toHaveLength(120);
	expect(new Set(some.map((j) => j.state))).toEqual(new Set(['receiving']));
	const cancelled = await run({ jobState: 'cancelled', returnAll: true });
	expect(new Set(cancelled.map((j) => j.id))).toEqual(new Set(created.slice(10, 13)));
});

it('GET /v1/jobs: up to 100 a page; more is refused naming the limit', async () => {
	const get = (qs: string) =>
		fetch(`${relay.url}/v1/jobs?${qs}`, { headers: { authorization: `Bearer ${relay.apiSecret}` } });
	const full = await get('limit=100');
	expect(full.status).toBe(200);
	expect(((await full.json()) as { data: unknown[] }).data).toHaveLength(100);
	const over = await get('limit=101');
	expect(over.status).toBe(400);
	expect(((await over.json()) as { error: { field?: string } }).error.field).toBe('limit');
});
