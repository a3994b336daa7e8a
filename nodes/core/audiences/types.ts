/** Custom Audience customer-list schema keys (POST /{audience_id}/users, payload.schema). */
export const AUDIENCE_KEYS = [
	'EXTERN_ID',
	'EMAIL',
	'PHONE',
	'GEN',
	'DOBY',
	'DOBM',
	'DOBD',
	'LN',
	'FN',
	'FI',
	'CT',
	'ST',
	'ZIP',
	'COUNTRY',
	'MADID',
	'LOOKALIKE_VALUE',
] as const;
export type AudienceKey = (typeof AUDIENCE_KEYS)[number];

/** One customer before hashing, keyed by schema key; missing keys become "" in the row. */
export type RawAudienceRecord = Partial<Record<AudienceKey, unknown>>;

export interface AudiencePayload {
	schema: AudienceKey[];
	data: string[][];
}

export interface ReplaceSession {
	session_id: number;
	batch_seq: number;
	last_batch_flag: boolean;
	estimated_num_total?: number;
}
