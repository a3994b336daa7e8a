import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The privacy scan over the whole suite: what the tests send the relay service raw, and every
 * place it could leak to (its answers, its logs, its database), written to PRIVACY_SCAN_DIR while
 * the tests run; globalTeardown then looks for the one in the others. Nothing is written when the
 * suite runs without the scan (a single file run by hand).
 */
export type Place = 'sent' | 'answer' | 'log' | 'database' | 'meta';

declare global {
	var relayOrigins: Set<string> | undefined;
}

export function scanning(): boolean {
	return Boolean(process.env.PRIVACY_SCAN_DIR);
}

/** Requests to these origins (the relay services the tests start) are recorded. */
export function watchOrigin(url: string): void {
	globalThis.relayOrigins ??= new Set();
	globalThis.relayOrigins.add(new URL(url).origin);
}

export function watched(url: string): boolean {
	try {
		return globalThis.relayOrigins?.has(new URL(url).origin) ?? false;
	} catch {
		return false;
	}
}

// Jest's expect, when this runs inside a test file (the bench compiles these helpers too).
const jestExpect = () => (globalThis as { expect?: { getState(): { testPath?: string } } }).expect;

function testFile(): string {
	return jestExpect()?.getState().testPath ?? '';
}

export function record(place: Place, text: string): void {
	const dir = process.env.PRIVACY_SCAN_DIR;
	if (!dir || !text) return;
	appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify({ place, file: testFile(), text })}\n`);
}
