import { Client } from 'pg';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database of its own on the local Postgres (a test file, an n8n, a bench scenario), dropped afterwards. */
export async function freshDatabase(label: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
	const name = `relay_${label}_${process.pid}_${Date.now()}`;
	const admin = new Client({ connectionString: ADMIN_URL });
	await admin.connect();
	await admin.query(`create database ${name}`);
	await admin.end();
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
