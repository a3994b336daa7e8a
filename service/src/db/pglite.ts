import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Executor } from './executor';

/** Embedded Postgres in the data folder: the zero-configuration default. */
export async function openPglite(dataDir: string | undefined): Promise<Executor> {
	let db: PGlite;
	if (dataDir) {
		mkdirSync(dataDir, { recursive: true });
		db = await PGlite.create(join(dataDir, 'pgdata'));
	} else {
		db = await PGlite.create();
	}
	return {
		backend: 'pglite',
		query: async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
		exec: async (sql: string) => {
			await db.exec(sql);
		},
		close: () => db.close(),
	};
}
