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
const MIGRATION_LOCK = 7_270_001;

/** Applies supabase/migrations/*.sql in name order, each once, recorded in relay_migrations. */
export async function migrate(db: Executor, dir = MIGRATIONS_DIR): Promise<string[]> {
	await db.exec(
		`begin;\nselect pg_advisory_xact_lock(${MIGRATION_LOCK});\ncreate table if not exists relay_migrations (name text primary key, applied_at timestamptz not null default now());\ncommit;`,
	);
	const done = new Set((await db.query<{ name: string }>('select name from relay_migrations')).map((r) => r.name));
	const applied: string[] = [];
	for (const name of readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort()) {
		if (done.has(name)) continue;
		// Replicas starting together: the advisory lock serialises them, and the migrations are
		// written to be idempotent, so a second run of the same file changes nothing.
		const record = `insert into relay_migrations (name) values ('${name.replace(/'/g, "''")}') on conflict do nothing;`;
		await db.exec(
			`begin;\nselect pg_advisory_xact_lock(${MIGRATION_LOCK});\n${readFileSync(join(dir, name), 'utf8')}\n${record}\ncommit;`,
		);
		applied.push(name);
	}
	return applied;
}
