import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The workers inherit the variable: they record into this folder (see record.ts).
export default function setup(): void {
	if (process.env.PRIVACY_SCAN === '0') return;
	process.env.PRIVACY_SCAN_DIR = mkdtempSync(join(tmpdir(), 'privacy-scan-'));
}
