import { redactText } from '../../../../nodes/core/errors/redact';

/** The destinations a sync job writes to. */
export type Destination = 'audience' | 'hubspot';

// A job's error column, logs and the status page show these: short, and never a customer's data.
const MAX_REASON = 300;

/** Outside text (Meta's, HubSpot's) as a reason: redacted (e-mails, phones) and capped. */
export function safeReason(text: string): string {
	return redactText(text, MAX_REASON);
}

/**
 * The destination will not take this job's data and retrying cannot change that: the token or its
 * permissions, an audience that does not exist, HubSpot's daily limit. The job stops with `reason`.
 */
export class DestinationRefused extends Error {
	readonly reason: string;

	constructor(
		readonly destination: Destination,
		reason: string,
		/** The API's code (Graph error code, HubSpot category or policy), when it gave one. */
		readonly code?: number | string,
	) {
		const safe = safeReason(reason);
		super(`${destination === 'audience' ? 'Meta' : 'HubSpot'} refused: ${safe}`);
		this.name = 'DestinationRefused';
		this.reason = safe;
	}
}

/**
 * Meta ended the usersreplace session (it timed out after 90 minutes, it was already finished, or
 * its batches did not start at 1): its batches so far are lost, a new session must start at 1.
 */
export class AudienceSessionLost extends Error {
	readonly reason: string;

	constructor(
		reason: string,
		/** 1870158 timed out, 1870159 already finished, 1870147 batch_seq did not start at 1. */
		readonly subcode: number | undefined,
		readonly sessionId: number | undefined,
	) {
		const safe = safeReason(reason);
		super(`the replace session ended${subcode ? ` (${subcode})` : ''}: ${safe}`);
		this.name = 'AudienceSessionLost';
		this.reason = safe;
	}
}

/**
 * Transient failures (5xx, network, throttling) went on past the client's bounded wait. Nothing was
 * refused: the job can try again later from its checkpoint.
 */
export class DestinationUnavailable extends Error {
	readonly reason: string;

	constructor(
		readonly destination: Destination,
		reason: string,
		/** How long the destination last asked to wait, when it said so. */
		readonly retryAfterMs?: number,
	) {
		const safe = safeReason(reason);
		super(`${destination === 'audience' ? 'Meta' : 'HubSpot'} unavailable: ${safe}`);
		this.name = 'DestinationUnavailable';
		this.reason = safe;
	}
}
