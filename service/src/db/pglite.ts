import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './dataDirLock';
import type { Executor } from './executor';

/** Embedded Postgres in the data folder: the zero-configuration default. */
export async function openPglite(dataDir: string | undefined): Promise<Executor> {
	let db: PGlite;
	let unlock = () => {};
	if (dataDir) {
		mkdirSync(dataDir, { recursive: true });
		unlock = lockDataDir(dataDir);
		try {
			db = await PGlite.create(join(dataDir, 'pgdata'));
		} catch (error) {
			unlock();
			throw error;
		}
	} else {
		db = await PGlite.create();
	}
	return {
		backend: 'pglite',
		query: async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
		exec: async (sql: string) => {
			await db.exec(sql);
		},
		close: async () => {
			try {
				await db.close();
			} finally {
				unlock();
			}
		},
	};
}
