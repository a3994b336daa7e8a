/**
 * Meta (and HubSpot) reject a whole request for one invalid record. Send the batch; when it is
 * rejected as invalid, split it in halves and send each, down to the single records that are
 * really invalid. I/O stays with the caller (a node's transport, the service's dispatcher): this
 * only decides what to send next.
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
	 * then fail with the error their parent got. The rule needs a whole level's answers, so with
	 * it halves are sent level by level instead of each half down to its single records first.
	 */
	stopWhenHalvesFailAlike?: { levels: number; same: (error: E, first: E) => boolean };
}

interface Part<E> {
	/** Positions in the original batch, so outcomes come back in its order. */
	positions: number[];
	/** 0 for the whole batch, 1 for its halves, … */
	depth: number;
	/** The error of the batch this part is half of. */
	parentError?: E;
}

/** Counts the levels of halves, from the first split on and without a break, that failed like the whole batch. */
class AlikeLevels<E> {
	private first?: { error: E };
	private depth = 0;
	private allAlike = true;
	private count = 0;

	constructor(private readonly rule: NonNullable<BisectOptions<E>['stopWhenHalvesFailAlike']>) {}

	/** Whether to give up before sending a part at this depth (parts come level by level). */
	givesUpAt(depth: number): boolean {
		if (depth > this.depth) {
			if (this.depth >= 1 && this.allAlike && this.count === this.depth - 1) this.count += 1;
			this.depth = depth;
			this.allAlike = true;
		}
		return depth > this.rule.levels && this.count >= this.rule.levels;
	}

	note(outcome: SendOutcome<unknown, E>): void {
		if (outcome.ok) {
			this.allAlike = false;
			return;
		}
		this.first ??= { error: outcome.error };
		if (!this.rule.same(outcome.error, this.first.error)) this.allAlike = false;
	}
}

function halves<E>(part: Part<E>, error: E): Part<E>[] {
	const middle = Math.ceil(part.positions.length / 2);
	const depth = part.depth + 1;
	return [
		{ positions: part.positions.slice(0, middle), depth, parentError: error },
		{ positions: part.positions.slice(middle), depth, parentError: error },
	];
}

/** Every item's outcome, in the order of `items`. */
export async function sendWithBisection<T, R, E = unknown>(
	items: readonly T[],
	send: (batch: readonly T[]) => Promise<SendOutcome<R, E>>,
	options: BisectOptions<E> = {},
): Promise<SentItem<T, R, E>[]> {
	const outcomes = new Array<SentItem<T, R, E>>(items.length);
	const settle = (part: Part<E>, outcome: Omit<SentItem<T, R, E>, 'item'>) =>
		part.positions.forEach((p) => (outcomes[p] = { item: items[p], ...outcome }));
	const alike = options.stopWhenHalvesFailAlike ? new AlikeLevels(options.stopWhenHalvesFailAlike) : undefined;
	const work: Part<E>[] = items.length ? [{ positions: items.map((_, p) => p), depth: 0 }] : [];
	for (let part = work.shift(); part; part = work.shift()) {
		if (alike?.givesUpAt(part.depth)) {
			for (const unsent of [part, ...work]) settle(unsent, { ok: false, error: unsent.parentError });
			break;
		}
		const outcome = await send(part.positions.map((p) => items[p]));
		alike?.note(outcome);
		if (outcome.ok) settle(part, { ok: true, result: outcome.result });
		// Only an "invalid" rejection is about the content; anything else is the same for every half.
		else if (!outcome.invalid || part.positions.length === 1) settle(part, { ok: false, error: outcome.error });
		else if (alike) work.push(...halves(part, outcome.error));
		else work.unshift(...halves(part, outcome.error));
	}
	return outcomes;
}
