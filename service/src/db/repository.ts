import type { MessagingChannel, ServerEvent } from '../../../nodes/core/capi/types';
import { GroupCommit } from './groupCommit';
import type { Liveness } from './liveness';
import type { Rpc } from './rpc';
import { iso, json, UUID } from './rowValues';

export interface NewEvent {
	pixel_id: string;
	test_event_code?: string;
	shop?: string;
	payload: ServerEvent;
	/** payload's JSON text, when the caller has it already (it measured the event's size). */
	payloadText?: string;
}

/** What makes an event unique: Meta deduplicates on the same three. */
export interface EventKey {
	pixel_id: string;
	event_name: string;
	event_id: string;
}

interface IngestCall {
	source: string;
	delivery_key: string | null;
	events: NewEvent[];
}

export interface IngestedEvent {
	id: string;
	status: string;
	duplicate: boolean;
}

/** A row of relay_ingest_batch: a delivery's (event_ord null) or one of its events'. */
interface IngestRow {
	delivery: number;
	duplicate_delivery: boolean;
	event_ord: number | null;
	id: string | null;
	status: string | null;
	duplicate: boolean | null;
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

/**
 * Payload bytes (their text form in the database) one page of GET /v1/events may hold: 2 MB, the
 * size of one request to Meta. 500 ordinary events (1 to 3 KB each) fit; a page of large ones
 * stops early, and its next_cursor continues from there.
 */
export const LIST_MAX_PAYLOAD_BYTES = 2_000_000;

type EventRow = Omit<StoredEvent, 'created_at' | 'updated_at' | 'payload'> & {
	created_at: unknown;
	updated_at: unknown;
	payload: unknown;
	cursor_at?: string;
};

/** Counts per identifier key as the coverage functions answer them, every asked key present. */
function keyCounts(keys: readonly string[], raw: unknown): Record<string, number> {
	const counts = json<Record<string, number>>(raw);
	return Object.fromEntries(keys.map((k) => [k, Number(counts[k] ?? 0)]));
}

function toStored(row: EventRow): StoredEvent {
	return {
		id: row.id,
		pixel_id: row.pixel_id,
		event_name: row.event_name,
		event_id: row.event_id,
		source: row.source,
		status: row.status,
		attempts: row.attempts,
		fbtrace_id: row.fbtrace_id,
		events_received: row.events_received,
		last_error: row.last_error,
		created_at: iso(row.created_at),
		updated_at: iso(row.updated_at),
		payload: json<ServerEvent>(row.payload),
	};
}

/** The only place that knows the storage functions; the use cases see plain objects. */
/** A database that answered within this long counts as up without a ping of its own. */
const ANSWERED_RECENTLY_MS = 1_000;
/** A ping that takes longer is an answer too: the database is not reachable in time. */
const PING_TIMEOUT_MS = 2_000;

/** Webhooks (an event each) are grouped up to this many events a statement. */
const GROUP_MAX_EVENTS = 1_000;
/** A batch this large is stored on its own, beside whatever group is in flight. */
const ALONE_EVENTS = 100;

export class Repository {
	constructor(private readonly db: Rpc & Partial<Liveness>) {}

	get backend(): string {
		return this.db.backend;
	}

	private readonly ingestGroup = new GroupCommit<IngestCall, IngestResult>(
		(calls) => this.ingestMany(calls),
		async (call) => (await this.ingestMany([call]))[0],
		{ weight: (call) => call.events.length, maxWeight: GROUP_MAX_EVENTS, alone: ALONE_EVENTS },
	);

	/** Deliveries stored in one call of relay_ingest_batch, its arguments as column arrays. */
	private async ingestMany(calls: IngestCall[]): Promise<IngestResult[]> {
		const sources: string[] = [];
		const deliveryKeys: Array<string | null> = [];
		const delivery: number[] = [];
		const pixelIds: string[] = [];
		const eventNames: string[] = [];
		const eventIds: Array<string | null> = [];
		const payloads: string[] = [];
		const testEventCodes: Array<string | null> = [];
		const shops: Array<string | null> = [];
		/** Per event position: its delivery and its index there. */
		const within: number[] = [];
		const results: IngestResult[] = calls.map((call, d) => {
			sources.push(call.source);
			deliveryKeys.push(call.delivery_key);
			call.events.forEach((e, i) => {
				delivery.push(d + 1);
				within.push(i);
				pixelIds.push(e.pixel_id);
				eventNames.push(e.payload.event_name);
				// As jsonb's ->> reads it: a number's digits (ids are safe integers or strings).
				eventIds.push(e.payload.event_id == null ? null : String(e.payload.event_id));
				payloads.push(e.payloadText ?? JSON.stringify(e.payload));
				testEventCodes.push(e.test_event_code ?? null);
				shops.push(e.shop ?? null);
			});
			return { duplicate_delivery: false, events: new Array<IngestedEvent>(call.events.length) };
		});
		const rows = await this.db.rows<IngestRow>('relay_ingest_batch', {
			p_sources: sources,
			p_delivery_keys: deliveryKeys,
			p_delivery: delivery,
			p_pixel_ids: pixelIds,
			p_event_names: eventNames,
			p_event_ids: eventIds,
			p_payloads: payloads,
			p_test_event_codes: testEventCodes,
			p_shops: shops,
		});
		for (const row of rows) {
			const result = results[Number(row.delivery) - 1];
			if (row.event_ord == null) {
				result.duplicate_delivery = row.duplicate_delivery;
				if (row.duplicate_delivery) result.events = [];
			} else {
				const at = Number(row.event_ord) - 1;
				result.events[within[at]] = { id: row.id as string, status: row.status as string, duplicate: !!row.duplicate };
			}
		}
		return results;
	}

	/** Stored in one transaction with whatever else arrived meanwhile (group commit). */
	ingest(source: string, deliveryKey: string | null, events: NewEvent[]): Promise<IngestResult> {
		return this.ingestGroup.submit({ source, delivery_key: deliveryKey, events });
	}

	/** The stored events among these keys, by the key's position; absent keys are not in the map. */
	async findEvents(keys: EventKey[]): Promise<Map<number, { id: string; status: string }>> {
		if (keys.length === 0) return new Map();
		const rows = await this.db.rows<{ ord: number | string; id: string; status: string }>('relay_find_events', {
			p_keys: keys,
		});
		return new Map(rows.map((r) => [Number(r.ord) - 1, { id: r.id, status: r.status }]));
	}

	async getEvent(id: string): Promise<StoredEvent | undefined> {
		if (!UUID.test(id)) return undefined;
		const [row] = await this.db.rows<EventRow>('relay_get_event', { p_id: id });
		return row && toStored(row);
	}

	/**
	 * Newest first; the cursor is the last row's (created_at, id) so pages never skip or repeat. A
	 * page holds at most `limit` rows and stops before their payloads pass LIST_MAX_PAYLOAD_BYTES
	 * (a row larger than that comes alone); `more` says whether rows follow.
	 */
	async listEvents(filter: {
		status?: string;
		limit: number;
		cursor?: { createdAt: string; id: string };
	}): Promise<{ rows: StoredEvent[]; last?: { createdAt: string; id: string }; more: boolean }> {
		const rows = await this.db.rows<EventRow & { more: boolean }>('relay_list_events', {
			p_limit: filter.limit,
			p_status: filter.status,
			p_cursor_at: filter.cursor?.createdAt,
			p_cursor_id: filter.cursor?.id,
			p_max_bytes: LIST_MAX_PAYLOAD_BYTES,
		});
		const tail = rows[rows.length - 1];
		// cursor_at is created_at as text: a JS Date would drop the microseconds and skip rows.
		return {
			rows: rows.map(toStored),
			last: tail ? { createdAt: String(tail.cursor_at), id: tail.id } : undefined,
			more: rows[0]?.more === true,
		};
	}

	/** A dead letter back to the queue; undefined when there is no such dead event. */
	async requeue(id: string): Promise<StoredEvent | undefined> {
		if (!UUID.test(id)) return undefined;
		const [row] = await this.db.rows<EventRow>('relay_requeue_event', { p_id: id });
		return row && toStored(row);
	}

	/** Privacy: what is held for a customer of a shop (hashes only), and erasing it. */
	async findCustomerEvents(shop: string, hashes: string[]): Promise<StoredEvent[]> {
		return (await this.db.rows<EventRow>('relay_customer_events', { p_shop: shop, p_hashes: hashes })).map(toStored);
	}

	async redactCustomer(shop: string, hashes: string[]): Promise<number> {
		return Number(await this.db.value('relay_redact_customer', { p_shop: shop, p_hashes: hashes }));
	}

	async redactShop(shop: string): Promise<number> {
		return Number(await this.db.value('relay_redact_shop', { p_shop: shop }));
	}

	async rulesFor(table: string): Promise<ConversionRule[]> {
		return this.db.rows<ConversionRule>('relay_rules_for', { p_table: table });
	}

	/** For the status page: counts per hour and status over the last `hours`. */
	async countsByHour(hours: number): Promise<Array<{ hour: string; status: string; n: number }>> {
		const rows = await this.db.rows<{ hour: string; status: string; n: string | number }>('relay_counts_by_hour', {
			p_hours: hours,
		});
		return rows.map((r) => ({ ...r, n: Number(r.n) }));
	}

	async recentFailures(
		limit: number,
	): Promise<
		Array<{ id: string; event_name: string; status: string; attempts: number; last_error: string; updated_at: string }>
	> {
		return this.db.rows('relay_recent_failures', { p_limit: limit });
	}

	/** Per event name: how many events carry each identifier (keys only; never values). */
	async identifierCoverage(
		keys: readonly string[],
	): Promise<Array<{ event_name: string; total: number; counts: Record<string, number> }>> {
		const rows = await this.db.rows<{ event_name: string; total: number; counts: unknown }>(
			'relay_identifier_coverage',
			{ p_keys: [...keys] },
		);
		return rows.map((r) => ({ event_name: r.event_name, total: Number(r.total), counts: keyCounts(keys, r.counts) }));
	}

	/** The pixels of the last week's events, the busiest first: those whose quality Meta is asked for. */
	async recentPixels(limit: number): Promise<string[]> {
		const rows = await this.db.rows<{ pixel_id: string }>('relay_recent_pixels', { p_limit: limit });
		return rows.map((r) => r.pixel_id);
	}

	/** identifierCoverage per pixel, for these pixels (keys only; never values). */
	async pixelIdentifierCoverage(
		pixels: readonly string[],
		keys: readonly string[],
	): Promise<Array<{ pixel_id: string; event_name: string; total: number; counts: Record<string, number> }>> {
		if (pixels.length === 0) return [];
		const rows = await this.db.rows<{ pixel_id: string; event_name: string; total: number; counts: unknown }>(
			'relay_pixel_identifier_coverage',
			{ p_pixels: [...pixels], p_keys: [...keys] },
		);
		return rows.map((r) => ({
			pixel_id: r.pixel_id,
			event_name: r.event_name,
			total: Number(r.total),
			counts: keyCounts(keys, r.counts),
		}));
	}

	/**
	 * Keeps the ad attribution of a Chatwoot conversation (inbox id, conversation number): the Meta
	 * channel and the id Meta attributes it by. A newer message's replaces it; true when stored.
	 */
	async putChatAttribution(a: ChatAttribution & { inboxId: string; conversationId: string }): Promise<boolean> {
		return (
			(await this.db.value<boolean>('relay_chat_attribution_put', {
				p_inbox_id: a.inboxId,
				p_conversation_id: a.conversationId,
				p_channel: a.messagingChannel,
				p_attribution_id: a.attributionId,
				p_message_id: a.messageId,
			})) === true
		);
	}

	/** A conversation's ad attribution, unless it expired; undefined for an organic conversation. */
	async chatAttribution(inboxId: string, conversationId: string): Promise<ChatAttribution | undefined> {
		const [row] = await this.db.rows<{
			messaging_channel: string;
			attribution_id: string;
			message_id: string | number;
		}>('relay_chat_attribution', { p_inbox_id: inboxId, p_conversation_id: conversationId });
		return row
			? {
					messagingChannel: row.messaging_channel as MessagingChannel,
					attributionId: row.attribution_id,
					messageId: Number(row.message_id),
				}
			: undefined;
	}

	/** The schema version the database has (the newest migration's timestamp). */
	schemaVersion(): Promise<string> {
		return this.db.value<string>('relay_schema_version');
	}

	/** Whether the database answers: at once when it answered another call just now, else by a ping bounded in time. */
	async ping(): Promise<boolean> {
		if (this.db.answeredAt && Date.now() - this.db.answeredAt() < ANSWERED_RECENTLY_MS) return true;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const late = new Promise<boolean>((resolve) => {
			timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
		});
		try {
			const answer = this.db.value('relay_ping').then((v) => Number(v) === 1);
			return await Promise.race([answer, late]);
		} catch {
			return false;
		} finally {
			clearTimeout(timer);
		}
	}

	close(): Promise<void> {
		return this.db.close();
	}
}

/**
 * What a Chatwoot conversation from an ad keeps (supabase/migrations/…_relay_chat_attribution.sql):
 * its Meta channel, the click's ctwa_clid (WhatsApp) or the person's page- or Instagram-scoped id,
 * and the id of the message that carried the referral.
 */
export interface ChatAttribution {
	messagingChannel: MessagingChannel;
	attributionId: string;
	messageId: number;
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
	/** The column holding the Meta Lead Ads lead id: a row with one is sent as a CRM event. */
	lead_id_column: string | null;
	/** The CRM's name, sent as custom_data.lead_event_source. */
	lead_event_source: string;
}

export interface ClaimedEvent {
	id: string;
	pixel_id: string;
	test_event_code: string | null;
	attempts: number;
	/** The stored payload's JSON text, sent as it is; absent when it alone is larger than the claim's byte bound (never loaded). */
	payloadText?: string;
	/** Size of the stored payload (its text form in the database). */
	storedBytes: number;
}

/** The dispatcher's side of storage: one SQL function per step, the claimer owning its rows. */
export class OutboxRepository {
	constructor(private readonly db: Rpc) {}

	/**
	 * Up to `limit` events whose payloads add up to at most `maxBytes` (at least one event): ready
	 * ones, and claims whose lease (`leaseSeconds` since taken or renewed) lapsed.
	 */
	async claim(worker: string, limit: number, leaseSeconds: number, maxBytes: number): Promise<ClaimedEvent[]> {
		const rows = await this.db.rows<
			Omit<ClaimedEvent, 'payloadText' | 'storedBytes'> & { payload: string | null; payload_bytes: number | string }
		>('relay_claim_texts', {
			p_worker: worker,
			p_limit: limit,
			p_stale_after_seconds: leaseSeconds,
			p_max_bytes: maxBytes,
		});
		return rows.map((r) => ({
			id: r.id,
			pixel_id: r.pixel_id,
			test_event_code: r.test_event_code,
			attempts: r.attempts,
			...(r.payload === null || r.payload === undefined ? {} : { payloadText: r.payload }),
			storedBytes: Number(r.payload_bytes),
		}));
	}

	/** Renews the lease of these claims, those still the worker's and not lapsed; how many. */
	async renew(worker: string, ids: string[], leaseSeconds: number): Promise<number> {
		return Number(await this.db.value('relay_renew', { p_worker: worker, p_ids: ids, p_lease_seconds: leaseSeconds }));
	}

	async markSent(
		worker: string,
		ids: string[],
		fbtraceId: string | null,
		eventsReceived: number | null,
	): Promise<number> {
		return Number(
			await this.db.value('relay_mark_sent', {
				p_worker: worker,
				p_ids: ids,
				p_fbtrace_id: fbtraceId,
				p_events_received: eventsReceived,
			}),
		);
	}

	async markRetry(worker: string, ids: string[], error: string, delayMs: number): Promise<number> {
		return Number(
			await this.db.value('relay_mark_retry', {
				p_worker: worker,
				p_ids: ids,
				p_error: error,
				p_delay_ms: Math.round(delayMs),
			}),
		);
	}

	async markDead(worker: string, ids: string[], error: string): Promise<number> {
		return Number(await this.db.value('relay_mark_dead', { p_worker: worker, p_ids: ids, p_error: error }));
	}

	async release(worker: string): Promise<number> {
		return Number(await this.db.value('relay_release', { p_worker: worker }));
	}
}
