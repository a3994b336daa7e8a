import { createHash } from 'node:crypto';
import { audienceBatches, parseSchema } from '../../nodes/core/audiences/rows';
import type { RawAudienceRecord } from '../../nodes/core/audiences/types';

// Runs alone in its own process so its peak memory is its own.
const COUNT = Number(process.env.BENCH_AUDIENCE_ROWS ?? 1_000_000);
const schema = parseSchema(['EMAIL', 'PHONE', 'FN', 'LN', 'ZIP', 'COUNTRY']);

function* customers(): Generator<RawAudienceRecord> {
	for (let i = 0; i < COUNT; i++) {
		yield {
			EMAIL: ` Customer.${i}@Example.com`,
			PHONE: `+1 (415) 555-${String(i % 10_000).padStart(4, '0')}`,
			FN: i % 3 ? 'Mary' : 'José',
			LN: `Jones-${i % 97}`,
			ZIP: `94${String(i % 1000).padStart(3, '0')}`,
			COUNTRY: i % 5 ? 'US' : 'United States',
		};
	}
}

/** The floor: one SHA-256 hex of a short normalized string, as often as the run needs them. */
function hashNanoseconds(): number {
	const inputs = Array.from({ length: 1024 }, (_, i) => `customer.${i}@example.com`);
	const n = 500_000;
	const started = process.hrtime.bigint();
	for (let i = 0; i < n; i++)
		createHash('sha256')
			.update(inputs[i & 1023])
			.digest('hex');
	return Number(process.hrtime.bigint() - started) / n;
}

const perHash = hashNanoseconds();
const started = process.hrtime.bigint();
let rows = 0;
let requests = 0;
let bytes = 0;
let seq = 0;
for (const batch of audienceBatches(schema, customers())) {
	// What would go on the wire: the request body of one usersreplace call.
	const body = JSON.stringify({
		payload: batch.payload,
		session: { session_id: 42, batch_seq: ++seq, last_batch_flag: false, estimated_num_total: COUNT },
	});
	bytes += body.length;
	rows += batch.payload.data.length;
	requests++;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const hashes = rows * schema.length;
process.stdout.write(
	`${JSON.stringify({ rows, requests, bytes, seconds, hashes, floorSeconds: (hashes * perHash) / 1e9, perHashNs: perHash, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
