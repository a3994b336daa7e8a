import { Client } from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, MIGRATIONS_DIR } from '../../service/src/db/migrate';
import { expectedSchemaVersion } from '../../service/src/db/open';
import { openPostgres } from '../../service/src/db/postgres';
import { ADMIN_URL } from '../support/relayServer';

describe('migrations on Postgres', () => {
	const name = `relay_mig_${process.pid}_${Date.now()}`;
	const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
	// The same migrations applied by one migrator alone: the race must end in this schema.
	const alone = `${name}_alone`;
	const aloneUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${alone}`);
	beforeAll(async () => {
		const admin = new Client({ connectionString: ADMIN_URL });
		await admin.connect();
		await admin.query(`create database ${name}`);
		await admin.query(`create database ${alone}`);
		await admin.end();
	});
	afterAll(async () => {
		const admin = new Client({ connectionString: ADMIN_URL });
		await admin.connect();
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.query(`drop database if exists ${alone} with (force)`);
		await admin.end();
	});

	/** Every relay_ table, column, constraint, index, type and function (with its grants), as text. */
	const schemaOf = async (db: ReturnType<typeof openPostgres>) =>
		(
			await db.query<{ item: string }>(`
			select 'relation ' || c.relname || ' ' || c.relkind::text || ' rls=' || c.relrowsecurity || ' ' || coalesce(c.relacl::text, '') as item
			from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relname like 'relay\\_%'
			union all
			select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') || ' ' || is_identity
			from information_schema.columns where table_schema = 'public' and table_name like 'relay\\_%'
			union all
			select 'constraint ' || conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) from pg_constraint where conrelid::regclass::text like 'relay\\_%'
			union all
			select 'index ' || indexdef from pg_indexes where schemaname = 'public' and tablename like 'relay\\_%'
			union all
			select 'type ' || t.typname || ' ' || t.typtype::text from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = 'public' and t.typname like 'relay\\_%'
			union all
			select 'function ' || pg_get_functiondef(p.oid) || ' ' || coalesce(p.proacl::text, '')
			from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.proname like 'relay\\_%'
			order by 1`)
		).map((r) => r.item);

	it('apply once even when two replicas start together, and are idempotent', async () => {
		const a = openPostgres(url);
		const b = openPostgres(url);
		const [appliedA, appliedB] = await Promise.all([migrate(a), migrate(b)]);
		expect(appliedA.length + appliedB.length).toBeGreaterThanOrEqual(5);
		const rows = await a.query<{ name: string }>('select name from relay_migrations order by name');
		const files = readdirSync(MIGRATIONS_DIR)
			.filter((f) => f.endsWith('.sql'))
			.sort();
		expect(files.length).toBeGreaterThanOrEqual(6);
		expect(rows.map((r) => r.name)).toEqual(files);
		expect(await migrate(a)).toEqual([]);
		const rules = await a.query<{ n: string }>('select count(*) as n from relay_conversion_rules');
		expect(Number(rules[0].n)).toBe(2);
		// A Supabase project is checked against this at start: the newest migration must say so.
		const [version] = await a.query<{ v: string }>('select relay_schema_version() as v');
		expect(version.v).toBe(expectedSchemaVersion());
		const rls = await a.query<{ relname: string }>(
			`select relname from pg_class where relname like 'relay\\_%' and relkind = 'r' and not relrowsecurity`,
		);
		expect(rls).toEqual([]);
		const single = openPostgres(aloneUrl);
		expect(await migrate(single)).toEqual(files);
		const raced = await schemaOf(a);
		expect(raced.filter((item) => item.startsWith('function ')).length).toBeGreaterThanOrEqual(20);
		expect(raced).toEqual(await schemaOf(single));
		// Idempotent for real: every file run again over the finished schema changes nothing.
		for (const file of files) await single.exec(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
		expect(await schemaOf(single)).toEqual(raced);
		await single.close();
		await a.close();
		await b.close();
	});

	it('are in Supabase’s format and enable row-level security', () => {
		const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
		for (const file of files) expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.sql$/);
		const sql = files.map((f) => readFileSync(join(MIGRATIONS_DIR, f), 'utf8')).join('\n');
		expect(sql).toMatch(/alter table relay_events enable row level security/);
		expect(sql).toMatch(/alter table relay_receipts enable row level security/);
	});

	it('after the baseline, each file ends with the lock-down and the newest one names its own timestamp', () => {
		const files = readdirSync(MIGRATIONS_DIR)
			.filter((f) => f.endsWith('.sql'))
			.sort();
		for (const file of files.filter((f) => f >= '20261201000500'))
			expect(readFileSync(join(MIGRATIONS_DIR, file), 'utf8').trimEnd()).toMatch(/select relay_lock_down\(\);$/);
		const newest = files[files.length - 1];
		const versions = [
			...readFileSync(join(MIGRATIONS_DIR, newest), 'utf8').matchAll(
				/function relay_schema_version\(\)[\s\S]*?select '(\d{14})'::text/g,
			),
		].map((m) => m[1]);
		expect(versions).toEqual([newest.split('_')[0]]);
	});

	it('give conversion rules a lead id column (meta_lead_id) and a CRM name (Supabase), on the seeded rules too, bounded', async () => {
		const db = openPostgres(url);
		await migrate(db);
		const seeded = await db.query<{ lead_id_column: string; lead_event_source: string }>(
			'select lead_id_column, lead_event_source from relay_conversion_rules order by id',
		);
		expect(seeded).toEqual([
			{ lead_id_column: 'meta_lead_id', lead_event_source: 'Supabase' },
			{ lead_id_column: 'meta_lead_id', lead_event_source: 'Supabase' },
		]);
		const add = (column: string, value: string) =>
			db.query(
				`insert into relay_conversion_rules (table_name, column_name, to_value, event_name, ${column}) values ('deals', 'stage', 'won', 'Won', ${value})`,
			);
		await add('lead_id_column', 'null');
		await expect(add('lead_event_source', `'${'x'.repeat(101)}'`)).rejects.toThrow(/lead_event_source_length/);
		await expect(add('lead_event_source', "''")).rejects.toThrow(/lead_event_source_length/);
		await expect(add('lead_event_source', 'null')).rejects.toThrow(/null value/);
		// A Postgres name is 63 bytes: 32 two-byte letters are 64.
		await expect(add('lead_id_column', `'${'é'.repeat(32)}'`)).rejects.toThrow(/lead_id_column_length/);
		await db.close();
	});
});
