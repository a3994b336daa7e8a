import {
	HASHED_USER_DATA_KEYS,
	PLAIN_USER_DATA_KEYS,
	type HashedUserDataKey,
	type RawUserData,
	type UserData,
} from '../capi/types';
import { dateOfBirth } from './dob';
import * as field from './fields';
import type { NormalizeContext } from './fields';
import { asPrehashed, sha256Hex } from './hash';
import { nfc, toText, valuesOf } from './text';

type Normalizer = (value: string, ctx: NormalizeContext) => string | undefined;

export const USER_DATA_NORMALIZERS: Readonly<Record<HashedUserDataKey, Normalizer>> = {
	em: field.email,
	ph: field.phone,
	fn: field.name,
	ln: field.name,
	ge: field.gender,
	db: dateOfBirth,
	ct: field.city,
	st: field.state,
	zp: field.zip,
	country: field.country,
	external_id: field.externalId,
};

/** A value already hashed, or the normalized plain text to hash; undefined when nothing is left. */
export interface Normalized {
	value: string;
	prehashed: boolean;
}

export function normalizeValue(
	normalizer: Normalizer,
	raw: unknown,
	ctx: NormalizeContext = {},
): Normalized | undefined {
	const text = toText(raw);
	if (text === undefined) return undefined;
	const hashed = asPrehashed(text);
	if (hashed) return { value: hashed, prehashed: true };
	const value = normalizer(nfc(text), ctx);
	return value ? { value, prehashed: false } : undefined;
}

/** The person's country (first usable value), which defaults phone codes and ZIP/state rules. */
export function contextOf(raw: RawUserData, given: NormalizeContext = {}): NormalizeContext {
	if (given.country) return given;
	for (const value of valuesOf(raw.country)) {
		const n = normalizeValue(field.country, value);
		if (n && !n.prehashed) return { country: n.value };
	}
	return given;
}

export type NormalizedUserData = Partial<Record<HashedUserDataKey, Normalized[]>>;

/** Every hashed key normalized (arrays kept, duplicates and empties dropped), not yet hashed. */
export function normalizeHashedKeys(raw: RawUserData, given?: NormalizeContext): NormalizedUserData {
	const ctx = contextOf(raw, given);
	const out: NormalizedUserData = {};
	for (const key of HASHED_USER_DATA_KEYS) {
		const seen = new Set<string>();
		const values: Normalized[] = [];
		for (const item of valuesOf(raw[key])) {
			const n = normalizeValue(USER_DATA_NORMALIZERS[key], item, ctx);
			if (n && !seen.has(n.value)) {
				seen.add(n.value);
				values.push(n);
			}
		}
		if (values.length) out[key] = values;
	}
	return out;
}

/** Never-hashed keys as given: not lowercased (fbc is case-sensitive), only trimmed. */
export function plainKeys(raw: RawUserData): UserData {
	const out: UserData = {};
	for (const key of PLAIN_USER_DATA_KEYS) {
		for (const item of valuesOf(raw[key])) {
			const text = toText(item)?.trim();
			if (text) {
				out[key] = text;
				break;
			}
		}
	}
	return out;
}

export function hashNormalized(n: Normalized): string {
	return n.prehashed ? n.value : sha256Hex(n.value);
}

/** user_data ready for Meta: hashed keys normalized and SHA-256 hashed, plain keys as given. */
export function hashUserData(raw: RawUserData, ctx?: NormalizeContext): UserData {
	const out: UserData = plainKeys(raw);
	const normalized = normalizeHashedKeys(raw, ctx);
	for (const key of HASHED_USER_DATA_KEYS) {
		const values = normalized[key];
		if (values) out[key] = values.map(hashNormalized);
	}
	return out;
}

/** user_data normalized but readable (pre-hashed values stay hashes): for previews and debugging. */
export function normalizeUserData(raw: RawUserData, ctx?: NormalizeContext): Record<string, string[] | string> {
	const out: Record<string, string[] | string> = { ...plainKeys(raw) };
	const normalized = normalizeHashedKeys(raw, ctx);
	for (const key of HASHED_USER_DATA_KEYS) {
		const values = normalized[key];
		if (values) out[key] = values.map((n) => n.value);
	}
	return out;
}
