import type { DatasetQualityRow } from '../../../nodes/core/capi/datasetQuality';
import { metaQualitySection } from '../../../service/src/http/statusQuality';
import type { PixelQuality } from '../../../service/src/usecases/datasetQuality';

const T = Date.UTC(2030, 0, 2, 3, 4);
const row: DatasetQualityRow = {
	event_name: 'Purchase<b>',
	composite_score: 7.25,
	match_keys: { 'email"><i>': 99.94 },
	event_coverage: 34.1,
	event_coverage_goal: null,
	dedupe_keys: {},
	data_freshness: '<hourly>',
	acr: null,
	diagnostics: [],
};
const pixel = (p: Partial<PixelQuality>): PixelQuality => ({ pixelId: '111', status: 'ok', rows: [], nextAt: T, ...p });
const on = (pixels: PixelQuality[], pausedUntil?: number) => ({
	state: 'on' as const,
	pixels,
	firstReadAt: T,
	pausedUntil,
});

describe("the status page's section for Meta's own score", () => {
	it("escapes everything Meta's answer carries", () => {
		const html = metaQualitySection(on([pixel({ rows: [row], readAt: T })]), []);
		expect(html).toContain('<td>Purchase&lt;b&gt;</td><td>7.3</td><td>—</td><td>0</td>');
		expect(html).toContain('<td class="text">email&quot;&gt;&lt;i&gt; 99.9%</td><td>34.1%</td>');
		expect(html).toContain('<td>&lt;hourly&gt;</td>');
		expect(html).not.toMatch(/<b>|<i>|<hourly>/);
	});

	it('says in one line what became of the read: not yet, throttled, failed, refused; and the pause', () => {
		const message = 'Temporary <failure>';
		const html = metaQualitySection(
			on(
				[
					pixel({ pixelId: '1', status: 'pending' }),
					pixel({ pixelId: '2', status: 'throttled', error: { class: 'throttle', code: 17, message }, readAt: T }),
					pixel({ pixelId: '3', status: 'failed', error: { class: 'retry', code: 2, message } }),
					pixel({ pixelId: '4', status: 'refused', error: { class: 'auth', code: 190, subcode: 463, message } }),
				],
				T + 60_000,
			),
			[],
		);
		expect(html).toContain('<p class="off">Reads wait until 2030-01-02 03:05 UTC (Meta\'s rate limit).</p>');
		expect(html).toContain('<p data-status="pending">Not read yet: the first read is due at 2030-01-02 03:04 UTC.</p>');
		expect(html).toContain(
			'Meta is throttling the reads (code 17): Temporary &lt;failure&gt;. Next try after the pause; the scores below were read at 2030-01-02 03:04 UTC.',
		);
		expect(html).toContain(
			'Meta did not answer the quality (code 2): Temporary &lt;failure&gt;. Next try at 2030-01-02 03:04 UTC.',
		);
		expect(html).toContain("Meta refused to show this pixel's quality (code 190/463): Temporary &lt;failure&gt;.");
		for (const id of ['1', '2', '3', '4'])
			expect(
				html.match(new RegExp(`<section data-pixel="${id}">[\\s\\S]*?</section>`))?.[0].match(/<p /g),
			).toHaveLength(1);
	});
});
