import type { Rpc } from './rpc';

export interface Liveness {
	/** When a call last came back from the database (ms since the epoch), 0 before the first. */
	answeredAt(): number;
}

/**
 * Records when storage last answered. Under load every connection of the pool is busy and a
 * health check queued behind them would wait seconds while the database is plainly answering:
 * any call that came back recently proves the database is reachable just as well as a ping.
 */
export function withLiveness(db: Rpc): Rpc & Liveness {
	let at = 0;
	const seen = <T>(p: Promise<T>): Promise<T> =>
		p.then((v) => {
			at = Date.now();
			return v;
		});
	return {
		backend: db.backend,
		rows: (fn, args) => seen(db.rows(fn, args)),
		value: (fn, args) => seen(db.value(fn, args)),
		close: () => db.close(),
		answeredAt: () => at,
	};
}
