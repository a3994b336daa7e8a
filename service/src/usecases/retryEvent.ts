import type { Repository, StoredEvent } from '../db/repository';

export type RetryOutcome =
	{ kind: 'queued'; event: StoredEvent } | { kind: 'missing' } | { kind: 'not_dead'; status: string };

/** A dead letter goes back to the queue; any other event stays as it is, and says why. */
export async function retryDeadEvent(repo: Repository, id: string): Promise<RetryOutcome> {
	const event = await repo.requeue(id);
	if (event) return { kind: 'queued', event };
	const existing = await repo.getEvent(id);
	return existing ? { kind: 'not_dead', status: existing.status } : { kind: 'missing' };
}
