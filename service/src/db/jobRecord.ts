import type { AudienceKey } from '../../../nodes/core/audiences/types';

/**
 * A sync job moves a whole source (a shop's customers, its last week of orders, an uploaded
 * customer file) into its destinations in the service, streamed: n8n only starts and watches it.
 * receiving (a file still arriving) → queued → exporting (Shopify builds its bulk file) →
 * sending → done | failed | cancelled.
 */
export const JOB_STATES = ['receiving', 'queued', 'exporting', 'sending', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const FINAL_STATES: readonly JobState[] = ['done', 'failed', 'cancelled'];

export const JOB_SOURCES = ['shopify_customers', 'shopify_orders', 'file'] as const;
export type JobSourceKind = (typeof JOB_SOURCES)[number];

export const AUDIENCE_MODES = ['replace', 'add', 'remove'] as const;
export type AudienceMode = (typeof AUDIENCE_MODES)[number];

/** The segments of the segments workflow (nodes/core/shopify/customer.ts). */
export type JobSegment = 'new' | 'engaged' | 'existing';

export type FileFormat = 'ndjson' | 'csv';

/** What a job was asked to do; fixed when it is created. */
export interface JobSpec {
	source: JobSourceKind;
	/**
	 * A Custom Audience: replace its members in one usersreplace session, or add, or remove. With
	 * a segment (Shopify customers only), only the customers classifyCustomerSegment puts there.
	 */
	audience?: { id: string; mode: AudienceMode; schema: AudienceKey[]; segment?: JobSegment };
	/** HubSpot contacts, upserted by e-mail. */
	hubspot?: { enabled: true };
	/** Orders only: Purchase events into the outbox, for this pixel. */
	events?: { pixel_id: string; test_event_code?: string };
	/** File jobs: how the upload was read, once it has been received whole. */
	file?: { format: FileFormat; records: number; chunks: number };
}

export interface DestinationCounters {
	/** Records given to the destination (rows Meta received, contacts HubSpot upserted). */
	sent: number;
	/** Records with nothing this destination can use (no identifier, no e-mail): counted, never sent. */
	invalid: number;
	requests: number;
}

export interface JobCounters {
	/** Source records handled (read and given to every destination). */
	read: number;
	/** Records the source holds, when it says (Shopify's objectCount, a file's count). */
	total?: number;
	/** Records outside the audience's segment: read, given to HubSpot, not to the audience. */
	outside_segment?: number;
	audience?: DestinationCounters;
	hubspot?: DestinationCounters;
	events?: { stored: number; duplicate: number; invalid: number };
}

/** Where a resumed job goes on from; written after each page of records. */
export interface JobCheckpoint {
	/** Source records fully handled by every destination: a resume skips this many. */
	records: number;
	/** Shopify's bulk operation (gid), once started: a resume polls it again for a fresh URL. */
	bulk_operation_id?: string;
	/** The replace session: its id and the last batch_seq Meta acknowledged. */
	audience_session?: { session_id: number; batch_seq: number };
}

export interface Job {
	id: string;
	state: JobState;
	spec: JobSpec;
	checkpoint: JobCheckpoint;
	counters: JobCounters;
	/** Why a job failed (capped, redacted: never a customer's data). */
	error: string | null;
	/** How many times a runner has claimed it (a resume after a crash adds one). */
	attempts: number;
	cancel_requested: boolean;
	created_at: string;
	updated_at: string;
	started_at: string | null;
	finished_at: string | null;
}
