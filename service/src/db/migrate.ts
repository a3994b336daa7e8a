import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Executor } from './executor';

/** supabase/migrations of the repository, found from here whether running from src or dist. */
function findMigrations(from: string): string {
	for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
		const candidate = join(dir, 'supabase/migrations');
		if (existsSync(candidate)) return candidate;
	}
	throw new Error('supabase/migrations not found');
}

export const MIGRATIONS_DIR = findMigrations(__dirname);

/** Applies supabase/migrations/*.sql in name order, each once, recorded in relay_migrations. */
export async function migrate(db: Executor, dir = MIGRATIONS_DIR): Promise<string[]> {
	await db.exec('create table if not exists relay_migrations (name text primary key, applied_at timestamptz not null default now())');
	const done = new Set((await db.query<{ name: string }>('select name from relay_migrations')).map((r) => r.name));
	const applied: string[] = [];
	for (const name of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
		if (done.has(name)) continue;
		await db.exec(`begin;\n${readFileSync(join(dir, name), 'utf8')}\ninsert into relay_migrations (name) values ('${name.replace(/'/g, "''")}');\ncommit;`);
		applied.push(name);
	}
	return applied;
}
