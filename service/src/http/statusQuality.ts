import type { DatasetQualityRow } from '../../../nodes/core/capi/datasetQuality';
import type { PixelQuality, QualityView } from '../usecases/datasetQuality';
import { estimateMatchQuality } from '../usecases/matchQuality';
import { escape } from './html';

/** One pixel's local counts per event name (the last 7 days), as the repository answers them. */
export interface PixelCoverage {
	pixel_id: string;
	event_name: string;
	total: number;
	counts: Record<string, number>;
}

const at = (ms: number | undefined) =>
	ms === undefined || !Number.isFinite(ms) ? '—' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const percent = (value: number | null) => (value === null ? '—' : `${Number(value.toFixed(1))}%`);

const code = (error: PixelQuality['error']) =>
	error?.code === undefined ? '' : ` (code ${escape(error.code)}${error.subcode ? `/${escape(error.subcode)}` : ''})`;

/** What became of the last read, in one line. */
function statusLine(p: PixelQuality): string {
	const message = escape(p.error?.message ?? '');
	switch (p.status) {
		case 'pending':
			return `<p data-status="pending">Not read yet: the first read is due at ${at(p.nextAt)}.</p>`;
		case 'ok':
			return `<p data-status="ok">Read from Meta at ${at(p.readAt)}; next read at ${at(p.nextAt)}.</p>`;
		case 'refused':
			return `<p data-status="refused" class="off">Meta refused to show this pixel's quality${code(p.error)}: ${message}. The token's system user needs the pixel assigned with "Use events dataset", and the app ads_read with ads_management or business_management; next try at ${at(p.nextAt)}.</p>`;
		case 'throttled':
			return `<p data-status="throttled" class="off">Meta is throttling the reads${code(p.error)}: ${message}. Next try after the pause${p.readAt ? `; the scores below were read at ${at(p.readAt)}` : ''}.</p>`;
		default:
			return `<p data-status="failed" class="off">Meta did not answer the quality${code(p.error)}: ${message}. Next try at ${at(p.nextAt)}${p.readAt ? `; the scores below were read at ${at(p.readAt)}` : ''}.</p>`;
	}
}

const matchKeys = (row: DatasetQualityRow | undefined) =>
	row && Object.keys(row.match_keys).length
		? Object.entries(row.match_keys)
				.map(([key, value]) => `${escape(key)} ${percent(value)}`)
				.join(', ')
		: '—';

const coverage = (row: DatasetQualityRow | undefined) =>
	!row || row.event_coverage === null
		? '—'
		: `${percent(row.event_coverage)}${row.event_coverage_goal === null ? '' : ` (goal ${percent(row.event_coverage_goal)})`}`;

const dedupe = (row: DatasetQualityRow | undefined) =>
	row && Object.keys(row.dedupe_keys).length
		? Object.entries(row.dedupe_keys)
				.map(
					([key, d]) =>
						`${escape(key)}: browser ${percent(d.browser)}, server ${percent(d.server)}, deduplicated ${percent(d.overall_browser_coverage)}`,
				)
				.join('; ')
		: '—';

function pixelTable(p: PixelQuality, local: PixelCoverage[]): string {
	const meta = new Map(p.rows.map((r) => [r.event_name, r]));
	const mine = new Map(local.map((c) => [c.event_name, c]));
	const names = [...new Set([...meta.keys(), ...mine.keys()])].sort();
	if (names.length === 0) return '';
	const row = (name: string) => {
		const m = meta.get(name);
		const c = mine.get(name);
		return `<tr><td>${escape(name)}</td><td>${m?.composite_score == null ? '—' : m.composite_score.toFixed(1)}</td><td>${c ? estimateMatchQuality(c.total, c.counts).toFixed(1) : '—'}</td><td>${c?.total ?? 0}</td><td class="text">${matchKeys(m)}</td><td>${coverage(m)}</td><td class="text">${dedupe(m)}</td><td>${escape(m?.data_freshness ?? '—')}</td></tr>`;
	};
	return `<div class="wide"><table data-pixel="${escape(p.pixelId)}"><thead><tr><th>event name</th><th>Meta's score</th><th>local estimate</th><th>events (7 days)</th><th class="text">match keys (Meta's coverage)</th><th>event coverage</th><th class="text">deduplication keys</th><th>freshness</th></tr></thead><tbody>
${names.map(row).join('\n')}
</tbody></table></div>`;
}

/**
 * Meta's own score per pixel and event name (the Dataset Quality API, read on a schedule) beside
 * the local estimate. Without a token, a permission or an answer it says so in one line.
 */
export function metaQualitySection(view: QualityView | undefined, local: PixelCoverage[]): string {
	const head = `<h2>Meta's match quality (Dataset Quality API)</h2>`;
	if (!view || view.state === 'off')
		return `${head}\n<p id="meta-quality" data-status="off" class="off">Meta's own score is not read: ${escape(view?.reason ?? 'the reader is not running')}.</p>`;
	if (view.pixels.length === 0)
		return `${head}\n<p id="meta-quality" data-status="none">No pixel to read yet: set META_PIXEL_ID or send events (first look at ${at(view.firstReadAt)}).</p>`;
	const pause = view.pausedUntil
		? `<p class="off">Reads wait until ${at(view.pausedUntil)} (Meta's rate limit).</p>\n`
		: '';
	const pixels = view.pixels.map(
		(p) =>
			`<section data-pixel="${escape(p.pixelId)}"><h3>Pixel ${escape(p.pixelId)}</h3>\n${statusLine(p)}\n${pixelTable(
				p,
				local.filter((c) => c.pixel_id === p.pixelId),
			)}</section>`,
	);
	return `${head}\n<div id="meta-quality">\n${pause}${pixels.join('\n')}\n</div>`;
}
