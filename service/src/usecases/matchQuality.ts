/**
 * A local estimate of Event Match Quality (0–10) from which identifiers arrive and how often.
 * Meta publishes no weights; these follow its guidance (reference/meta.md): em > ph > fbc >
 * external_id ≈ fbp > ip + user agent > fn/ln > the address keys. Check it against the Dataset
 * Quality API; it is a guide to what is missing, not Meta's score.
 */
export const MATCH_WEIGHTS: Readonly<Record<string, number>> = {
	em: 3,
	ph: 2,
	fbc: 1.5,
	external_id: 1,
	fbp: 1,
	client_ip_address: 0.5,
	client_user_agent: 0.5,
	fn: 0.4,
	ln: 0.4,
	zp: 0.2,
	ct: 0.15,
	st: 0.15,
	country: 0.15,
	db: 0.15,
	ge: 0.1,
};

const TOTAL = Object.values(MATCH_WEIGHTS).reduce((a, b) => a + b, 0);

export function estimateMatchQuality(total: number, counts: Record<string, number>): number {
	if (total === 0) return 0;
	let score = 0;
	for (const [key, weight] of Object.entries(MATCH_WEIGHTS)) score += ((counts[key] ?? 0) / total) * weight;
	return Math.round((score / TOTAL) * 100) / 10;
}
