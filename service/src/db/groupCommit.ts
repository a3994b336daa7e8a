export interface GroupBounds<In> {
	/** What one call weighs (for ingest, its events). */
	weight: (input: In) => number;
	/** A group stops before it passes this weight (a heavier call is a group of its own). */
	maxWeight: number;
	/** A call at least this heavy is not queued: it runs at once, beside the group in flight. */
	alone: number;
	maxCalls: number;
}

const COUNT_ONLY: GroupBounds<unknown> = {
	weight: () => 1,
	maxWeight: Number.POSITIVE_INFINITY,
	alone: Number.POSITIVE_INFINITY,
	maxCalls: 200,
};

/**
 * Calls that arrive while a commit is in flight wait for it and then go together in the next
 * one: one transaction (one disk flush) for what arrived together, and no waiting when idle.
 * A heavy call gains nothing from company and would lose the overlap of its database time with
 * the next request's parsing, so it goes on its own connection at once.
 */
export class GroupCommit<In, Out> {
	private queue: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
	private running = false;
	private readonly bounds: GroupBounds<In>;

	constructor(
		private readonly many: (inputs: In[]) => Promise<Out[]>,
		private readonly one: (input: In) => Promise<Out>,
		bounds: Partial<GroupBounds<In>> = {},
	) {
		this.bounds = { ...(COUNT_ONLY as GroupBounds<In>), ...bounds };
	}

	submit(input: In): Promise<Out> {
		if (this.bounds.weight(input) >= this.bounds.alone) return this.one(input);
		return new Promise<Out>((resolve, reject) => {
			this.queue.push({ input, resolve, reject });
			if (this.running) return;
			this.running = true;
			// After the requests already readable on other sockets (PGlite runs on this thread,
			// so nothing else is read while it works): they join this group.
			setImmediate(() => void this.drain());
		});
	}

	/** The next group: in order, at least one call, within both bounds. */
	private take(): typeof this.queue {
		const { weight, maxWeight, maxCalls } = this.bounds;
		let n = 0;
		let total = 0;
		while (n < this.queue.length && n < maxCalls) {
			const w = weight(this.queue[n].input);
			if (n > 0 && total + w > maxWeight) break;
			total += w;
			n++;
		}
		return this.queue.splice(0, n);
	}

	private async drain(): Promise<void> {
		try {
			while (this.queue.length) {
				const group = this.take();
				if (group.length === 1) {
					await this.one(group[0].input).then(group[0].resolve, group[0].reject);
					continue;
				}
				try {
					const outs = await this.many(group.map((g) => g.input));
					group.forEach((g, i) => g.resolve(outs[i]));
				} catch {
					// One bad delivery must not fail the others: each again on its own.
					for (const g of group) await this.one(g.input).then(g.resolve, g.reject);
				}
			}
		} finally {
			this.running = false;
		}
	}
}
