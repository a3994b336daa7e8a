import { createHash } from 'node:crypto';
import { estimateMatchQuality } from '../../service/src/usecases/matchQuality';
import { NO_PERMISSION, QUALITY_ANSWER } from '../support/datasetQualityAnswers';
import { startHttpDouble, type HttpDouble } from '../support/httpDouble';
import { eventually, startRelay, type TestRelay } from '../support/relayServer';

const TOKEN = 'EAAB-status-quality-token';
const MINUTE = 60_000;

/** The page as the API secret sees it. */
const statusPage = async (relay: TestRelay) => {
	const res = await fetch(`${relay.url}/`, { headers: { authorization: `Bearer ${relay.apiSecret}` } });
	expect(res.status).toBe(200);
	return { html: await res.text(), csp: res.headers.get('content-security-policy') ?? '' };
};

/** The section of one pixel: from its heading to the next. */
const pixelSection = (html: string, pixel: string) => {
	const start = html.indexOf(`<section data-pixel="${pixel}">`);
	expect(start).toBeGreaterThanOrEqual(0);
	return html.slice(start, html.indexOf('</section>', start));
};

describe("status page: Meta's own match quality beside the local estimate", () => {
	let meta: HttpDouble;
	let relay: TestRelay;
	// The service's clock: moved past the first read instead of waiting for it.
	let offset = 0;

	beforeAll(async () => {
		// A Graph double: pixel 123456's quality as Meta documents it, pixel 777 refused for want of
		// the permission; events are accepted.
		meta = await startHttpDouble((req) => {
			if (req.method === 'GET' && req.path === '/v25.0/dataset_quality')
				return req.query.get('dataset_id') === '123456'
					? { status: 200, body: QUALITY_ANSWER }
					: { status: 400, body: NO_PERMISSION };
			return { status: 200, body: { events_received: 1, messages: [], fbtrace_id: 'trace' } };
		});
		relay = await startRelay(
			'pglite',
			{ META_PIXEL_ID: '123456', META_ACCESS_TOKEN: TOKEN, META_GRAPH_URL: meta.url },
			undefined,
			{ clock: () => Date.now() + offset },
		);
		const data = [
			{
				event_name: 'Purchase',
				email: 'a@example.com',
				phone: '+1 650 555 1212',
				value: 5,
				currency: 'USD',
				event_id: 'p1',
			},
			{ event_name: 'Purchase', email: 'b@example.com', value: 7, currency: 'USD', event_id: 'p2' },
			{ event_name: 'Lead', external_id: 'crm-1', event_id: 'l1' },
			{ event_name: 'Lead', email: 'c@example.com', event_id: 'l2', pixel_id: '777' },
		];
		const res = await fetch(`${relay.url}/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' },
			body: JSON.stringify({ data }),
		});
		expect(res.status).toBe(202);
	});
	afterAll(async () => {
		await relay?.close();
		await meta?.close();
	});

	it('before the first read says when it is due, and reads nothing', async () => {
		const { html } = await statusPage(relay);
		expect(html).toContain("<h2>Meta's match quality (Dataset Quality API)</h2>");
		expect(html).toMatch(
			/No pixel to read yet: set META_PIXEL_ID or send events \(first look at \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/,
		);
		expect(meta.received.filter((r) => r.method === 'GET')).toEqual([]);
	});

	it("shows Meta's score, match keys, coverage, dedup and freshness per event name beside the local estimate; a refused pixel in one line", async () => {
		offset = 2 * MINUTE;
		// Each step reads at most one pixel and keeps 10 s between two requests.
		await relay.quality.tick();
		offset += 10_000;
		await relay.quality.tick();
		const reads = meta.received.filter((r) => r.method === 'GET');
		expect(reads.map((r) => r.query.get('dataset_id'))).toEqual(['123456', '777']);
		for (const r of reads) {
			expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
			expect(r.query.toString()).not.toContain(TOKEN);
		}

		const { html, csp } = await eventually(async () => {
			const page = await statusPage(relay);
			expect(page.html).toContain('<section data-pixel="777">');
			return page;
		});
		const known = pixelSection(html, '123456');
		expect(known).toMatch(/Read from Meta at \d{4}-\d\d-\d\d \d\d:\d\d UTC; next read at/);
		const purchase = estimateMatchQuality(2, { em: 2, ph: 1 }).toFixed(1);
		expect(known).toContain(
			`<tr><td>Purchase</td><td>7.2</td><td>${purchase}</td><td>2</td><td class="text">email 100%, ip_address 99.9%, phone 62.5%</td><td>34.1% (goal 75%)</td><td class="text">event_id: browser 100%, server 100%, deduplicated 14.8%; fbp: browser 0%, server 0%, deduplicated 0%</td><td>real_time</td></tr>`,
		);
		const lead = estimateMatchQuality(1, { external_id: 1 }).toFixed(1);
		expect(known).toContain(
			`<tr><td>Lead</td><td>6.2</td><td>${lead}</td><td>1</td><td class="text">user_agent 100%, external_id 100%</td><td>—</td><td class="text">—</td><td>hourly</td></tr>`,
		);

		const refused = pixelSection(html, '777');
		const lines = refused.match(/<p[^>]*>.*<\/p>/g) ?? [];
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain(
			"Meta refused to show this pixel's quality (code 200): (#200) Requires ads_read permission to manage the object.",
		);
		// Its local estimate is still there; Meta's columns are empty.
		expect(refused).toContain(
			`<tr><td>Lead</td><td>—</td><td>${estimateMatchQuality(1, { em: 1 }).toFixed(1)}</td><td>1</td><td class="text">—</td>`,
		);

		// The page's one inline style is still the one its policy allows by hash.
		const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
		expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
		expect(html).not.toContain('example.com');
	});
});

describe("status page without a token: Meta's score in one line", () => {
	it('says the score is not read and why, and the page still renders', async () => {
		const relay = await startRelay('pglite', { META_PIXEL_ID: '123456' });
		try {
			const { html } = await statusPage(relay);
			expect(html).toContain(
				`<p id="meta-quality" data-status="off" class="off">Meta's own score is not read: META_ACCESS_TOKEN is not set.</p>`,
			);
			expect(html).toContain('</body></html>');
		} finally {
			await relay.close();
		}
	});
});
