import { audienceRow, isAudienceKey } from '../normalize/audience';
import { AUDIENCE_KEYS, type AudienceKey, type AudiencePayload, type RawAudienceRecord } from './types';

/** Meta accepts at most 10,000 rows in one users / usersreplace request. */
export const MAX_AUDIENCE_ROWS = 10_000;

/** A schema as the user chose it: known keys, no repeats, in their order. Throws naming the key. */
export function parseSchema(keys: readonly string[]): AudienceKey[] {
	if (keys.length === 0) throw new Error('schema needs at least one key');
	const out: AudienceKey[] = [];
	for (const raw of keys) {
		const key = raw.trim().toUpperCase();
		if (!isAudienceKey(key)) throw new Error(`schema key "${raw}" is not one of ${AUDIENCE_KEYS.join(', ')}`);
		if (out.includes(key)) throw new Error(`schema key ${key} appears twice`);
		out.push(key);
	}
	if (out.every((k) => k === 'LOOKALIKE_VALUE')) throw new Error('schema needs an identifier besides LOOKALIKE_VALUE');
	return out;
}

export interface AudienceBatch {
	payload: AudiencePayload;
	/** Index of each row's record in the input, so results can be reported per item. */
	indexes: number[];
}

export interface InvalidRecord {
	index: number;
	reason: string;
}

/**
 * Rows hashed per key and cut into requests of at most `size` rows, lazily: a million customers
 * stream through without being held in memory. Records with no identifier are reported, not sent.
 */
export function* audienceBatches(
	schema: readonly AudienceKey[],
	records: Iterable<RawAudienceRecord>,
	invalid: InvalidRecord[] = [],
	size = MAX_AUDIENCE_ROWS,
): Generator<AudienceBatch> {
	if (size < 1 || size > MAX_AUDIENCE_ROWS) throw new RangeError(`batch size must be 1..${MAX_AUDIENCE_ROWS}`);
	let data: string[][] = [];
	let indexes: number[] = [];
	let index = 0;
	for (const record of records) {
		const row = audienceRow(schema, record);
		if (row) {
			data.push(row);
			indexes.push(index);
		} else {
			invalid.push({ index, reason: `no usable identifier for ${schema.join(', ')}` });
		}
		index++;
		if (data.length === size) {
			yield { payload: { schema: [...schema], data }, indexes };
			data = [];
			indexes = [];
		}
	}
	if (data.length) yield { payload: { schema: [...schema], data }, indexes };
}
