import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Clock } from '../../service/src/clock';
import { loadConfig } from '../../service/src/config';
import { startServer, type HttpLimits, type Running } from '../../service/src/server';
import type { DispatcherOptions } from '../../service/src/usecases/dispatcher';
import { freshDatabase } from './database';
import { dumpDatabase } from './privacy/dump';
import { record, scanning, watchOrigin } from './privacy/record';
import { prepareSupabaseDatabase, startPostgrest, type Postgrest } from './postgrest';

export type Backend = 'pglite' | 'postgres' | 'supabase';

export { ADMIN_URL } from './database';

export interface TestRelay extends Running {
	url: string;
	logs: string[];
	dataDir: string;
	databaseUrl?: string;
	postgrest?: Postgrest;
	close(): Promise<void>;
}

/**
 * The real service in-process on port 0: on PGlite, on a fresh Postgres database, or on that
 * database through real PostgREST and supabase-js (the Supabase backend).
 */
export async function startRelay(
	backend: Backend,
	env: Record<string, string> = {},
	dispatch: DispatcherOptions = { baseDelayMs: 50, idleMs: 50 },
	{ shared, clock, http }: { shared?: { url: string }; clock?: Clock; http?: Partial<HttpLimits> } = {},
): Promise<TestRelay> {
	const dataDir = mkdtempSync(join(tmpdir(), 'relay-'));
	const database = shared
		? { url: shared.url, drop: async () => undefined }
		: backend !== 'pglite'
			? await freshDatabase('test')
			: undefined;
	let postgrest: Postgrest | undefined;
	if (backend === 'supabase' && database) {
		await prepareSupabaseDatabase(database.url);
		postgrest = await startPostgrest(database.url);
	}
	const storage = postgrest
		? { SUPABASE_URL: postgrest.url, SUPABASE_SERVICE_ROLE_KEY: postgrest.serviceRoleKey }
		: database
			? { DATABASE_URL: database.url }
			: {};
	const logs: string[] = [];
	const sink = new Writable({
		write(chunk, _enc, done) {
			logs.push(String(chunk));
			done();
		},
	});
	let running: Running;
	try {
		const config = loadConfig({ PORT: '0', RELAY_DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...storage, ...env });
		running = await startServer(config, pino({ level: 'debug' }, sink), dispatch, { clock, http });
	} catch (error) {
		// nothing left behind when the service refuses to start
		await postgrest?.stop();
		await database?.drop();
		rmSync(dataDir, { recursive: true, force: true });
		throw error;
	}
	const url = `http://127.0.0.1:${running.port}`;
	watchOrigin(url);
	return {
		...running,
		url,
		logs,
		dataDir,
		databaseUrl: database?.url,
		postgrest,
		close: async () => {
			await running.stop();
			if (scanning()) {
				// What this service wrote, for the suite-wide privacy scan (test/support/privacy).
				record('log', logs.join(''));
				record(
					'database',
					await dumpDatabase({ url: database?.url, dataDir }).catch((error: Error) => `dump failed: ${error.message}`),
				);
			}
			await postgrest?.stop();
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
