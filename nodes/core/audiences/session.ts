import { randomBytes } from 'node:crypto';
import type { ReplaceSession } from './types';

/**
 * A session id for usersreplace: an int64 unique per ad account. 52 random bits keep it exact in
 * a JavaScript number and in JSON.
 */
export function newSessionId(): number {
	const bytes = randomBytes(7);
	bytes[0] &= 0x0f;
	return Number(BigInt(`0x${bytes.toString('hex')}`)) || 1;
}

/**
 * Numbers the batches of one replace (or add/remove) session. Batches must be sent in order,
 * starting at 1; the last one carries last_batch_flag so Meta swaps the audience's members.
 */
export class SessionCounter {
	private seq = 0;

	constructor(
		readonly sessionId: number = newSessionId(),
		private readonly estimatedTotal?: number,
	) {}

	next(isLast: boolean): ReplaceSession {
		this.seq += 1;
		const session: ReplaceSession = { session_id: this.sessionId, batch_seq: this.seq, last_batch_flag: isLast };
		if (this.estimatedTotal !== undefined) session.estimated_num_total = this.estimatedTotal;
		return session;
	}
}

/** Pairs each batch with its session, knowing the last only when the iterator ends (streams). */
export function* withSessions<T>(
	batches: Iterable<T>,
	counter: SessionCounter,
): Generator<{ batch: T; session: ReplaceSession }> {
	const it = batches[Symbol.iterator]();
	let current = it.next();
	while (!current.done) {
		const following = it.next();
		yield { batch: current.value, session: counter.next(Boolean(following.done)) };
		current = following;
	}
}
