import { Client } from 'pg';
import { migrate } from '../../service/src/db/migrate';
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
		expect(rows.map((r) => r.name)).toEqual([
			'20261123000000_relay_init.sql',
			'20261123000100_relay_dispatch.sql',
			'20261123000200_relay_retry.sql',
			'20261123000300_relay_privacy.sql',
			'20261123000400_relay_conversion_rules.sql',
		]);
		expect(await migrate(a)).toEqual([]);
		const rules = await a.query<{ n: string }>('select count(*) as n from relay_conversion_rules');
		expect(Number(rules[0].n)).toBe(2);
		await a.close();
		await b.close();
	});
});
