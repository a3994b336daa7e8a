import type { ServerEvent } from '../../../nodes/core/capi/types';
import type { Executor } from './executor';

export interface NewEvent {
	pixel_id: string;
	test_event_code?: string;
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
		if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
		const rows = await this.db.query<StoredEvent>(
			`select id, pixel_id, event_name, event_id, source, status, attempts, fbtrace_id, events_received, last_error,
			        created_at, updated_at, payload from relay_events where id = $1`,
			[id],
		);
		return rows[0];
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
