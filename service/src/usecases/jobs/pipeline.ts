import { MAX_AUDIENCE_ROWS } from '../../../../nodes/core/audiences/rows';
import { newSessionId } from '../../../../nodes/core/audiences/session';
import type { AudiencePayload, ReplaceSession } from '../../../../nodes/core/audiences/types';
import type { RawServerEvent } from '../../../../nodes/core/capi/types';
import { audienceRow } from '../../../../nodes/core/normalize/audience';
import type { DestinationCounters, Job, JobCheckpoint, JobCounters, SyncRecord } from './types';

/** HubSpot's batch upsert takes at most 100 contacts. */
export const HUBSPOT_BATCH = 100;
/** Purchases stored per transaction. */
const EVENTS_BATCH = 500;
/** Without an audience, the checkpoint is written every this many records. */
const CHECKPOINT_EVERY = 10_000;

/** What a job's records are sent to; each is optional, as the job's spec says. */
export interface Destinations {
	audience?: (payload: AudiencePayload, session: ReplaceSession | undefined) => Promise<{ num_received: number }>;
	hubspot?: (contacts: Array<Record<string, string>>) => Promise<{ upserted: number; invalid: number }>;
	/** HubSpot requests in flight at once (the client paces them to the portal's limit). */
	hubspotConcurrency?: number;
	purchases?: (events: RawServerEvent[]) => Promise<{ stored: number; duplicate: number; invalid: number }>;
}

/** Saves the checkpoint and counters together; false when the job is no longer this runner's. */
export type SaveProgress = (checkpoint: JobCheckpoint, counters: JobCounters) => Promise<void>;

const zero = (): DestinationCounters => ({ sent: 0, invalid: 0, requests: 0 });

/**
 * One destination's batches: records wait in `pending` until a batch is full, then go out with at
 * most `concurrency` requests in flight. `doneThrough` is the last source position whose record
 * this destination has fully handled, so the checkpoint can be the smallest of them.
 */
class Lane<T> {
	private pending: T[] = [];
	private firstPending = 0;
	private readonly inflight = new Map<Promise<void>, number>();
	private failure?: unknown;

	constructor(
		private readonly size: number,
		private readonly concurrency: number,
		private readonly send: (batch: T[]) => Promise<void>,
	) {}

	async add(item: T, position: number): Promise<void> {
		this.raise();
		if (this.pending.length === 0) this.firstPending = position;
		this.pending.push(item);
		if (this.pending.length >= this.size) await this.flush();
	}

	/** Sends what is pending, waiting for room first. */
	async flush(): Promise<void> {
		if (this.pending.length === 0) return;
		while (this.inflight.size >= this.concurrency) await Promise.race(this.inflight.keys());
		this.raise();
		const batch = this.pending;
		const from = this.firstPending;
		this.pending = [];
		const p: Promise<void> = this.send(batch).then(
			() => void this.inflight.delete(p),
			(error) => {
				this.failure ??= error;
				this.inflight.delete(p);
			},
		);
		this.inflight.set(p, from);
	}

	async drain(): Promise<void> {
		await this.flush();
		await Promise.all(this.inflight.keys());
		this.raise();
	}

	/** Every record before this position is handled (`now` is the position just read). */
	doneThrough(now: number): number {
		let first = this.pending.length ? this.firstPending : now + 1;
		for (const from of this.inflight.values()) first = Math.min(first, from);
		return first - 1;
	}

	private raise(): void {
		if (this.failure !== undefined) throw this.failure;
	}
}

/**
 * Streams a job's records into its destinations from its checkpoint on. Records arrive already
 * skipped past the checkpoint (position checkpoint.records + 1 first). The audience's rows are cut
 * into batches of 10,000; a batch goes out only once a row beyond it exists (or the source ended),
 * so the replace session's last batch is always known to be last. After each audience batch (or
 * every 10,000 records without an audience), the checkpoint is the last position every destination
 * has handled, saved with the counters: a resume sends at most the records since then again, which
 * every destination takes as a repeat (a set of members, an upsert by e-mail, an event id).
 */
export async function runPipeline(
	job: Job,
	records: AsyncIterable<SyncRecord>,
	to: Destinations,
	save: SaveProgress,
): Promise<JobCounters> {
	const spec = job.spec;
	const counters: JobCounters = structuredClone(job.counters);
	let position = job.checkpoint.records;
	let session = spec.audience?.mode === 'replace' ? job.checkpoint.audience_session : undefined;
	if (spec.audience && to.audience) counters.audience ??= zero();
	if (spec.hubspot && to.hubspot) counters.hubspot ??= zero();
	if (spec.events && to.purchases) counters.events ??= { stored: 0, duplicate: 0, invalid: 0 };

	const hubspot =
		to.hubspot &&
		new Lane<Record<string, string>>(HUBSPOT_BATCH, to.hubspotConcurrency ?? 4, async (batch) => {
			const r = await to.hubspot!(batch);
			const c = counters.hubspot!;
			c.sent += r.upserted;
			c.invalid += r.invalid;
			c.requests += 1;
		});
	const purchases =
		to.purchases &&
		new Lane<RawServerEvent>(EVENTS_BATCH, 1, async (batch) => {
			const r = await to.purchases!(batch);
			const c = counters.events!;
			c.stored += r.stored;
			c.duplicate += r.duplicate;
			c.invalid += r.invalid;
		});

	// The audience batch being filled: its rows and the position of its first record.
	let rows: string[][] = [];
	let rowsFrom = 0;
	const schema = spec.audience?.schema ?? [];
	const checkpointAt = (now: number): number => {
		let through = now;
		if (rows.length) through = Math.min(through, rowsFrom - 1);
		if (hubspot) through = Math.min(through, hubspot.doneThrough(now));
		if (purchases) through = Math.min(through, purchases.doneThrough(now));
		return through;
	};
	const checkpoint = async (now: number) => {
		const records = checkpointAt(now);
		await save(
			{
				records,
				...(job.checkpoint.bulk_operation_id ? { bulk_operation_id: job.checkpoint.bulk_operation_id } : {}),
				...(session ? { audience_session: session } : {}),
			},
			{ ...counters, read: records },
		);
	};
	const sendAudience = async (last: boolean) => {
		if (!to.audience || rows.length === 0) return;
		let sent: ReplaceSession | undefined;
		if (spec.audience?.mode === 'replace') {
			const id = session?.session_id ?? newSessionId();
			sent = { session_id: id, batch_seq: (session?.batch_seq ?? 0) + 1, last_batch_flag: last };
			if (counters.total !== undefined) sent.estimated_num_total = counters.total;
		}
		const answer = await to.audience({ schema: [...schema], data: rows }, sent);
		const c = counters.audience!;
		c.sent += answer.num_received;
		c.requests += 1;
		if (sent) session = { session_id: sent.session_id, batch_seq: sent.batch_seq };
		rows = [];
	};

	let sinceCheckpoint = 0;
	for await (const record of records) {
		position += 1;
		if (spec.audience && to.audience) {
			const inSegment = !spec.audience.segment || record.segment === spec.audience.segment;
			const row = inSegment && record.audience ? audienceRow(schema, record.audience) : undefined;
			if (!inSegment) counters.outside_segment = (counters.outside_segment ?? 0) + 1;
			else if (!row) counters.audience!.invalid += 1;
			if (row) {
				// A row beyond a full batch: that batch is not the last one.
				if (rows.length >= MAX_AUDIENCE_ROWS) {
					await sendAudience(false);
					await checkpoint(position - 1);
					sinceCheckpoint = 0;
				}
				if (rows.length === 0) rowsFrom = position;
				rows.push(row);
			}
		}
		if (hubspot) {
			if (record.contact?.email) await hubspot.add(record.contact, position);
			else counters.hubspot!.invalid += 1;
		}
		if (purchases) {
			if (record.purchase) await purchases.add(record.purchase, position);
			else counters.events!.invalid += 1;
		}
		if (!to.audience && ++sinceCheckpoint >= CHECKPOINT_EVERY) {
			await checkpoint(position);
			sinceCheckpoint = 0;
		}
	}
	await hubspot?.drain();
	await purchases?.drain();
	await sendAudience(true);
	counters.read = position;
	await checkpoint(position);
	return { ...counters, read: position };
}
