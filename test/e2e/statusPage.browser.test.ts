import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderInChromium } from '../support/chromium';
import { startRelay, type TestRelay } from '../support/relayServer';

describe('status page in headless Chromium', () => {
	let relay: TestRelay;
	const shots = mkdtempSync(join(tmpdir(), 'shots-'));

	beforeAll(async () => {
		relay = await startRelay('pglite', { META_PIXEL_ID: '123456' });
		const data = [
			{ event_name: 'Lead', email: 'a@example.com', phone: '+1 650 555 1212', event_id: 'a' },
			{ event_name: 'Purchase', email: 'b@example.com', value: 12.5, currency: 'USD', event_id: 'b' },
		];
		await fetch(`${relay.url}/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' },
			body: JSON.stringify({ data }),
		});
	});
	afterAll(async () => {
		await relay.close();
		rmSync(shots, { recursive: true, force: true });
	});

	// The browser logs in the way a person would: HTTP Basic, the secret as the password.
	const page = () => `http://status:${relay.apiSecret}@127.0.0.1:${relay.port}/`;

	it('renders the configuration, the counts and the match-quality table', async () => {
		const dom = await renderInChromium(page());
		expect(dom).toContain('<title>Conversion Relay — status</title>');
		expect(dom).toContain('Meta access token: <strong class="off">not configured</strong>');
		// Two queued events this hour: the browser's parsed table, cell by cell.
		expect(dom).toMatch(
			/<table id="counts">[\s\S]*<tr><td>\d{4}-\d\d-\d\d \d\d:00<\/td><td>2<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>0<\/td><\/tr>/,
		);
		expect(dom).toMatch(/<tr><td>Lead<\/td><td>1<\/td><td>[\d.]+<\/td><td>100%<\/td><td>100%<\/td>/);
		expect(dom).toMatch(/<tr><td>Purchase<\/td><td>1<\/td><td>[\d.]+<\/td><td>100%<\/td><td>0%<\/td>/);
		expect(dom).not.toContain('example.com');
	});

	it('draws a page (a screenshot of real size)', async () => {
		const file = join(shots, 'status.png');
		await renderInChromium(page(), file);
		expect(existsSync(file)).toBe(true);
		expect(statSync(file).size).toBeGreaterThan(10_000);
	});
});
