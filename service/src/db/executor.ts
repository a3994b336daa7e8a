/** The one thing the repository needs from a database: run SQL with parameters, get rows. */
export interface Executor {
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	/** Runs a script of several statements (migrations). */
	exec(sql: string): Promise<void>;
	close(): Promise<void>;
	readonly backend: 'pglite' | 'postgres';
}
