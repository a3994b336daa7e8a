import { readdirSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { executorRpc } from './executor';
import { migrate, MIGRATIONS_DIR } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import { Repository } from './repository';
import type { Rpc } from './rpc';
import { openSupabase } from './supabase';

/** The timestamp of the newest migration this service ships with. */
export function expectedSchemaVersion(dir = MIGRATIONS_DIR): string {
	const newest =
		readdirSync(dir)
			.filter((f) => f.endsWith('.sql'))
			.sort()
			.pop() ?? '';
	return newest.split('_')[0];
}

/**
 * Supabase when SUPABASE_URL is set (its migrations are pushed with the Supabase CLI, so the
 * schema is only checked), else Postgres through DATABASE_URL, else PGlite; the SQL backends are
 * migrated here.
 */
export async function openStorage(config: Config, log: Logger): Promise<Rpc> {
	if (config.SUPABASE_URL && config.SUPABASE_SERVICE_ROLE_KEY) {
		const rpc = openSupabase(config.SUPABASE_URL, config.SUPABASE_SERVICE_ROLE_KEY);
		let version: string;
		try {
			version = await new Repository(rpc).schemaVersion();
		} catch (error) {
			throw new Error(
				`SUPABASE_URL: cannot read the relay schema (${(error as Error).message}); apply supabase/migrations with \`supabase db push\``,
			);
		}
		const expected = expectedSchemaVersion();
		if (version < expected)
			throw new Error(
				`SUPABASE_URL: the database has relay schema ${version}, this service needs ${expected}; apply supabase/migrations with \`supabase db push\``,
			);
		return rpc;
	}
	const db = config.DATABASE_URL
		? openPostgres(config.DATABASE_URL, (error) =>
				log.warn({ err: { message: error.message } }, 'idle database connection lost'),
			)
		: await openPglite(config.RELAY_DATA_DIR);
	await migrate(db);
	return executorRpc(db);
}
