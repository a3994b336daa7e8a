interface WithIds {
	id?: unknown;
	admin_graphql_api_id?: unknown;
	customer?: unknown;
}

/**
 * JSON numbers lose digits past 2^53 (Shopify's sample ids do: 706405506930370084 parses as
 * …370000). The GraphQL id keeps them exact, so an unsafe id is read from there instead.
 */
function exactId<T extends WithIds>(record: T): T {
	if (typeof record.id !== 'number' || Number.isSafeInteger(record.id)) return record;
	const digits = /\/(\d+)$/.exec(String(record.admin_graphql_api_id ?? ''))?.[1];
	return digits ? { ...record, id: digits } : record;
}

/** A parsed order or customer payload with its own id and its customer's id exact. */
export function withExactIds<T extends object>(payload: T): T {
	const out = exactId(payload as WithIds);
	const customer = out.customer;
	return (customer && typeof customer === 'object' && !Array.isArray(customer) ? { ...out, customer: exactId(customer as WithIds) } : out) as T;
}
