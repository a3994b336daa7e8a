import type { JobView } from '../usecases/jobs/jobView';
import { escape } from './html';

const destinations = (job: JobView): string => {
	const parts: string[] = [];
	const c = job.counters;
	if (job.spec.audience)
		parts.push(
			`audience ${escape(job.spec.audience.id)} (${escape(job.spec.audience.mode)}${job.spec.audience.segment ? `, ${escape(job.spec.audience.segment)}` : ''}): ${c.audience?.sent ?? 0} sent, ${c.audience?.invalid ?? 0} without identifier`,
		);
	if (job.spec.hubspot)
		parts.push(`HubSpot: ${c.hubspot?.sent ?? 0} upserted, ${c.hubspot?.invalid ?? 0} without e-mail`);
	if (job.spec.events)
		parts.push(`Purchases: ${c.events?.stored ?? 0} stored, ${c.events?.duplicate ?? 0} already there`);
	return parts.map((p) => `<div>${p}</div>`).join('');
};

const duration = (seconds: number | null) =>
	seconds === null ? '—' : seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;

/** Running and recent sync jobs: a progress bar each (a native <progress>: no script, no style), counters, errors. */
export function jobsSection(jobs: JobView[]): string {
	const row = (j: JobView) => {
		const p = j.progress;
		const bar =
			p.fraction === null
				? `<progress aria-label="progress"></progress>`
				: `<progress value="${p.fraction.toFixed(4)}" max="1" aria-label="progress">${Math.round(p.fraction * 100)}%</progress>`;
		return `<tr data-job="${escape(j.id)}" data-state="${escape(j.state)}"><td><code>${escape(j.id)}</code><div>${escape(j.source)}</div></td><td>${escape(j.state)}${j.cancel_requested ? ' (cancelling)' : ''}</td><td>${bar}<div>${p.records}${p.total === null ? '' : ` of ${p.total}`}</div></td><td>${p.rate_per_second ?? '—'}/s</td><td>${duration(p.eta_seconds)}</td><td>${destinations(j)}</td><td class="error">${escape(j.error ?? '')}</td><td>${escape(j.created_at)}</td></tr>`;
	};
	return `<h2>Sync jobs</h2>
<table id="jobs"><thead><tr><th>job</th><th>state</th><th>progress</th><th>rate</th><th>time left</th><th>destinations</th><th>error</th><th>created</th></tr></thead><tbody>
${jobs.map(row).join('\n') || '<tr><td colspan="8">no sync jobs yet: POST /v1/jobs, or Conversion Relay → Sync Job → Start in n8n</td></tr>'}
</tbody></table>`;
}
