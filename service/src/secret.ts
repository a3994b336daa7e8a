import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * RELAY_API_SECRET when set; else the one generated on first start and kept in the data folder
 * (readable by its owner only). `created` says whether to show it once.
 */
export function resolveApiSecret(
	configured: string | undefined,
	dataDir: string,
): { secret: string; created: boolean; file?: string } {
	if (configured) return { secret: configured, created: false };
	mkdirSync(dataDir, { recursive: true });
	const file = join(dataDir, 'api-secret');
	if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), created: false, file };
	const secret = randomBytes(32).toString('hex');
	writeFileSync(file, `${secret}\n`, { mode: 0o600 });
	return { secret, created: true, file };
}
