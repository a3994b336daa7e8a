import { mkdirSync } from 'node:fs';
import type { JobView } from '../../service/src/usecases/jobs/jobView';
import { freePort } from '../../test/support/ports';
import { runWorker, startChild, type ChildServer } from '../lib/child';
import { startN8nSync, type N8nSync } from '../lib/n8nSync';
import { freshDatabase } from '../lib/postgres';
import { cpuSeconds, memoryMb } from '../lib/proc';
import { BENCH_SECRET, relayEnv } from '../lib/relayEnv';
import { fmt } from '../lib/stats';
import { startSyncDoubles, SYNC_TOKENS, type SyncDoublesStats, type SyncVerdict } from '../lib/syncDoubles';
import type { Row } from '../lib/table';

const CUSTOMERS = Number(process.env.BENCH_SYNC_CUSTOMERS ?? 1_000_000);
/** HubSpot Professional's limit for a private app; the service is told the same. */
const HUBSPOT_PER_10S = Number(process.env.BENCH_SYNC_HUBSPOT_PER_10S ?? 190);
const META_MS = Number(process.env.BENCH_SYNC_META_MS ?? 100);
const HUBSPOT_MS = Number(process.env.BENCH_SYNC_HUBSPOT_MS ?? 50);
/** Set to a folder: the service runs with --cpu-prof and writes its profiles there. */
const PROFILE = process.env.BENCH_SYNC_PROFILE;
/** Set to 0 to leave out the run with a SIGKILL. */
const WITH_KILL = process.env.BENCH_SYNC_KILL !== '0';
/** The kill comes once the job's progress reaches this many records (half the shop unless told). */
const KILL_AT = Number(process.env.BENCH_SYNC_KILL_AT ?? CUSTOMERS / 2);
/** Set to 0 to start the job with a POST instead of a real n8n's Sync Job Start + Wait. */
const WITH_N8N = process.env.BENCH_SYNC_N8N !== '0';
const SCHEMA = ['EMAIL', 'PHONE', 'FN', 'LN', 'CT', 'ST', 'ZIP', 'COUNTRY'];
const AUDIENCE_BATCH = 10_000;
const HUBSPOT_BATCH = 100;
const FINAL = ['done', 'failed', 'cancelled'];

interface Floor {
	rows: number;
	matchable: number;
	hashes: number;
	withEmail: number;
	cpuSeconds: number;
	/** Parse, map, hash and serialize in a bare loop: the work without I/O, storage or pacing. */
	workCpuSeconds: number;
}

interface RunResult {
	wallSeconds: number;
	/** Service CPU over the job (both processes when killed). */
	cpuSeconds: number;
	/** Peak resident memory of the service (the larger of the two processes when killed). */
	peakRssMb: number;
	doublesCpuSeconds: number;
	doublesHwmMb: number;
	job: JobView;
	stats: SyncDoublesStats;
	verdict: SyncVerdict;
	killedAt?: number;
	killedAfterSeconds?: number;
	n8n?: { idleMb: number; peakMb: number; status: string; ms: number };
	/** Why n8n could not be used, when it could not. */
	n8nError?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One job from POST to its end, against doubles and a database of its own. */
async function runOnce(nowMs: number, kill: boolean, viaN8n: boolean): Promise<RunResult> {
	const doubles = await startSyncDoubles({
		BENCH_SYNC_CUSTOMERS: String(CUSTOMERS),
		BENCH_SYNC_NOW_MS: String(nowMs),
		BENCH_SYNC_HUBSPOT_PER_10S: String(HUBSPOT_PER_10S),
		BENCH_SYNC_META_MS: String(META_MS),
		BENCH_SYNC_HUBSPOT_MS: String(HUBSPOT_MS),
	});
	const db = await freshDatabase(kill ? 'synckill' : 'sync');
	const env = relayEnv({
		// Fixed: n8n's credential names it, and a restart after the kill listens there again.
		BENCH_PORT: String(await freePort()),
		DATABASE_URL: db.url,
		META_ACCESS_TOKEN: SYNC_TOKENS.meta,
		META_GRAPH_URL: doubles.meta,
		SHOPIFY_SHOP: 'relay-bench.myshopify.com',
		SHOPIFY_ADMIN_URL: doubles.shopify,
		SHOPIFY_ADMIN_TOKEN: SYNC_TOKENS.shopify,
		HUBSPOT_ACCESS_TOKEN: SYNC_TOKENS.hubspot,
		HUBSPOT_API_URL: doubles.hubspot,
		HUBSPOT_REQUESTS_PER_10S: String(HUBSPOT_PER_10S),
		// The double's export is done after one poll; polled every second instead of every 10 s.
		// The lease stays the service's default (30 s): a restart takes the job over as in production.
		BENCH_JOBS: JSON.stringify({ bulkPollMs: 1_000 }),
	});
	const args = () => {
		if (!PROFILE) return [];
		mkdirSync(PROFILE, { recursive: true });
		return ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`];
	};
	let server: ChildServer = await startChild('relay', env, args());
	let pid = server.child.pid as number;
	let n8n: N8nSync | undefined;
	let n8nError: string | undefined;
	if (viaN8n) {
		try {
			n8n = await startN8nSync(`http://127.0.0.1:${server.port}`, BENCH_SECRET, doubles.audience, SCHEMA);
		} catch (error) {
			n8nError = (error as Error).message.split('\n')[0];
			process.stderr.write(`sync: n8n could not be used, the job is POSTed: ${(error as Error).message}\n`);
		}
	}
	let cpuBefore = cpuSeconds(pid);
	let cpuUsed = 0;
	let peak = 0;
	const sampler = setInterval(() => {
		try {
			peak = Math.max(peak, memoryMb(pid).hwm);
		} catch {
			// Between a kill and the restart there is no process to read.
		}
	}, 1_000);
	const api = async (path: string, init: RequestInit = {}) => {
		const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
			...init,
			headers: { authorization: `Bearer ${BENCH_SECRET}`, 'content-type': 'application/json' },
		});
		if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
		return res.json() as Promise<unknown>;
	};
	try {
		const started = Date.now();
		let created: { id: string };
		if (n8n) {
			await n8n.trigger();
			// n8n's Start creates it: the newest job (the database is this run's own).
			for (;;) {
				const list = (await api('/v1/jobs')) as { data: JobView[] };
				if (list.data[0]) {
					created = list.data[0];
					break;
				}
				if (Date.now() - started > 120_000) throw new Error('n8n started no job within 120 s');
				await sleep(250);
			}
		} else
			created = (await api('/v1/jobs', {
				method: 'POST',
				body: JSON.stringify({
					source: 'shopify_customers',
					audience: { id: doubles.audience, mode: 'replace', schema: SCHEMA },
					hubspot: true,
				}),
			})) as { id: string };
		let job: JobView;
		let killedAt: number | undefined;
		let killedAfterSeconds: number | undefined;
		let lastLog = 0;
		for (;;) {
			job = (await api(`/v1/jobs/${created.id}`)) as JobView;
			if (FINAL.includes(job.state)) break;
			if (Date.now() - lastLog > 30_000) {
				lastLog = Date.now();
				process.stderr.write(
					`sync${kill ? ' (kill)' : ''}: ${job.state} ${job.progress.records} records, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
				);
			}
			if (kill && killedAt === undefined && job.progress.records >= KILL_AT) {
				killedAt = job.progress.records;
				killedAfterSeconds = (Date.now() - started) / 1000;
				peak = Math.max(peak, memoryMb(pid).hwm);
				cpuUsed += cpuSeconds(pid) - cpuBefore;
				server.child.kill('SIGKILL');
				await new Promise((resolve) => server.child.once('exit', resolve));
				server = await startChild('relay', env, args());
				pid = server.child.pid as number;
				cpuBefore = cpuSeconds(pid);
				process.stderr.write(`sync (kill): SIGKILLed at ${killedAt} records, restarted\n`);
			}
			// As often as n8n's Wait would look; each look costs the service a request.
			await sleep(1_000);
		}
		const wallSeconds = (Date.now() - started) / 1000;
		cpuUsed += cpuSeconds(pid) - cpuBefore;
		peak = Math.max(peak, memoryMb(pid).hwm);
		const n8nRun = n8n && { idleMb: n8n.idleMb, ...(await n8n.finished(120_000)), peakMb: n8n.peakMb() };
		const stats = await doubles.stats();
		const verdict = await doubles.verify();
		return {
			n8n: n8nRun,
			n8nError,
			wallSeconds,
			cpuSeconds: cpuUsed,
			peakRssMb: peak,
			doublesCpuSeconds: stats.cpuSeconds,
			doublesHwmMb: stats.hwmMb,
			job,
			stats,
			verdict,
			killedAt,
			killedAfterSeconds,
		};
	} finally {
		clearInterval(sampler);
		await n8n?.stop();
		await server.stop();
		await doubles.stop();
		await db.drop();
	}
}

const exact = (v: SyncVerdict) =>
	v.emailHashes.missing === 0 &&
	v.emailHashes.extra === 0 &&
	v.phoneHashes.missing === 0 &&
	v.phoneHashes.extra === 0 &&
	v.contacts.missing === 0 &&
	v.contacts.extra === 0 &&
	v.contacts.records === v.contacts.expected;

const membership = (v: SyncVerdict) =>
	`EMAIL ${fmt(v.emailHashes.got)}/${fmt(v.emailHashes.expected)} (missing ${v.emailHashes.missing}, extra ${v.emailHashes.extra}), PHONE missing ${v.phoneHashes.missing} extra ${v.phoneHashes.extra}; contacts ${fmt(v.contacts.records)}/${fmt(v.contacts.expected)} (missing ${v.contacts.missing}, extra ${v.contacts.extra})`;

/**
 * A whole shop synced the way a user runs it: BENCH_SYNC_CUSTOMERS (1,000,000) Shopify customers
 * through a bulk-operation JSONL into a replaced Custom Audience (100 ms a request) and HubSpot
 * (its rolling limit, 50 ms a request), the service in a child on Postgres; then the same with a
 * SIGKILL halfway. Not in the default run (about twenty minutes): `npm run bench -- sync`.
 */
export async function sync(): Promise<Row[]> {
	const nowMs = Date.now();
	const floor = await runWorker<Floor>('syncFloor', {
		BENCH_SYNC_CUSTOMERS: String(CUSTOMERS),
		BENCH_SYNC_NOW_MS: String(nowMs),
	});
	process.stderr.write(`sync floor: ${JSON.stringify(floor)}\n`);
	const plain = await runOnce(nowMs, false, WITH_N8N);
	process.stderr.write(`sync run: ${JSON.stringify({ ...plain, job: plain.job.counters })}\n`);
	const killed = WITH_KILL ? await runOnce(nowMs, true, false) : undefined;
	if (killed) process.stderr.write(`sync kill run: ${JSON.stringify({ ...killed, job: killed.job.counters })}\n`);

	const upsertsExpected = Math.ceil(floor.withEmail / HUBSPOT_BATCH);
	const everyoneHasEmail = floor.withEmail === CUSTOMERS;
	const audienceExpected = Math.ceil(floor.matchable / AUDIENCE_BATCH);
	const upserts = plain.stats.paths['hubspot /crm/v3/objects/contacts/batch/upsert'] ?? 0;
	const hubspotOther = Object.entries(plain.stats.paths)
		.filter(([p]) => p.startsWith('hubspot ') && !p.endsWith('/batch/upsert'))
		.reduce((n, [, c]) => n + c, 0);
	// The rolling window lets `HUBSPOT_PER_10S` requests go at once, so the last window's requests
	// can start (windows - 1) × 10 s after the first and end one answer later; the property
	// requests the job makes first count against the same limit. ⌈upserts / limit⌉ × 10 s (the
	// simpler bound) is shown beside it; the stricter one is the floor.
	const windows = Math.ceil((upsertsExpected + hubspotOther) / HUBSPOT_PER_10S);
	const hubspotFloor = (windows - 1) * 10 + HUBSPOT_MS / 1000;
	const simpleBound = Math.ceil(upsertsExpected / HUBSPOT_PER_10S) * 10;
	const audienceFloor = (audienceExpected * META_MS) / 1000;
	const wallFloor = Math.max(hubspotFloor, audienceFloor);
	const floorText =
		`${fmt(wallFloor, 1)} s = max(HubSpot (⌈(${fmt(upsertsExpected)} upserts + ${hubspotOther} property requests) / ${HUBSPOT_PER_10S}⌉ − 1) × 10 s + ${HUBSPOT_MS} ms = ${fmt(hubspotFloor, 1)} s, ` +
		`audience ${audienceExpected} × ${META_MS} ms sequential = ${fmt(audienceFloor, 1)} s); ⌈upserts / ${HUBSPOT_PER_10S}⌉ × 10 s = ${fmt(simpleBound)} s`;
	const perCustomerUs = (plain.cpuSeconds / CUSTOMERS) * 1e6;
	const floorUs = (floor.cpuSeconds / CUSTOMERS) * 1e6;
	const workUs = (floor.workCpuSeconds / CUSTOMERS) * 1e6;
	const replaces = plain.stats.sessions.count;
	const scenario = `sync job (${fmt(CUSTOMERS)} Shopify customers → audience replace + HubSpot, Postgres)`;
	const how = plain.n8n ? 'started by n8n (Webhook → Sync Job Start → Wait)' : 'POSTed';
	const rows: Row[] = [
		{
			scenario,
			figure: 'service peak RSS MB (VmHWM)',
			value: fmt(plain.peakRssMb),
			baseline: `doubles' process ${fmt(plain.doublesHwmMb)} MB`,
			ratio: '',
			target: '< 300',
			met: plain.peakRssMb < 300,
		},
		{
			scenario,
			figure: 'service CPU µs per customer (utime+stime)',
			value: fmt(perCustomerUs, 1),
			baseline: `${fmt(floorUs, 1)} (domain normalize + hash alone: ${fmt(floor.hashes)} hashes of ${fmt(floor.matchable)} rows, ${fmt(floor.cpuSeconds, 1)} s CPU); doubles' process ${fmt(plain.doublesCpuSeconds, 0)} s CPU`,
			ratio: fmt(perCustomerUs / floorUs, 2),
			target: '≤ 2.00',
			met: perCustomerUs / floorUs <= 2,
		},
		{
			scenario,
			figure: 'service CPU µs per customer against the same work in a bare loop',
			value: fmt(perCustomerUs, 1),
			baseline: `${fmt(workUs, 1)} (JSON.parse of each line, both mappings, normalize + hash, the batches' JSON.stringify; no I/O, storage or pacing)`,
			ratio: fmt(perCustomerUs / workUs, 2),
			target: '',
			met: undefined,
		},
		{
			scenario,
			figure: 'usersreplace requests (one session, one last batch)',
			value: `${fmt(replaces)} (${plain.stats.sessions.ids} session, ${plain.stats.sessions.last} last)`,
			baseline: `⌈${fmt(floor.matchable)} matchable rows / 10,000⌉ = ${audienceExpected}`,
			ratio: '',
			target: String(audienceExpected),
			met:
				replaces === audienceExpected &&
				plain.stats.sessions.ids === 1 &&
				plain.stats.sessions.last === 1 &&
				plain.stats.sessions.lastIsLast,
		},
		{
			scenario,
			figure: 'HubSpot batch upserts (429s)',
			value: `${fmt(upserts)} (${plain.stats.limits.tenSecondly}); ${hubspotOther} other requests (properties)`,
			baseline: everyoneHasEmail
				? 'every customer has an e-mail: customers / 100'
				: `⌈${fmt(floor.withEmail)} customers with an e-mail (customerTruth) / 100⌉`,
			ratio: '',
			target: `${fmt(upsertsExpected)}, 0 429s`,
			met: upserts === upsertsExpected && plain.stats.limits.tenSecondly === 0,
		},
		{
			scenario,
			figure: `wall time s, ${how} to done`,
			value: fmt(plain.wallSeconds, 1),
			baseline: floorText,
			ratio: fmt(plain.wallSeconds / wallFloor, 2),
			target: '≤ 1.20',
			met: plain.wallSeconds / wallFloor <= 1.2,
		},
		{
			scenario,
			figure: 'membership and contacts at the end',
			value: membership(plain.verdict),
			baseline: 'customerTruth of every customer',
			ratio: '',
			target: 'exact',
			met: plain.job.state === 'done' && exact(plain.verdict),
		},
	];
	if (plain.n8n) {
		const grew = plain.n8n.peakMb - plain.n8n.idleMb;
		rows.push({
			scenario,
			figure: 'n8n (main process) RSS MB above idle while Start + Wait run',
			value: fmt(grew),
			baseline: `idle ${fmt(plain.n8n.idleMb)} MB (lowest of 20 s before), peak ${fmt(plain.n8n.peakMb)} MB (n8n start, sampled every second); execution ${plain.n8n.status} in ${fmt(plain.n8n.ms / 1000, 1)} s`,
			ratio: '',
			target: '< 200',
			met: grew < 200 && plain.n8n.status === 'success',
		});
	} else if (WITH_N8N) process.stderr.write(`sync: no n8n row (${plain.n8nError ?? 'n8n not used'})\n`);
	if (killed) {
		const kscenario = `${scenario}, SIGKILL at ${fmt(killed.killedAt ?? 0)} records (${fmt(killed.killedAfterSeconds ?? 0)} s), restarted on the same database`;
		rows.push(
			{
				scenario: kscenario,
				figure: 'state, attempts; membership and contacts',
				value: `${killed.job.state}, ${killed.job.attempts}; ${membership(killed.verdict)}`,
				baseline: `bulk operations ${killed.stats.bulkOperations}, usersreplace ${killed.stats.sessions.count} in ${killed.stats.sessions.ids} session`,
				ratio: '',
				target: 'done, exact',
				met:
					killed.killedAt !== undefined &&
					killed.job.attempts === 2 &&
					killed.job.state === 'done' &&
					exact(killed.verdict) &&
					killed.stats.bulkOperations === 1 &&
					killed.stats.sessions.ids === 1 &&
					killed.stats.sessions.last === 1,
			},
			{
				scenario: kscenario,
				figure: 'wall time s, POST to done',
				value: fmt(killed.wallSeconds, 1),
				baseline: `${fmt(plain.wallSeconds, 1)} without the kill; lease 30 s`,
				ratio: fmt(killed.wallSeconds / plain.wallSeconds, 2),
				target: '',
				met: undefined,
			},
			{
				scenario: kscenario,
				figure: 'service peak RSS MB, CPU µs per customer',
				value: `${fmt(killed.peakRssMb)}, ${fmt((killed.cpuSeconds / CUSTOMERS) * 1e6, 1)}`,
				baseline: `HubSpot upserts ${fmt(killed.stats.paths['hubspot /crm/v3/objects/contacts/batch/upsert'] ?? 0)} (429s ${killed.stats.limits.tenSecondly})`,
				ratio: '',
				target: '< 300',
				met: killed.peakRssMb < 300,
			},
		);
	}
	return rows;
}
