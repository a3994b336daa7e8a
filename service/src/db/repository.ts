import type { ServerEvent } from '../../../nodes/core/capi/types';
import type { Executor } from './executor';

export interface NewEvent {
	pixel_id: string;
	test_event_code?: string;
	shop?: string;
	payload: ServerEvent;
}

export interface IngestedEvent {
	id: string;
	status: string;
	duplicate: boolean;
}

export interface IngestResult {
	duplicate_delivery: boolean;
	events: IngestedEvent[];
}

export interface StoredEvent {
	id: string;
	pixel_id: string;
	event_name: string;
	event_id: string;
	source: string;
	status: string;
	attempts: number;
	fbtrace_id: string | null;
	events_received: number | null;
	last_error: string | null;
	created_at: string;
	updated_at: string;
	payload: ServerEvent;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = `id, pixel_id, event_name, event_id, source, status, attempts, fbtrace_id, events_received, last_error,
	created_at, updated_at, payload`;

/** The only place that knows SQL; the use cases see plain objects. */
export class Repository {
	constructor(private readonly db: Executor) {}

	get backend(): string {
		return this.db.backend;
	}

	async ingest(source: string, deliveryKey: string | null, events: NewEvent[]): Promise<IngestResult> {
		const rows = await this.db.query<{ result: IngestResult | string }>('select relay_ingest($1, $2, $3::jsonb) as result', [source, deliveryKey, JSON.stringify(events)]);
		const result = rows[0].result;
		return typeof result === 'string' ? (JSON.parse(result) as IngestResult) : result;
	}

	async getEvent(id: string): Promise<StoredEvent | undefined> {
		if (!UUID.test(id)) return undefined;
		return (await this.db.query<StoredEvent>(`select ${COLUMNS} from relay_events where id = $1`, [id]))[0];
	}

	/** Newest first; the cursor is the last row's (created_at, id) so pages never skip or repeat. */
	async listEvents(filter: { status?: string; limit: number; cursor?: { createdAt: string; id: string } }): Promise<{ rows: StoredEvent[]; last?: { createdAt: string; id: string } }> {
		const params: unknown[] = [filter.limit];
		const where: string[] = [];
		if (filter.status) {
			params.push(filter.status);
			where.push(`status = $${params.length}`);
		}
		if (filter.cursor) {
			params.push(filter.cursor.createdAt, filter.cursor.id);
			where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
		}
		// created_at as text for the cursor: a JS Date would drop the microseconds and skip rows.
		const rows = await this.db.query<StoredEvent & { cursor_at: string }>(
			`select ${COLUMNS}, created_at::text as cursor_at from relay_events ${where.length ? `where ${where.join(' and ')}` : ''}
			 order by created_at desc, id desc limit $1`,
			params,
		);
		const tail = rows.length ? { ...rows[rows.length - 1] } : undefined;
		for (const row of rows) delete (row as Partial<typeof row>).cursor_at;
		return { rows, last: tail ? { createdAt: tail.cursor_at, id: tail.id } : undefined };
	}

	/** A dead letter back to the queue; undefined when there is no such dead event. */
	async requeue(id: string): Promise<StoredEvent | undefined> {
		if (!UUID.test(id)) return undefined;
		return (await this.db.query<StoredEvent>(`select ${COLUMNS} from relay_requeue($1)`, [id]))[0];
	}

	/** Privacy: what is held for a customer of a shop (hashes only), and erasing it. */
	async findCustomerEvents(shop: string, hashes: string[]): Promise<StoredEvent[]> {
		return this.db.query<StoredEvent>(
			`select ${COLUMNS} from relay_events where shop = $1
			 and (payload->'user_data'->'external_id' ?| $2 or payload->'user_data'->'em' ?| $2 or payload->'user_data'->'ph' ?| $2)`,
			[shop, hashes],
		);
	}

	async redactCustomer(shop: string, hashes: string[]): Promise<number> {
		const rows = await this.db.query<{ n: number }>('select relay_redact_customer($1, $2) as n', [shop, hashes]);
		return Number(rows[0]?.n ?? 0);
	}

	async redactShop(shop: string): Promise<number> {
		const rows = await this.db.query<{ n: number }>('select relay_redact_shop($1) as n', [shop]);
		return Number(rows[0]?.n ?? 0);
	}

	async rulesFor(table: string): Promise<ConversionRule[]> {
		return this.db.query<ConversionRule>('select * from relay_conversion_rules where enabled and table_name = $1 order by id', [table]);
	}

	/** For the status page: counts per hour and status over the last `hours`. */
	async countsByHour(hours: number): Promise<Array<{ hour: string; status: string; n: number }>> {
		const rows = await this.db.query<{ hour: string; status: string; n: string | number }>(
			`select to_char(date_trunc('hour', created_at), 'YYYY-MM-DD HH24:00') as hour, status, count(*) as n
			 from relay_events where created_at > now() - make_interval(hours => $1) group by 1, 2 order by 1 desc, 2`,
			[hours],
		);
		return rows.map((r) => ({ ...r, n: Number(r.n) }));
	}

	async recentFailures(limit: number): Promise<Array<{ id: string; event_name: string; status: string; attempts: number; last_error: string; updated_at: string }>> {
		return this.db.query(
			`select id, event_name, status, attempts, last_error, updated_at::text as updated_at from relay_events
			 where status in ('dead', 'retry') and last_error is not null order by updated_at desc limit $1`,
			[limit],
		);
	}

	/** Per event name: how many events carry each identifier (keys only; never values). */
	async identifierCoverage(keys: readonly string[]): Promise<Array<{ event_name: string; total: number; counts: Record<string, number> }>> {
		const columns = keys.map((_k, i) => `count(*) filter (where payload->'user_data' ? $${i + 1}) as k${i}`).join(', ');
		const rows = await this.db.query<Record<string, string | number>>(
			`select event_name, count(*) as total, ${columns} from relay_events where created_at > now() - interval '7 days' group by event_name order by event_name`,
			[...keys],
		);
		return rows.map((r) => ({ event_name: String(r.event_name), total: Number(r.total), counts: Object.fromEntries(keys.map((k, i) => [k, Number(r[`k${i}`])])) }));
	}

	async ping(): Promise<boolean> {
		try {
			await this.db.query('select 1');
			return true;
		} catch {
			return false;
		}
	}

	close(): Promise<void> {
		return this.db.close();
	}
}

export interface ConversionRule {
	table_name: string;
	column_name: string;
	from_value: string | null;
	to_value: string;
	event_name: string;
	value_column: string | null;
	currency_column: string | null;
	default_currency: string | null;
	email_column: string | null;
	phone_column: string | null;
	first_name_column: string | null;
	last_name_column: string | null;
	external_id_column: string | null;
	id_column: string;
}

export interface ClaimedEvent {
	id: string;
	pixel_id: string;
	test_event_code: string | null;
	attempts: number;
	payload: ServerEvent;
}

/** The dispatcher's side of storage: one SQL function per step, the claimer owning its rows. */
export class OutboxRepository {
	constructor(private readonly db: Executor) {}

	async claim(worker: string, limit: number, staleAfterSeconds: number): Promise<ClaimedEvent[]> {
		const rows = await this.db.query<ClaimedEvent & { payload: ServerEvent | string }>(
			'select id, pixel_id, test_event_code, attempts, payload from relay_claim($1, $2, $3)',
			[worker, limit, staleAfterSeconds],
		);
		return rows.map((r) => ({ ...r, payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as ServerEvent) : r.payload }));
	}

	async markSent(worker: string, ids: string[], fbtraceId: string | null, eventsReceived: number | null): Promise<number> {
		return this.count('select relay_mark_sent($1, $2::uuid[], $3, $4) as n', [worker, ids, fbtraceId, eventsReceived]);
	}

	async markRetry(worker: string, ids: string[], error: string, delayMs: number): Promise<number> {
		return this.count('select relay_mark_retry($1, $2::uuid[], $3, $4) as n', [worker, ids, error, Math.round(delayMs)]);
	}

	async markDead(worker: string, ids: string[], error: string): Promise<number> {
		return this.count('select relay_mark_dead($1, $2::uuid[], $3) as n', [worker, ids, error]);
	}

	async release(worker: string): Promise<number> {
		return this.count('select relay_release($1) as n', [worker]);
	}

	private async count(sql: string, params: unknown[]): Promise<number> {
		const rows = await this.db.query<{ n: number }>(sql, params);
		return Number(rows[0]?.n ?? 0);
	}
}
