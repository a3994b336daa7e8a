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

/** Drop undefined entries so outputs compare and serialize cleanly. */
export function compact<T extends object>(record: T): T {
	return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
