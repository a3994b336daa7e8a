import { MAX_EVENTS_PER_REQUEST } from '../../nodes/core/capi/batch';
import { MAX_REQUEST_BYTES } from '../../nodes/core/capi/limits';
import { executorRpc } from '../../service/src/db/executor';
import { openPostgres } from '../../service/src/db/postgres';
import { OutboxRepository } from '../../service/src/db/repository';

// The delivery floor, in a process of its own: the dispatcher's claim and mark statements alone,
// through the service's own repository and pool, with the batch sizes and lanes of the service
// (BENCH_FLOOR_LANES lanes, each claiming up to 1,000 events and a request's bytes, then marking
// them sent), on a copy of the filled database, until nothing is left. No Meta, no HTTP.
const URL = process.env.BENCH_FLOOR_URL ?? '';
const LANES = Number(process.env.BENCH_FLOOR_LANES ?? 4);
const LEASE_SECONDS = 10;

async function main(): Promise<void> {
	const executor = openPostgres(URL);
	const outbox = new OutboxRepository(executorRpc(executor));
	let events = 0;
	let rounds = 0;
	let claimMs = 0;
	let markMs = 0;
	const started = process.hrtime.bigint();
	const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
	await Promise.all(
		Array.from({ length: LANES }, async (_, lane) => {
			const worker = `floor-${lane}`;
			for (;;) {
				const t0 = process.hrtime.bigint();
				const claimed = await outbox.claim(worker, MAX_EVENTS_PER_REQUEST, LEASE_SECONDS, MAX_REQUEST_BYTES);
				if (claimed.length === 0) return;
				claimMs += ms(t0);
				const t1 = process.hrtime.bigint();
				const marked = await outbox.markSent(
					worker,
					claimed.map((e) => e.id),
					'floor-trace',
					claimed.length,
				);
				markMs += ms(t1);
				if (marked !== claimed.length) throw new Error(`claim floor: marked ${marked} of ${claimed.length}`);
				events += marked;
				rounds++;
			}
		}),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	await executor.close();
	process.stdout.write(
		`${JSON.stringify({ lanes: LANES, events, rounds, seconds, claimMs: claimMs / rounds, markMs: markMs / rounds })}\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`claim floor: ${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
