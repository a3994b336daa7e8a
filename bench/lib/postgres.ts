import { Client } from 'pg';
import { ADMIN_URL, freshDatabase } from '../../test/support/database';

// The bench uses the tests' own fresh-database helper.
export { ADMIN_URL, freshDatabase };

/** A copy of a database nobody is connected to (CREATE DATABASE … TEMPLATE), dropped afterwards. */
export async function copyDatabase(
	from: string,
	label: string,
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
	const name = `relay_${label}_${process.pid}_${Date.now()}`;
	const admin = new Client({ connectionString: ADMIN_URL });
	await admin.connect();
	try {
		await admin.query(`create database ${name} template ${from}`);
	} finally {
		await admin.end();
	}
	return {
		name,
		url: ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
		drop: async () => {
			const c = new Client({ connectionString: ADMIN_URL });
			await c.connect();
			await c.query(`drop database if exists ${name} with (force)`);
			await c.end();
		},
	};
}
