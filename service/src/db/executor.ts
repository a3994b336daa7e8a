import { sqlRpc, type Rpc } from './rpc';

/** A SQL connection (PGlite or Postgres): run SQL with parameters, get rows. */
export interface Executor {
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	/** Runs a script of several statements (migrations). */
	exec(sql: string): Promise<void>;
	close(): Promise<void>;
	readonly backend: 'pglite' | 'postgres';
}

export function executorRpc(db: Executor): Rpc {
	return sqlRpc(
		db.backend,
		(sql, params) => db.query(sql, params),
		() => db.close(),
	);
}
