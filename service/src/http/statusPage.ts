import type { Config } from '../config';
import type { Repository } from '../db/repository';
import type { QualityView } from '../usecases/datasetQuality';
import type { DispatcherState } from '../usecases/dispatcher';
import type { JobView } from '../usecases/jobs/jobView';
import { estimateMatchQuality, MATCH_WEIGHTS } from '../usecases/matchQuality';
import { escape } from './html';
import { jobsSection } from './statusJobs';
import { metaQualitySection } from './statusQuality';

const STATUSES = ['queued', 'sending', 'sent', 'retry', 'dead'];

type Rows<K extends 'countsByHour' | 'recentFailures' | 'identifierCoverage'> = Awaited<ReturnType<Repository[K]>>;

function configurationSection(config: Config, dispatcher: DispatcherState | undefined): string {
	const configured = (label: string, on: boolean, note: string) =>
		`<li>${escape(label)}: <strong class="${on ? 'on' : 'off'}">${on ? 'configured' : 'not configured'}</strong>${on ? '' : ` — ${escape(note)}`}</li>`;
	return `<h2>Configuration</h2>
<ul>
${configured('Meta access token', Boolean(config.META_ACCESS_TOKEN), 'events are stored and held until META_ACCESS_TOKEN is set; nothing is lost')}
${configured('Default pixel', Boolean(config.META_PIXEL_ID), 'every event must name its pixel_id')}
${configured('Shopify webhooks', config.SHOPIFY_WEBHOOK_SECRETS.length > 0, 'set SHOPIFY_WEBHOOK_SECRETS')}
${configured('Supabase webhooks', Boolean(config.SUPABASE_WEBHOOK_SECRET), 'set SUPABASE_WEBHOOK_SECRET')}
${configured('Chatwoot webhooks', Boolean(config.CHATWOOT_WEBHOOK_SECRET), 'set CHATWOOT_WEBHOOK_SECRET')}
${configured('Shopify shop (sync jobs)', Boolean(config.SHOPIFY_SHOP), 'set SHOPIFY_SHOP and SHOPIFY_ADMIN_TOKEN to sync whole shops')}
${configured('HubSpot (sync jobs)', Boolean(config.HUBSPOT_ACCESS_TOKEN), 'set HUBSPOT_ACCESS_TOKEN to sync contacts')}
<li>Dispatcher: <strong class="${dispatcher?.running ? 'on' : 'off'}">${dispatcher?.running ? 'running' : 'stopped'}</strong>${dispatcher?.authError ? ` — Meta refused the token: ${escape(dispatcher.authError)}` : ''}</li>
</ul>`;
}

function countsSection(counts: Rows<'countsByHour'>): string {
	const hours = [...new Set(counts.map((c) => c.hour))];
	const cell = (hour: string, status: string) => counts.find((c) => c.hour === hour && c.status === status)?.n ?? 0;
	return `<h2>Events in the last 24 hours</h2>
<table id="counts"><thead><tr><th>hour (UTC)</th>${STATUSES.map((s) => `<th>${s}</th>`).join('')}</tr></thead><tbody>
${hours.map((h) => `<tr><td>${escape(h)}</td>${STATUSES.map((s) => `<td>${cell(h, s)}</td>`).join('')}</tr>`).join('\n') || `<tr><td colspan="${STATUSES.length + 1}">no events yet</td></tr>`}
</tbody></table>`;
}

function failuresSection(failures: Rows<'recentFailures'>): string {
	return `<h2>Recent failures</h2>
<table id="failures"><thead><tr><th>event</th><th>status</th><th>attempts</th><th>reason</th><th>when</th></tr></thead><tbody>
${failures.map((f) => `<tr><td><code>${escape(f.id)}</code> ${escape(f.event_name)}</td><td>${escape(f.status)}</td><td>${f.attempts}</td><td>${escape(f.last_error)}</td><td>${escape(f.updated_at)}</td></tr>`).join('\n') || '<tr><td colspan="5">none</td></tr>'}
</tbody></table>`;
}

function qualitySection(coverage: Rows<'identifierCoverage'>): string {
	const keys = Object.keys(MATCH_WEIGHTS);
	return `<h2>Estimated match quality (last 7 days)</h2>
<p>Share of events carrying each identifier, and a local 0–10 estimate (not Meta's own score).</p>
<div class="wide"><table id="quality"><thead><tr><th>event name</th><th>events</th><th>estimate</th>${keys.map((k) => `<th>${k}</th>`).join('')}</tr></thead><tbody>
${coverage.map((c) => `<tr><td>${escape(c.event_name)}</td><td>${c.total}</td><td>${estimateMatchQuality(c.total, c.counts).toFixed(1)}</td>${keys.map((k) => `<td>${Math.round(((c.counts[k] ?? 0) / c.total) * 100)}%</td>`).join('')}</tr>`).join('\n') || `<tr><td colspan="${keys.length + 3}">no events yet</td></tr>`}
</tbody></table></div>`;
}

/** The page's only style, inline: the Content-Security-Policy allows exactly this text by its hash. */
export const STATUS_PAGE_STYLE = `
body{font:15px/1.4 system-ui,sans-serif;margin:2rem;color:#1d1d1f;max-width:72rem}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccd;padding:.3rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}.on{color:#137333}.off{color:#b3261e}caption{text-align:left;font-weight:600}.wide{overflow-x:auto}.text{text-align:left}
`;

/** GET /: plain server-rendered HTML, readable without JavaScript. Shows keys and counts only. */
export async function renderStatusPage(
	repo: Repository,
	config: Config,
	dispatcher: DispatcherState | undefined,
	recentJobs: () => Promise<JobView[]> = async () => [],
	quality?: QualityView,
): Promise<string> {
	const pixels = quality?.state === 'on' ? quality.pixels.map((p) => p.pixelId) : [];
	const [counts, failures, coverage, jobs, pixelCoverage] = await Promise.all([
		repo.countsByHour(24),
		repo.recentFailures(20),
		repo.identifierCoverage(Object.keys(MATCH_WEIGHTS)),
		recentJobs(),
		repo.pixelIdentifierCoverage(pixels, Object.keys(MATCH_WEIGHTS)),
	]);
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Conversion Relay — status</title>
<style>${STATUS_PAGE_STYLE}</style></head><body>
<h1>Conversion Relay</h1>
${configurationSection(config, dispatcher)}
${jobsSection(jobs)}
${countsSection(counts)}
${failuresSection(failures)}
${qualitySection(coverage)}
${metaQualitySection(quality, pixelCoverage)}
</body></html>`;
}
