import { runWorker } from '../lib/child';
import { fmt } from '../lib/stats';
import type { Row } from '../lib/table';

/** 4. A million customers normalized, hashed and cut into 10,000-row requests, as a stream. */
export async function audienceHashing(): Promise<Row[]> {
	const r = await runWorker<{
		rows: number;
		requests: number;
		seconds: number;
		hashes: number;
		floorSeconds: number;
		perHashNs: number;
		maxRssMb: number;
	}>('audience');
	const ratio = r.seconds / r.floorSeconds;
	const scenario = `4 audience hashing (${fmt(r.rows)} customers × 6 keys, ${fmt(r.requests)} requests)`;
	return [
		{
			scenario,
			figure: 'wall time s',
			value: fmt(r.seconds, 1),
			baseline: `${fmt(r.floorSeconds, 1)} (hash floor: ${fmt(r.hashes)} × ${fmt(r.perHashNs)} ns)`,
			ratio: fmt(ratio, 2),
			target: '≤ 2.00',
			met: ratio <= 2,
		},
		{
			scenario,
			figure: 'peak RSS MB',
			value: fmt(r.maxRssMb),
			baseline: '',
			ratio: '',
			target: '< 300',
			met: r.maxRssMb < 300,
		},
	];
}
