import { startMetaDoubleChild } from '../lib/metaDouble';
import { fmt } from '../lib/stats';
import type { Row } from '../lib/table';
import { drain, META_LATENCY_MS } from './delivery';

const EVENTS = 30_000;

/**
 * 6. Two service processes on one Postgres: every event sent exactly once; the pair against one,
 * at Meta's usual latency and at a slow Meta (where waiting, not CPU, limits one process).
 */
export async function scaleOut(): Promise<Row[]> {
	return [...(await pair(META_LATENCY_MS)), ...(await pair(500))];
}

async function pair(latencyMs: number): Promise<Row[]> {
	const meta = await startMetaDoubleChild(latencyMs);
	try {
		const one = await drain(meta, 1, EVENTS, 'one');
		const two = await drain(meta, 2, EVENTS, 'two');
		const unique = two.meta.distinct;
		const exactlyOnce = unique === EVENTS && two.meta.events === EVENTS;
		const rate = (run: typeof one) => run.sent / run.seconds;
		const ratio = rate(two) / rate(one);
		return [
			{
				scenario: `6 scale-out (2 processes, one Postgres, ${fmt(EVENTS)} events, Meta ${latencyMs} ms)`,
				figure: 'events/s queued → sent',
				value: fmt(rate(two)),
				baseline: `${fmt(rate(one))} (one process)`,
				ratio: fmt(ratio, 2),
				target: '> 1 (faster as a pair)',
				met: ratio > 1,
			},
			{
				scenario: `6 scale-out (2 processes, one Postgres, ${fmt(EVENTS)} events, Meta ${latencyMs} ms)`,
				figure: 'sent exactly once',
				value: `${fmt(unique)} distinct of ${fmt(two.meta.events)} sent`,
				baseline: `${fmt(EVENTS)} stored`,
				ratio: '',
				target: 'all, none twice',
				met: exactlyOnce,
			},
		];
	} finally {
		await meta.stop();
	}
}
