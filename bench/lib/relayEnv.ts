import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOPIFY_SECRET } from './shopify';

export const BENCH_SECRET = 'bench-api-secret-0123456789';

/** The service's environment for a scenario: PGlite in a temp folder unless a database is given. */
export function relayEnv(extra: Record<string, string> = {}): Record<string, string> {
	return {
		RELAY_DATA_DIR: mkdtempSync(join(tmpdir(), 'relay-bench-')),
		RELAY_API_SECRET: BENCH_SECRET,
		META_PIXEL_ID: '123456',
		SHOPIFY_WEBHOOK_SECRETS: SHOPIFY_SECRET,
		LOG_LEVEL: 'silent',
		...extra,
	};
}
