import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, type Entry } from './scan';

// After the whole suite: the raw personal values the tests sent, looked for in every answer, log
// line and database row the relay services produced. A leak fails the run.
export default function teardown(): void {
	const dir = process.env.PRIVACY_SCAN_DIR;
	if (!dir) return;
	const entries: Entry[] = readdirSync(dir).flatMap((f) =>
		readFileSync(join(dir, f), 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line) as Entry),
	);
	const { values, scanned, leaks } = findLeaks(entries);
	rmSync(dir, { recursive: true, force: true });
	process.stdout.write(
		`\nprivacy scan: ${values} raw personal values sent, ${scanned.answer} answers, ${scanned.log} log lines, ${scanned.database} database rows, ${scanned.meta} requests to Meta scanned, ${leaks.length} leaks\n`,
	);
	if (leaks.length) throw new Error(`privacy scan found raw personal data:\n${leaks.slice(0, 50).join('\n')}`);
}
