/**
 * Meta (and HubSpot) reject a whole request for one invalid record. Send the batch; when it is
 * rejected as invalid, split it in halves and send those, level by level, down to the single
 * records that are really invalid. I/O stays with the caller (a node's transport, the service's
 * dispatcher): this only decides what to send next.
 */
export type SendOutcome<R, E = unknown> = { ok: true; result: R } | { ok: false; invalid: boolean; error: E };

/** One item of the batch: the result of the request that carried it, or the error that settled it. */
export interface SentItem<T, R, E = unknown> {
	item: T;
	ok: boolean;
	result?: R;
	error?: E;
}

export interface BisectOptions<E> {
	/**
	 * Stop splitting once the first `levels` levels of halves have all failed like the whole batch
	 * (`same` as its error): the request is at fault (a property that does not exist, a wrong
	 * pipeline), not one record, and every further half would fail too. The halves not yet sent
	 * then fail with the error their parent got.
	 */
	stopWhenHalvesFailAlike?: { levels: number; same: (error: E, first: E) => boolean };
}

interface Part<E> {
	/** Positions in the original batch, so outcomes come back in its order. */
	positions: number[];
	/** The error of the batch this part is half of. */
	parentError?: E;
}

interface Level<E> {
	parts: Part<E>[];
	/** Whether every part sent at this level failed like the whole batch. */
	allAlike: boolean;
}

interface Run<T, R, E> {
	items: readonly T[];
	send: (batch: readonly T[]) => Promise<SendOutcome<R, E>>;
	rule: BisectOptions<E>['stopWhenHalvesFailAlike'];
	outcomes: SentItem<T, R, E>[];
	/** The whole batch's error, once it failed. */
	first?: { error: E };
}

function settle<T, R, E>(run: Run<T, R, E>, part: Part<E>, outcome: Omit<SentItem<T, R, E>, 'item'>): void {
	for (const p of part.positions) run.outcomes[p] = { item: run.items[p], ...outcome };
}

/** Sends every part of one level; returns the halves of the parts rejected as invalid. */
async function sendLevel<T, R, E>(run: Run<T, R, E>, parts: Part<E>[]): Promise<Level<E>> {
	const next: Part<E>[] = [];
	let allAlike = true;
	for (const part of parts) {
		const outcome = await run.send(part.positions.map((p) => run.items[p]));
		if (outcome.ok) {
			allAlike = false;
			settle(run, part, { ok: true, result: outcome.result });
			continue;
		}
		run.first ??= { error: outcome.error };
		if (run.rule && !run.rule.same(outcome.error, run.first.error)) allAlike = false;
		// Only an "invalid" rejection is about the content; anything else is the same for every half.
		if (!outcome.invalid || part.positions.length === 1) {
			settle(run, part, { ok: false, error: outcome.error });
			continue;
		}
		const middle = Math.ceil(part.positions.length / 2);
		next.push({ positions: part.positions.slice(0, middle), parentError: outcome.error }, { positions: part.positions.slice(middle), parentError: outcome.error });
	}
	return { parts: next, allAlike };
}

/** Every item's outcome, in the order of `items`. */
export async function sendWithBisection<T, R, E = unknown>(
	items: readonly T[],
	send: (batch: readonly T[]) => Promise<SendOutcome<R, E>>,
	options: BisectOptions<E> = {},
): Promise<SentItem<T, R, E>[]> {
	const run: Run<T, R, E> = { items, send, rule: options.stopWhenHalvesFailAlike, outcomes: new Array<SentItem<T, R, E>>(items.length) };
	let parts: Part<E>[] = items.length ? [{ positions: items.map((_, p) => p) }] : [];
	let alikeLevels = 0;
	for (let depth = 0; parts.length; depth++) {
		if (run.rule && depth > run.rule.levels && alikeLevels >= run.rule.levels) {
			for (const part of parts) settle(run, part, { ok: false, error: part.parentError });
			break;
		}
		const level = await sendLevel(run, parts);
		// Levels count only while they follow the first split without a break.
		if (depth >= 1 && level.allAlike && alikeLevels === depth - 1) alikeLevels += 1;
		parts = level.parts;
	}
	return run.outcomes;
}
