import type { RawAudienceRecord } from '../../../../nodes/core/audiences/types';
import type { RawServerEvent } from '../../../../nodes/core/capi/types';
import type { JobSegment } from '../../db/jobRecord';

// A job as storage keeps it is defined beside its repository (db/ may not import use cases).
export * from '../../db/jobRecord';

/**
 * One source record as each destination needs it; raw (hashed only on the way out to Meta, never
 * stored). A destination's part is absent when the record has nothing for it.
 */
export interface SyncRecord {
	/** Shopify customers: the segment the customer is in now. */
	segment?: JobSegment | 'other';
	audience?: RawAudienceRecord;
	/** HubSpot contact properties, `email` among them. */
	contact?: Record<string, string>;
	/** Orders: the Purchase event (raw user_data, hashed at ingest like every other event). */
	purchase?: RawServerEvent;
}

/** A record that cannot be read: the line (1-based, counting a CSV's header) and why. */
export class SourceLineError extends Error {
	constructor(
		readonly line: number,
		readonly reason: string,
	) {
		super(`line ${line}: ${reason}`);
	}
}
