import { AUDIENCE_KEYS, type AudienceKey, type RawAudienceRecord } from '../audiences/types';
import { birthDay, birthMonth, birthYear } from './dob';
import * as field from './fields';
import type { NormalizeContext } from './fields';
import { contextOf, hashNormalized, normalizeValue } from './userData';
import { toText, valuesOf } from './text';

type Normalizer = (value: string, ctx: NormalizeContext) => string | undefined;

const firstInitial: Normalizer = (value) => {
	const n = field.name(value);
	return n ? Array.from(n)[0] : undefined;
};

/** Hashed schema keys and how each is normalized (same rules as the Conversions API). */
const HASHED: Partial<Record<AudienceKey, Normalizer>> = {
	EMAIL: field.email,
	PHONE: field.phone,
	FN: field.name,
	LN: field.name,
	FI: firstInitial,
	GEN: field.gender,
	DOBY: birthYear,
	DOBM: birthMonth,
	DOBD: birthDay,
	CT: field.city,
	ST: field.state,
	ZIP: field.zip,
	COUNTRY: field.country,
};

/** Keys Meta wants unhashed: MADID lowercase with hyphens, EXTERN_ID as given, a numeric value. */
const PLAIN: Partial<Record<AudienceKey, (value: string) => string | undefined>> = {
	MADID: (v) => v.trim().toLowerCase() || undefined,
	EXTERN_ID: (v) => v.trim() || undefined,
	LOOKALIKE_VALUE: (v) => {
		const n = Number(v.trim());
		return v.trim() !== '' && Number.isFinite(n) && n >= 0 ? String(n) : undefined;
	},
};

export function isAudienceKey(key: string): key is AudienceKey {
	return (AUDIENCE_KEYS as readonly string[]).includes(key);
}

function first(value: unknown): unknown {
	return valuesOf(value).find((v) => toText(v)?.trim());
}

function cell(key: AudienceKey, raw: unknown, ctx: NormalizeContext): string {
	const plain = PLAIN[key];
	if (plain) {
		const text = toText(first(raw));
		return (text !== undefined && plain(text)) || '';
	}
	const n = normalizeValue(HASHED[key] as Normalizer, first(raw), ctx);
	return n ? hashNormalized(n) : '';
}

/**
 * One payload row in schema order: identifiers hashed, a missing value as "" in its place.
 * undefined when no identifier is left (LOOKALIKE_VALUE alone cannot match anybody).
 */
export function audienceRow(schema: readonly AudienceKey[], record: RawAudienceRecord): string[] | undefined {
	const ctx = contextOf({ country: record.COUNTRY });
	const row = schema.map((key) => cell(key, record[key], ctx));
	const matchable = row.some((value, i) => value !== '' && schema[i] !== 'LOOKALIKE_VALUE');
	return matchable ? row : undefined;
}
