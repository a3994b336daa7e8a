// n8n's community-package scanner (the check n8n runs before listing a package), on the packed
// package as users install it and on the sources. Exits non-zero on any violation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'scan-'));
try {
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' })
		.trim()
		.split('\n')
		.pop();
	execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
	const checks = [
		['packed package', join(work, 'package'), undefined],
		['sources', root, ['package.json', 'nodes/**/*.ts', 'credentials/**/*.ts']],
	];
	let failed = false;
	for (const [label, dir, patterns] of checks) {
		const result = await analyzePackage(dir, patterns);
		console.log(
			`scanner on ${label}: ${result.passed ? 'passed' : 'FAILED'}${result.message ? ` (${result.message})` : ''}`,
		);
		if (!result.passed) {
			failed = true;
			console.log(result.details ?? '');
		}
	}
	process.exitCode = failed ? 1 : 0;
} finally {
	rmSync(work, { recursive: true, force: true });
}
