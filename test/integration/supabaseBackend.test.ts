import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { Client } from 'pg';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig } from '../../service/src/config';
import { startServer } from '../../service/src/server';
import { json } from '../support/http';
import { startMetaDouble, type Responder } from '../support/metaDouble';
import { prepareSupabaseDatabase, startPostgrest } from '../support/postgrest';
import { ADMIN_URL, eventually, startRelay, type TestRelay } from '../support/relayServer';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

// The service on real PostgREST 12 + supabase-js: every read and write is an RPC.
describe('Supabase backend (supabase-js → real PostgREST → Postgres)', () => {
	let relay: TestRelay;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let reject = new Set<string>();
	const responder: Responder = (r) => {
		const bad = r.body.data.findIndex((e) => reject.has(String(e.event_id)));
		if (bad >= 0)
			return {
				status: 400,
				body: {
					error: {
						message: `Invalid parameter: event ${bad} has a bad value`,
						type: 'OAuthException',
						code: 100,
						error_subcode: 2804003,
						fbtrace_id: 'T-bad',
					},
				},
			};
		return { status: 200, body: { events_received: r.body.data.length, messages: [], fbtrace_id: 'T-ok' } };
	};

	beforeAll(async () => {
		meta = await startMetaDouble(responder);
		relay = await startRelay('supabase', {
			META_PIXEL_ID: '123456',
			META_ACCESS_TOKEN: 'EAAB-test-token',
			META_GRAPH_URL: meta.url,
		});
	}, 60_000);
	afterAll(async () => {
		await relay?.close();
		await meta?.close();
	});

	const auth = () => ({ authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' });
	const send = async (events: object[]) =>
		(
			await json(
				await fetch(`${relay.url}/v1/events`, {
					method: 'POST',
					headers: auth(),
					body: JSON.stringify({ data: events }),
				}),
			)
		).data as Array<{ id: string }>;
	const get = async (path: string) => json(await fetch(`${relay.url}${path}`, { headers: auth() }));

	it('reports the backend on /health', async () => {
		const health = await get('/health');
		expect(health.database).toEqual({ ok: true, backend: 'supabase' });
	});

	it('claims, sends and marks events through RPC; dead-letters the one Meta rejects; a retry sends it', async () => {
		reject = new Set(['s-bad']);
		const ids = (
			await send(
				['s-1', 's-2', 's-bad'].map((id, i) => ({ event_name: 'Lead', email: `supa${i}@example.com`, event_id: id })),
			)
		).map((d) => d.id);
		const dead = await eventually(async () => {
			const [a, b, c] = await Promise.all(ids.map((id) => get(`/v1/events/${id}`)));
			expect([a.status, b.status, c.status]).toEqual(['sent', 'sent', 'dead']);
			return c;
		});
		expect(dead.last_error).toContain('Invalid parameter');
		expect(dead.payload.user_data.em).toEqual([sha('supa2@example.com')]);
		reject = new Set();
		expect((await fetch(`${relay.url}/v1/events/${ids[2]}/retry`, { method: 'POST', headers: auth() })).status).toBe(
			202,
		);
		await eventually(async () => expect((await get(`/v1/events/${ids[2]}`)).status).toBe('sent'));
		const failures = await relay.repo.recentFailures(10);
		expect(failures.map((f) => f.id)).not.toContain(ids[2]);
	});

	it('pages through the list with the cursor, every event once', async () => {
		await send(
			Array.from({ length: 7 }, (_, i) => ({
				event_name: 'ViewContent',
				email: `page${i}@example.com`,
				event_id: `p-${i}`,
			})),
		);
		const seen: string[] = [];
		let cursor: string | undefined;
		do {
			const page = await get(`/v1/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
			seen.push(...page.data.map((e: { id: string }) => e.id));
			cursor = page.next_cursor ?? undefined;
		} while (cursor);
		expect(seen.length).toBe(10);
		expect(new Set(seen).size).toBe(10);
	});

	it('runs the privacy, rules and status-page reads as RPCs', async () => {
		const payload = (email: string, id: string) => ({
			event_name: 'Purchase',
			event_time: Math.floor(Date.now() / 1000),
			action_source: 'website' as const,
			event_id: id,
			user_data: { em: [sha(email)] },
		});
		await relay.repo.ingest('shopify', 'priv-1', [
			{ pixel_id: '123456', shop: 'a.myshopify.com', payload: payload('x@example.com', 'o-1') },
			{ pixel_id: '123456', shop: 'a.myshopify.com', payload: payload('y@example.com', 'o-2') },
			{ pixel_id: '123456', shop: 'b.myshopify.com', payload: payload('x@example.com', 'o-3') },
		]);
		expect(
			(await relay.repo.findCustomerEvents('a.myshopify.com', [sha('x@example.com')])).map((e) => e.event_id),
		).toEqual(['o-1']);
		expect(await relay.repo.redactCustomer('a.myshopify.com', [sha('x@example.com')])).toBe(1);
		expect(await relay.repo.redactShop('b.myshopify.com')).toBe(1);
		expect((await relay.repo.rulesFor('leads')).map((r) => [r.to_value, r.event_name])).toEqual([
			['qualified', 'Lead'],
			['won', 'Purchase'],
		]);
		const coverage = await relay.repo.identifierCoverage(['em', 'ph']);
		expect(coverage.find((c) => c.event_name === 'Purchase')).toEqual({
			event_name: 'Purchase',
			total: 1,
			counts: { em: 1, ph: 0 },
		});
		expect(await relay.repo.recentPixels(5)).toEqual(['123456']);
		const perPixel = await relay.repo.pixelIdentifierCoverage(['123456', '999'], ['em', 'ph']);
		expect(perPixel.find((c) => c.event_name === 'Purchase')).toEqual({
			pixel_id: '123456',
			event_name: 'Purchase',
			total: 1,
			counts: { em: 1, ph: 0 },
		});
		const counts = await relay.repo.countsByHour(24);
		expect(counts.reduce((n, c) => n + c.n, 0)).toBe(11);
		const page = await fetch(`${relay.url}/`, { headers: auth() });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('ViewContent');
	});

	it('gives anon and authenticated nothing: no table, no function, no sequence, despite Supabase’s default grants', async () => {
		const anon = createClient(relay.postgrest!.url, relay.postgrest!.anonKey, {
			auth: { persistSession: false, autoRefreshToken: false },
			realtime: { transport: WebSocket as never },
		});
		const table = await anon.from('relay_events').select('id');
		expect(table.error?.code).toBe('42501');
		const rpc = await anon.rpc('relay_list_events', { p_limit: 10 });
		expect(rpc.error?.code).toBe('42501');
		const pg = new Client({ connectionString: relay.databaseUrl });
		await pg.connect();
		try {
			const { rows } = await pg.query<{ what: string; role: string }>(`
				select c.relname as what, r.role from pg_class c join pg_namespace n on n.oid = c.relnamespace,
					unnest(array['anon', 'authenticated']) as r(role)
				where n.nspname = 'public' and c.relkind = 'r' and c.relname like 'relay\\_%'
				  and has_table_privilege(r.role, c.oid, 'select,insert,update,delete')
				union all
				select p.proname, r.role from pg_proc p join pg_namespace n on n.oid = p.pronamespace,
					unnest(array['anon', 'authenticated']) as r(role)
				where n.nspname = 'public' and p.proname like 'relay\\_%' and has_function_privilege(r.role, p.oid, 'execute')
				union all
				select c.relname, r.role from pg_class c join pg_namespace n on n.oid = c.relnamespace,
					unnest(array['anon', 'authenticated']) as r(role)
				where n.nspname = 'public' and c.relkind = 'S' and c.relname like 'relay\\_%'
				  and has_sequence_privilege(r.role, c.oid, 'usage,select,update')`);
			expect(rows).toEqual([]);
			const rls = await pg.query<{ relname: string }>(
				`select relname from pg_class where relname like 'relay\\_%' and relkind = 'r' and not relrowsecurity`,
			);
			expect(rls.rows).toEqual([]);
		} finally {
			await pg.end();
		}
	});
});

describe('Supabase backend without the migrations', () => {
	it('refuses to start and says how to apply them', async () => {
		const name = `relay_nomig_${process.pid}_${Date.now()}`;
		const admin = new Client({ connectionString: ADMIN_URL });
		await admin.connect();
		await admin.query(`create database ${name}`);
		const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
		await prepareSupabaseDatabase(url, { migrations: false });
		const postgrest = await startPostgrest(url);
		try {
			const config = loadConfig({
				PORT: '0',
				RELAY_DATA_DIR: mkdtempSync(join(tmpdir(), 'relay-')),
				SUPABASE_URL: postgrest.url,
				SUPABASE_SERVICE_ROLE_KEY: postgrest.serviceRoleKey,
			});
			await expect(startServer(config, pino({ level: 'silent' }))).rejects.toThrow(
				/SUPABASE_URL: cannot read the relay schema .*supabase db push/,
			);
		} finally {
			await postgrest.stop();
			await admin.query(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	}, 60_000);
});
