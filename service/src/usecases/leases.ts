import type { Logger } from 'pino';

/**
 * The claims a dispatcher works on, as leases. A claim is free for anyone to take once it is
 * older than the lease (relay_claim_texts), so the dispatcher renews the claims it still holds
 * every fifth of the lease (those confirmed at least half a beat before); a dead dispatcher stops
 * renewing and its claims are taken over one lease later, while a live one's are never taken
 * from it.
 *
 * If renewals fail (the database is out of reach), the dispatcher cannot know whether its claims
 * still hold: it sends no request for a claim whose lease was last confirmed more than 3/5 of a
 * lease ago, 2/5 of a lease before another claimer may take it. Times are this process's clock: a lease
 * runs from when the claim or renewal was sent, which is no later than when the database stamped
 * it, so the database's lease never ends before the one counted here.
 */
export interface Lease {
	readonly ids: readonly string[];
}

interface Held extends Lease {
	/** When the claim, or the last renewal known to cover it, was sent. */
	confirmedAt: number;
	/** When the claim came back: a renewal sent before that may not have seen its rows. */
	readonly heldFrom: number;
	lost: boolean;
}

export class Leases {
	private readonly held = new Set<Held>();
	private readonly beatMs: number;
	private timer?: ReturnType<typeof setInterval>;
	private renewing?: Promise<void>;

	constructor(
		private readonly renew: (ids: string[]) => Promise<number>,
		private readonly leaseMs: number,
		private readonly log: Logger,
	) {
		this.beatMs = Math.max(10, Math.floor(leaseMs / 5));
	}

	start(): void {
		this.timer ??= setInterval(() => this.beat(), this.beatMs);
		this.timer.unref();
	}

	async stop(): Promise<void> {
		clearInterval(this.timer);
		this.timer = undefined;
		await this.renewing;
	}

	/** A claim sent at `sentAt` came back with these events. */
	take(ids: readonly string[], sentAt: number): Lease {
		const lease: Held = { ids, confirmedAt: sentAt, heldFrom: Date.now(), lost: false };
		this.held.add(lease);
		return lease;
	}

	/** Its events are marked (or left): no more renewals. */
	drop(lease: Lease): void {
		this.held.delete(lease as Held);
	}

	/** Whether a request for these events may still be sent. */
	holds(lease: Lease): boolean {
		const held = lease as Held;
		if (held.lost) return false;
		if (Date.now() < held.confirmedAt + this.leaseMs - 2 * this.beatMs) return true;
		held.lost = true;
		this.log.warn(
			{ events: held.ids.length, confirmedMsAgo: Date.now() - held.confirmedAt },
			'claim lease not renewed in time; its events are left for the next claim',
		);
		return false;
	}

	private beat(): void {
		if (this.renewing || this.held.size === 0) return;
		this.renewing = this.renewHeld().finally(() => {
			this.renewing = undefined;
		});
	}

	private async renewHeld(): Promise<void> {
		const sentAt = Date.now();
		// A claim confirmed less than half a beat ago needs no renewal yet: renewed at the next beat
		// at the latest, 1.5 beats old, still 1.5 beats before holds() gives it up. Most claims are
		// marked within a fraction of a second, so they are never renewed: a renewal is an update of
		// every row it covers, and its row locks make the marks of those rows wait.
		const due = sentAt - this.beatMs / 2;
		const covered = [...this.held].filter((l) => !l.lost && l.heldFrom <= sentAt && l.confirmedAt <= due);
		if (covered.length === 0) return;
		try {
			await this.renew(covered.flatMap((l) => l.ids));
		} catch (error) {
			this.log.warn({ err: { message: (error as Error).message } }, 'renewing claim leases failed');
			return;
		}
		const backAt = Date.now();
		// Renewed in time only if the lease still held when the answer came: then it runs from sentAt.
		for (const l of covered) if (backAt < l.confirmedAt + this.leaseMs) l.confirmedAt = sentAt;
	}
}
