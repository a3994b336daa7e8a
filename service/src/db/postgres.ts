import { Pool } from 'pg';
import type { Executor } from './executor';

/** Any Postgres (Supabase's direct connection included) through DATABASE_URL. */
export function openPostgres(
	connectionString: string,
	onIdleError: (error: Error) => void = () => undefined,
): Executor {
	const pool = new Pool({ connectionString, max: 10 });
	// An idle connection dropped by the server (restart, failover) must not crash the process:
	// the pool replaces it on the next query.
	pool.on('error', onIdleError);
	return {
		backend: 'postgres',
		query: async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
		exec: async (sql: string) => {
			await pool.query(sql);
		},
		close: () => pool.end(),
	};
}
