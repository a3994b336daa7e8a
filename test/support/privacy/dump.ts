import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';

const TABLES = "select tablename as t from pg_tables where schemaname = 'public' and tablename like 'relay_%'";

/** Every row of the relay's tables as text: on Postgres through its URL, on PGlite from its data folder (after the service stopped). */
export async function dumpDatabase(where: { url?: string; dataDir: string }): Promise<string> {
	if (where.url) {
		const db = new Client({ connectionString: where.url });
		await db.connect();
		try {
			const tables = (await db.query<{ t: string }>(TABLES)).rows.map((r) => r.t);
			// One query at a time: a pg client does not run them side by side.
			const rows: string[] = [];
			for (const t of tables)
				rows.push(...(await db.query<{ row: string }>(`select x::text as row from ${t} x`)).rows.map((r) => r.row));
			return rows.join('\n');
		} finally {
			await db.end();
		}
	}
	const path = join(where.dataDir, 'pgdata');
	if (!existsSync(path)) return '';
	const db = await PGlite.create(path);
	try {
		const tables = (await db.query<{ t: string }>(TABLES)).rows.map((r) => r.t);
		const rows: string[] = [];
		for (const t of tables)
			rows.push(...(await db.query<{ row: string }>(`select x::text as row from ${t} x`)).rows.map((r) => r.row));
		return rows.join('\n');
	} finally {
		await db.close();
	}
}
