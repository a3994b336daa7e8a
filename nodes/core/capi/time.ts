/** Event times as Meta wants them: whole unix seconds. */

/** Seconds from unix seconds, unix milliseconds (13 digits), an ISO string or a Date. */
export function toUnixSeconds(value: unknown): number | undefined {
	if (value instanceof Date) return validSeconds(value.getTime() / 1000);
	if (typeof value === 'number') return validSeconds(value > 1e11 ? value / 1000 : value);
	if (typeof value === 'string' && value.trim() !== '') {
		const text = value.trim();
		if (/^\d+(\.\d+)?$/.test(text)) return toUnixSeconds(Number(text));
		return validSeconds(Date.parse(text) / 1000);
	}
	return undefined;
}

function validSeconds(seconds: number): number | undefined {
	return Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : undefined;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
