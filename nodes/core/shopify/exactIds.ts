interface WithIds {
	id?: unknown;
	admin_graphql_api_id?: unknown;
	customer?: unknown;
}

/** An id past 2^53: a number that has lost digits, or the digits of one read as text. */
function pastSafeRange(id: unknown): boolean {
	if (typeof id === 'number') return !Number.isSafeInteger(id);
	return typeof id === 'string' && /^\d{16,}$/.test(id) && !Number.isSafeInteger(Number(id));
}

/**
 * JSON numbers lose digits past 2^53 (Shopify's sample ids do: 706405506930370084 parses as
 * …370000), and a parse that keeps such an id as text may have been given a copy that already
 * lost them. The GraphQL id is always text and exact, so such an id is read from there instead;
 * without one, the id stays as it is (a caller refuses what is not a whole number).
 */
function exactId<T extends WithIds>(record: T): T {
	if (!pastSafeRange(record.id)) return record;
	const digits = /\/(\d+)$/.exec(String(record.admin_graphql_api_id ?? ''))?.[1];
	return digits ? { ...record, id: digits } : record;
}

/** A parsed order or customer payload with its own id and its customer's id exact. */
export function withExactIds<T extends object>(payload: T): T {
	const out = exactId(payload as WithIds);
	const customer = out.customer;
	return (
		customer && typeof customer === 'object' && !Array.isArray(customer)
			? { ...out, customer: exactId(customer as WithIds) }
			: out
	) as T;
}
