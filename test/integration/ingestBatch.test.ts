import type { ServerEvent } from '../../nodes/core/capi/types';
import { executorRpc, type Executor } from '../../service/src/db/executor';
import { migrate } from '../../service/src/db/migrate';
import { openPglite } from '../../service/src/db/pglite';
import { openPostgres } from '../../service/src/db/postgres';
import { Repository } from '../../service/src/db/repository';
import type { Rpc } from '../../service/src/db/rpc';
import { openSupabase } from '../../service/src/db/supabase';
import { freshDatabase } from '../support/database';
import { prepareSupabaseDatabase, startPostgrest } from '../support/postgrest';

type Backend = 'pglite' | 'postgres' | 'supabase';

async function open(backend: Backend): Promise<{ rpc: Rpc; sql: Executor; close(): Promise<void> }> {
	if (backend === 'pglite') {
		const db = await openPglite(undefined);
		await migrate(db);
		return { rpc: executorRpc(db), sql: db, close: () => db.close() };
	}
	const database = await freshDatabase('ingest');
	if (backend === 'postgres') {
		const db = openPostgres(database.url);
		await migrate(db);
		return {
			rpc: executorRpc(db),
			sql: db,
			close: async () => {
				await db.close();
				await database.drop();
			},
		};
	}
	await prepareSupabaseDatabase(database.url);
	const postgrest = await startPostgrest(database.url);
	const sql = openPostgres(database.url);
	const rpc = openSupabase(postgrest.url, postgrest.serviceRoleKey);
	return {
		rpc,
		sql,
		close: async () => {
			await rpc.close();
			await postgrest.stop();
			await sql.close();
			await database.drop();
		},
	};
}

/** Text that array literals and JSON both escape: quotes, backslashes, braces, commas, NULL. */
const AWKWARD = 'a "quoted", {braced} \\back\\slash\\ NULL \u00e9\u4e2d\u{1F600} \n tab\t';

const event = (id: string, extra: Partial<ServerEvent> = {}): ServerEvent => ({
	event_name: 'Purchase',
	event_time: 1_700_000_000,
	action_source: 'system_generated',
	event_id: id,
	user_data: { external_id: ['a'.repeat(64)] },
	custom_data: { currency: 'EUR', value: 12.5, content_name: AWKWARD },
	...extra,
});
const at = (pixel: string, e: ServerEvent, more: { test_event_code?: string; shop?: string } = {}) => ({
	pixel_id: pixel,
	payload: e,
	...more,
});

describe.each<Backend>(['pglite', 'postgres', 'supabase'])('ingest of a group of deliveries (%s)', (backend) => {
	let db: Awaited<ReturnType<typeof open>>;
	let repo: Repository;
	beforeAll(async () => {
		db = await open(backend);
		repo = new Repository(db.rpc);
	}, 60_000);
	afterAll(() => db?.close());

	it('stores each delivery as it would be stored alone, in one call', async () => {
		// A delivery stored before the group: its key makes a later one a repeat.
		const before = await repo.ingest('shopify', 'k-before', [at('111', event('e0'))]);
		expect(before.duplicate_delivery).toBe(false);

		const group = [
			{
				source: 'shopify',
				delivery_key: 'k1',
				events: [at('111', event('a')), at('111', event('b'), { shop: 's.myshopify.com' })],
			},
			// The same key again within the group: a repeat, nothing of it stored.
			{ source: 'shopify', delivery_key: 'k1', events: [at('111', event('never-stored'))] },
			// No key: b repeats the first delivery's, c is new and then repeated within the delivery.
			{
				source: 'api',
				delivery_key: null,
				events: [at('111', event('b')), at('111', event('c'), { test_event_code: 'TEST1' }), at('111', event('c'))],
			},
			// A key and no events.
			{ source: 'supabase', delivery_key: 'k2', events: [] },
			{ source: 'shopify', delivery_key: 'k-before', events: [at('111', event('never-stored-2'))] },
			// The same key from another source is another delivery; the same event id at another pixel another event.
			{ source: 'chatwoot', delivery_key: 'k1', events: [at('222', event('a'))] },
		];
		const results = await (
			repo as unknown as { ingestMany(c: typeof group): Promise<Awaited<ReturnType<Repository['ingest']>>[]> }
		).ingestMany(group);

		expect(results.map((r) => r.duplicate_delivery)).toEqual([false, true, false, false, true, false]);
		expect(results.map((r) => r.events.map((e) => e.duplicate))).toEqual([
			[false, false],
			[],
			[true, false, true],
			[],
			[],
			[false],
		]);
		const [[a, b], , [b2, c, c2]] = results.map((r) => r.events);
		expect(b2.id).toBe(b.id);
		expect(c2.id).toBe(c.id);
		expect(new Set([a.id, b.id, c.id, results[5].events[0].id]).size).toBe(4);
		for (const r of results) for (const e of r.events) expect(e.status).toBe('queued');

		const rows = await db.sql.query<{
			pixel_id: string;
			event_id: string;
			source: string;
			shop: string | null;
			test_event_code: string | null;
			payload: unknown;
		}>(
			'select pixel_id, event_id, source, shop, test_event_code, payload from relay_events order by pixel_id, event_id',
		);
		expect(rows.map((r) => [r.pixel_id, r.event_id, r.source, r.shop, r.test_event_code])).toEqual([
			['111', 'a', 'shopify', null, null],
			['111', 'b', 'shopify', 's.myshopify.com', null],
			['111', 'c', 'api', null, 'TEST1'],
			['111', 'e0', 'shopify', null, null],
			['222', 'a', 'chatwoot', null, null],
		]);
		// The payload comes back exactly as sent, through every backend's array encoding.
		const payload = typeof rows[0].payload === 'string' ? JSON.parse(rows[0].payload) : rows[0].payload;
		expect(payload).toEqual(event('a'));
		const receipts = await db.sql.query<{ source: string; delivery_key: string }>(
			'select source, delivery_key from relay_receipts order by source, delivery_key',
		);
		expect(receipts.map((r) => `${r.source}:${r.delivery_key}`)).toEqual([
			'chatwoot:k1',
			'shopify:k-before',
			'shopify:k1',
			'supabase:k2',
		]);
	});

	it('groups deliveries that arrive together and answers each its own', async () => {
		const answers = await Promise.all(
			Array.from({ length: 30 }, (_, i) =>
				repo.ingest('api', i % 10 === 0 ? 'group-key' : null, [
					at('333', event(`g${i % 15}`)),
					at('333', event(`h${i}`)),
				]),
			),
		);
		// The key once; g0..g14 each stored by the first delivery that carried it.
		expect(answers.filter((r) => r.duplicate_delivery)).toHaveLength(2);
		const firsts = new Map<string, string>();
		answers.forEach((r, i) => {
			if (r.duplicate_delivery) return expect(r.events).toEqual([]);
			const g = `g${i % 15}`;
			expect(r.events[0].duplicate).toBe(firsts.has(g));
			if (firsts.has(g)) expect(r.events[0].id).toBe(firsts.get(g));
			else firsts.set(g, r.events[0].id);
			expect(r.events[1].duplicate).toBe(false);
		});
		const [{ n }] = await db.sql.query<{ n: number }>(
			"select count(*)::integer as n from relay_events where pixel_id = '333'",
		);
		expect(n).toBe(15 + 28);
	});

	it('an event whose id is a number is keyed by its digits', async () => {
		const first = await repo.ingest('api', null, [at('444', event(9_007_199_254_740_991 as unknown as string))]);
		const again = await repo.ingest('api', null, [at('444', event('9007199254740991'))]);
		expect(again.events[0]).toEqual({ ...first.events[0], duplicate: true });
	});
});
