/**
 * The one thing the repository needs from storage: call a SQL function with named arguments.
 * PGlite and Postgres run it as SQL; Supabase through PostgREST's RPC, so all three run the same
 * functions from supabase/migrations.
 */
export interface Rpc {
	readonly backend: 'pglite' | 'postgres' | 'supabase';
	/** A set-returning function: its rows. */
	rows<T>(fn: string, args?: Record<string, unknown>): Promise<T[]>;
	/** A function returning one value. */
	value<T>(fn: string, args?: Record<string, unknown>): Promise<T>;
	close(): Promise<void>;
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/** jsonb arguments travel as JSON text; arrays of scalars stay arrays (text[], uuid[]). */
function sqlParam(value: unknown): unknown {
	if (value === null || typeof value !== 'object') return value;
	if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value;
	return JSON.stringify(value);
}

function call(fn: string, args: Record<string, unknown>): { sql: string; params: unknown[] } {
	const names = Object.keys(args).filter((k) => args[k] !== undefined);
	for (const name of [fn, ...names]) if (!NAME.test(name)) throw new Error(`not a SQL name: ${name}`);
	return {
		sql: `${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')})`,
		params: names.map((n) => sqlParam(args[n])),
	};
}

/** The SQL backends: named-notation calls, so argument order never matters. */
export function sqlRpc(
	backend: 'pglite' | 'postgres',
	query: <T>(sql: string, params: unknown[]) => Promise<T[]>,
	close: () => Promise<void>,
): Rpc {
	return {
		backend,
		rows: async <T>(fn: string, args: Record<string, unknown> = {}) => {
			const { sql, params } = call(fn, args);
			return query<T>(`select * from ${sql}`, params);
		},
		value: async <T>(fn: string, args: Record<string, unknown> = {}) => {
			const { sql, params } = call(fn, args);
			return (await query<{ value: T }>(`select ${sql} as value`, params))[0]?.value as T;
		},
		close,
	};
}
