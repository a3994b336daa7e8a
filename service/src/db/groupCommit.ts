/**
 * Calls that arrive while a commit is in flight wait for it and then go together in the next
 * one: one transaction (one disk flush) for what arrived together, and no waiting when idle.
 */
export class GroupCommit<In, Out> {
	private queue: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
	private running = false;

	constructor(
		private readonly many: (inputs: In[]) => Promise<Out[]>,
		private readonly one: (input: In) => Promise<Out>,
		private readonly maxGroup = 200,
	) {}

	submit(input: In): Promise<Out> {
		return new Promise<Out>((resolve, reject) => {
			this.queue.push({ input, resolve, reject });
			if (this.running) return;
			this.running = true;
			// After the requests already readable on other sockets (PGlite runs on this thread,
			// so nothing else is read while it works): they join this group.
			setImmediate(() => void this.drain());
		});
	}

	private async drain(): Promise<void> {
		try {
			while (this.queue.length) {
				const group = this.queue.splice(0, this.maxGroup);
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
