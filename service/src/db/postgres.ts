import { Pool } from 'pg';
import type { Executor } from './executor';

/** Any Postgres (Supabase's direct connection included) through DATABASE_URL. */
export function openPostgres(connectionString: string): Executor {
	const pool = new Pool({ connectionString, max: 10 });
	return {
		backend: 'postgres',
		query: async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
		exec: async (sql: string) => {
			await pool.query(sql);
		},
		close: () => pool.end(),
	};
}
