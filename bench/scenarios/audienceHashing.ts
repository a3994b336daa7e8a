import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fmt } from '../lib/stats';
import type { Row } from '../lib/table';

const run = promisify(execFile);

/** 4. A million customers normalized, hashed and cut into 10,000-row requests, as a stream. */
export async function audienceHashing(): Promise<Row[]> {
	const { stdout } = await run(process.execPath, [join(__dirname, '..', 'workers', 'audience.js')], {
		maxBuffer: 1 << 20,
	});
	const r = JSON.parse(stdout.trim().split('\n').pop() as string) as {
		rows: number;
		requests: number;
		seconds: number;
		hashes: number;
		floorSeconds: number;
		perHashNs: number;
		maxRssMb: number;
	};
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
