/**
 * Meta rejects a whole request for one invalid event. Send the batch; when it is rejected as
 * invalid, split it in halves and send each, down to the single events that are really invalid.
 * I/O stays with the caller (a node's transport, the service's dispatcher): this only decides.
 */
export type SendOutcome<R> = { ok: true; result: R } | { ok: false; invalid: boolean; error: unknown };

export interface ItemOutcome<T, R> {
	item: T;
	ok: boolean;
	result?: R;
	error?: unknown;
}

export async function sendWithBisection<T, R>(
	items: readonly T[],
	send: (batch: readonly T[]) => Promise<SendOutcome<R>>,
): Promise<ItemOutcome<T, R>[]> {
	if (items.length === 0) return [];
	const outcome = await send(items);
	if (outcome.ok) return items.map((item) => ({ item, ok: true, result: outcome.result }));
	// Only an "invalid" rejection is about the content; anything else is the same for every half.
	if (!outcome.invalid || items.length === 1) {
		return items.map((item) => ({ item, ok: false, error: outcome.error }));
	}
	const middle = Math.ceil(items.length / 2);
	const left = await sendWithBisection(items.slice(0, middle), send);
	const right = await sendWithBisection(items.slice(middle), send);
	return [...left, ...right];
}
