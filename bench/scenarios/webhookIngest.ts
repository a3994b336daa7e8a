import { startChild } from '../lib/child';
import { closedLoop, type LoadResult } from '../lib/load';
import { freshDatabase } from '../lib/postgres';
import { relayEnv } from '../lib/relayEnv';
import { signedOrders } from '../lib/shopify';
import { fmt, percentile } from '../lib/stats';
import type { Row } from '../lib/table';

const CONCURRENCY = 16;
const SECONDS = 5;

async function measure(
	script: 'bare' | 'relay',
	env: Record<string, string>,
	requests: ReturnType<typeof signedOrders>,
): Promise<LoadResult> {
	const server = await startChild(script, env);
	let i = 0;
	try {
		const result = await closedLoop(server.port, () => requests[i++ % requests.length], {
			concurrency: CONCURRENCY,
			seconds: SECONDS,
		});
		const bad = Object.entries(result.statuses).filter(([s]) => s !== '200' && s !== '202');
		if (bad.length) throw new Error(`${script}: unexpected answers ${JSON.stringify(result.statuses)}`);
		return result;
	} finally {
		await server.stop();
	}
}

/**
 * 1. Signed Shopify orders/paid, one per request (HMAC, validate, hash, durable commit, 2xx)
 * against a bare Express JSON handler, at the same concurrency, in the same run.
 */
export async function webhookIngest(): Promise<Row[]> {
	const requests = signedOrders(60_000);
	const bareBefore = await measure('bare', {}, requests);
	const pglite = await measure('relay', relayEnv(), requests);
	const db = await freshDatabase('ingest');
	let postgres: LoadResult;
	try {
		postgres = await measure('relay', relayEnv({ DATABASE_URL: db.url }), requests);
	} finally {
		await db.drop();
	}
	const bareAfter = await measure('bare', {}, requests);
	const bare = (bareBefore.perSecond + bareAfter.perSecond) / 2;
	const rows: Row[] = [];
	for (const [name, r] of [
		['PGlite', pglite],
		['Postgres', postgres],
	] as const) {
		const p99 = percentile(r.latenciesMs, 99);
		rows.push(
			{
				scenario: `1 webhook ingest (${name}, c=${CONCURRENCY})`,
				figure: 'requests/s',
				value: fmt(r.perSecond),
				baseline: `${fmt(bare)} (bare Express, ${fmt(bareBefore.perSecond)} / ${fmt(bareAfter.perSecond)})`,
				ratio: fmt(r.perSecond / bare, 2),
				target: '≥ 0.60',
				met: r.perSecond / bare >= 0.6,
			},
			{
				scenario: `1 webhook ingest (${name}, c=${CONCURRENCY})`,
				figure: 'p50 / p99 ms',
				value: `${fmt(percentile(r.latenciesMs, 50), 1)} / ${fmt(p99, 1)}`,
				baseline: `${fmt(percentile(bareBefore.latenciesMs, 50), 1)} / ${fmt(percentile(bareBefore.latenciesMs, 99), 1)}`,
				ratio: '',
				target: 'p99 < 50',
				met: p99 < 50,
			},
		);
	}
	return rows;
}
