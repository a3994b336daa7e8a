import { startMetaDouble } from '../../test/support/metaDouble';
import { fmt } from '../lib/stats';
import type { Row } from '../lib/table';
import { drain, META_LATENCY_MS } from './delivery';

const EVENTS = 30_000;

/** 6. Two service processes on one Postgres: every event sent exactly once; the pair against one. */
export async function scaleOut(): Promise<Row[]> {
	const meta = await startMetaDouble(undefined, { latencyMs: META_LATENCY_MS });
	try {
		const one = await drain(meta, 1, EVENTS, 'one');
		const two = await drain(meta, 2, EVENTS, 'two');
		const unique = new Set(two.delivered).size;
		const exactlyOnce = unique === EVENTS && two.delivered.length === EVENTS;
		const ratio = one.seconds / two.seconds;
		return [
			{ scenario: `6 scale-out (2 processes, one Postgres, ${fmt(EVENTS)} events)`, figure: 'events/s queued → sent', value: fmt(EVENTS / two.seconds), baseline: `${fmt(EVENTS / one.seconds)} (one process)`, ratio: fmt(ratio, 2), target: '> 1 (faster as a pair)', met: ratio > 1 },
			{ scenario: `6 scale-out (2 processes, one Postgres, ${fmt(EVENTS)} events)`, figure: 'sent exactly once', value: `${fmt(unique)} distinct of ${fmt(two.delivered.length)} sent`, baseline: `${fmt(EVENTS)} stored`, ratio: '', target: 'all, none twice', met: exactlyOnce },
		];
	} finally {
		await meta.close();
	}
}
