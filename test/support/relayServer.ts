import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import pino from 'pino';
import { loadConfig } from '../../service/src/config';
import { startServer, type Running } from '../../service/src/server';
import type { DispatcherOptions } from '../../service/src/usecases/dispatcher';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestRelay extends Running {
	url: string;
	logs: string[];
	dataDir: string;
	databaseUrl?: string;
	close(): Promise<void>;
}

/** A fresh database of its own for one test file, dropped afterwards. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const name = `relay_test_${process.pid}_${Date.now()}`;
	const admin = new Client({ connectionString: ADMIN_URL });
	await admin.connect();
	await admin.query(`create database ${name}`);
	await admin.end();
	const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
	return {
		url,
		drop: async () => {
			const c = new Client({ connectionString: ADMIN_URL });
			await c.connect();
			await c.query(`drop database if exists ${name} with (force)`);
			await c.end();
		},
	};
}

/** The real service in-process on port 0, on PGlite or on a fresh Postgres database. */
export async function startRelay(
	backend: 'pglite' | 'postgres',
	env: Record<string, string> = {},
	dispatch: DispatcherOptions = { baseDelayMs: 50, idleMs: 50 },
	shared?: { url: string },
): Promise<TestRelay> {
	const dataDir = mkdtempSync(join(tmpdir(), 'relay-'));
	const database = shared ? { url: shared.url, drop: async () => undefined } : backend === 'postgres' ? await freshDatabase() : undefined;
	const logs: string[] = [];
	const sink = new Writable({
		write(chunk, _enc, done) {
			logs.push(String(chunk));
			done();
		},
	});
	const config = loadConfig({ PORT: '0', RELAY_DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...(database ? { DATABASE_URL: database.url } : {}), ...env });
	const running = await startServer(config, pino({ level: 'debug' }, sink), dispatch);
	return {
		...running,
		url: `http://127.0.0.1:${running.port}`,
		logs,
		dataDir,
		databaseUrl: database?.url,
		close: async () => {
			await running.stop();
			await database?.drop();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

/** Polls until the check passes or the time is up (then the last failure is thrown). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await check();
		} catch (error) {
			if (Date.now() > until) throw error;
			await new Promise((r) => setTimeout(r, 50));
		}
	}
}
