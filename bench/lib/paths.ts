import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, whether running from bench/ or from its compiled copy. */
function findRoot(from: string): string {
	for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'test/fixtures'))) return dir;
	throw new Error('repository root not found');
}

export const ROOT = findRoot(__dirname);
