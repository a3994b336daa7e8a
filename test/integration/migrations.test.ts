import { Client } from 'pg';
import { readdirSync } from 'node:fs';
import { migrate, MIGRATIONS_DIR } from '../../service/src/db/migrate';
import { expectedSchemaVersion } from '../../service/src/db/open';
import { openPostgres } from '../../service/src/db/postgres';
import { ADMIN_URL } from '../support/relayServer';

describe('migrations on Postgres', () => {
	const name = `relay_mig_${process.pid}_${Date.now()}`;
	const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
	beforeAll(async () => {
		const admin = new Client({ connectionString: ADMIN_URL });
		await admin.connect();
		await admin.query(`create database ${name}`);
		await admin.end();
	});
	afterAll(async () => {
		const admin = new Client({ connectionString: ADMIN_URL });
		await admin.connect();
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.end();
	});

	it('apply once even when two replicas start together, and are idempotent', async () => {
		const a = openPostgres(url);
		const b = openPostgres(url);
		const [appliedA, appliedB] = await Promise.all([migrate(a), migrate(b)]);
		expect(appliedA.length + appliedB.length).toBeGreaterThanOrEqual(5);
		const rows = await a.query<{ name: string }>('select name from relay_migrations order by name');
		const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
		expect(files.length).toBeGreaterThanOrEqual(6);
		expect(rows.map((r) => r.name)).toEqual(files);
		expect(await migrate(a)).toEqual([]);
		const rules = await a.query<{ n: string }>('select count(*) as n from relay_conversion_rules');
		expect(Number(rules[0].n)).toBe(2);
		// A Supabase project is checked against this at start: the newest migration must say so.
		const [version] = await a.query<{ v: string }>('select relay_schema_version() as v');
		expect(version.v).toBe(expectedSchemaVersion());
		await a.close();
		await b.close();
	});
});
