/** Nearest-rank percentile of unsorted samples (milliseconds). */
export function percentile(samples: number[], p: number): number {
	if (samples.length === 0) return NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function fmt(n: number, digits = 0): string {
	if (!Number.isFinite(n)) return '—';
	return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export async function time<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
	const started = process.hrtime.bigint();
	const result = await run();
	return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}
