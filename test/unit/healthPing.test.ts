import { withLiveness } from '../../service/src/db/liveness';
import { Repository } from '../../service/src/db/repository';
import type { Rpc } from '../../service/src/db/rpc';

/** Storage whose calls answer only when the test says so (a pool with every connection busy). */
function stalledDb() {
	const waiting: Array<() => void> = [];
	let calls = 0;
	const db: Rpc = {
		backend: 'postgres',
		rows: async () => [],
		value: <T>() => {
			calls++;
			return new Promise<T>((resolve) => waiting.push(() => resolve(1 as T)));
		},
		close: async () => undefined,
	};
	return { db, waiting, calls: () => calls };
}

describe('GET /health’s database check', () => {
	it('counts a database that answered another call just now as up, without queueing a ping behind the pool', async () => {
		const stalled = stalledDb();
		const db = withLiveness(stalled.db);
		const answered = db.value('relay_anything');
		stalled.waiting.shift()?.();
		await answered;
		const repo = new Repository(db);
		const before = stalled.calls();
		await expect(repo.ping()).resolves.toBe(true);
		expect(stalled.calls()).toBe(before);
	});

	it('answers false within its bound when the database answers nothing', async () => {
		jest.useFakeTimers();
		try {
			const repo = new Repository(withLiveness(stalledDb().db));
			const ping = repo.ping();
			jest.advanceTimersByTime(2_000);
			await expect(ping).resolves.toBe(false);
		} finally {
			jest.useRealTimers();
		}
	});

	it('pings when nothing answered recently, and is up when the ping answers', async () => {
		const stalled = stalledDb();
		const repo = new Repository(withLiveness(stalled.db));
		const ping = repo.ping();
		expect(stalled.calls()).toBe(1);
		stalled.waiting.shift()?.();
		await expect(ping).resolves.toBe(true);
	});
});
