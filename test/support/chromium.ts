import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Flags that keep Chromium off the (closed) network and quiet, as root in a sandboxless CI.
const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** The page's DOM as Debian's Chromium renders it (async: the server under test shares this process). */
export async function renderInChromium(url: string, screenshot?: string): Promise<string> {
	if (!existsSync(CHROMIUM))
		throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
	const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
	try {
		const extra = screenshot ? [`--screenshot=${screenshot}`, '--window-size=1280,900'] : ['--dump-dom'];
		const { stdout } = await run(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, ...extra, url], {
			timeout: 60_000,
			maxBuffer: 10 * 1024 * 1024,
		});
		return stdout;
	} finally {
		rmSync(profile, { recursive: true, force: true });
	}
}
