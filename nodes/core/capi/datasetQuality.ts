/**
 * Meta's Dataset Quality API (formerly Integration Quality API):
 * GET /{version}/dataset_quality?dataset_id=…&fields=web{…}[&agent_name=…] answers, per event
 * name of a dataset's web events, the event match quality (composite_score 0–10 and each match
 * key's coverage), event coverage (pixel events covered by the Conversions API), dedup-key
 * feedback, data freshness and additional conversions reported. Plain functions over the answer:
 * the node and the service read it the same way.
 */
import { isRecord } from '../errors/types';

/**
 * What is asked for: every metric of the documented shape, without Meta's description texts
 * (the same for every dataset). Meta's field table names the dedup field dedup_key_feedback;
 * its examples, and the answers others report, use dedupe_key_feedback.
 */
export const DATASET_QUALITY_FIELDS =
	'web{event_name,' +
	'event_match_quality{composite_score,match_key_feedback{identifier,coverage{percentage}},' +
	'diagnostics{name,description,solution,percentage,affected_event_count,total_event_count}},' +
	'event_coverage{percentage,goal_percentage},' +
	'dedupe_key_feedback{dedupe_key,browser_events_with_dedupe_key{percentage},server_events_with_dedupe_key{percentage},' +
	'overall_browser_coverage_from_dedupe_key{percentage}},' +
	'data_freshness{upload_frequency},acr{percentage}}';

/** Bounds on what one answer may put in memory or in an item: far above a real dataset. */
export const DATASET_QUALITY_LIMITS = {
	events: 200,
	keysPerEvent: 40,
	diagnosticsPerEvent: 20,
	nameChars: 100,
	textChars: 1_000,
} as const;

export interface DedupeKeyFeedback {
	/** Share of the pixel's (browser) events carrying this key, percent. */
	browser: number | null;
	/** Share of the Conversions API (server) events carrying it, percent. */
	server: number | null;
	/** Share of browser events deduplicated with server events by this key, percent. */
	overall_browser_coverage: number | null;
}

export interface DatasetQualityDiagnostic {
	name: string;
	description: string | null;
	solution: string | null;
	percentage: number | null;
	affected_event_count: number | null;
	total_event_count: number | null;
}

/** One event name's metrics, flattened. A metric Meta did not answer is null (or empty). */
export interface DatasetQualityRow {
	event_name: string;
	/** Event match quality, 0–10. */
	composite_score: number | null;
	/** Meta's identifier name (email, phone, ip_address, …) → percent of events carrying it. */
	match_keys: Record<string, number | null>;
	event_coverage: number | null;
	event_coverage_goal: number | null;
	dedupe_keys: Record<string, DedupeKeyFeedback>;
	/** real_time, hourly, daily, … */
	data_freshness: string | null;
	/** Additional conversions reported thanks to the Conversions API, percent. */
	acr: number | null;
	diagnostics: DatasetQualityDiagnostic[];
}

export interface DatasetQualityEvent {
	row: DatasetQualityRow;
	/** The answer's entry for this event name as Meta sent it. */
	raw: Record<string, unknown>;
}

const number = (value: unknown): number | null => {
	const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
	return Number.isFinite(n) ? n : null;
};

const percentage = (value: unknown): number | null => (isRecord(value) ? number(value.percentage) : number(value));

const text = (value: unknown, max: number): string | null =>
	typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : null;

const list = (value: unknown, max: number): unknown[] => (Array.isArray(value) ? value.slice(0, max) : []);

/** The objects of a list (up to max entries looked at); anything else in it is skipped. */
const records = (value: unknown, max: number): Array<Record<string, unknown>> => list(value, max).filter(isRecord);

function matchKeys(feedback: unknown): Record<string, number | null> {
	const keys = new Map<string, number | null>();
	for (const entry of records(feedback, DATASET_QUALITY_LIMITS.keysPerEvent)) {
		const identifier = text(entry.identifier, DATASET_QUALITY_LIMITS.nameChars);
		if (identifier) keys.set(identifier, percentage(entry.coverage));
	}
	return Object.fromEntries(keys);
}

function dedupeKeys(feedback: unknown): Record<string, DedupeKeyFeedback> {
	const keys = new Map<string, DedupeKeyFeedback>();
	for (const entry of records(feedback, DATASET_QUALITY_LIMITS.keysPerEvent)) {
		const key = text(entry.dedupe_key, DATASET_QUALITY_LIMITS.nameChars);
		if (!key) continue;
		keys.set(key, {
			browser: percentage(entry.browser_events_with_dedupe_key),
			server: percentage(entry.server_events_with_dedupe_key),
			overall_browser_coverage: percentage(entry.overall_browser_coverage_from_dedupe_key),
		});
	}
	return Object.fromEntries(keys);
}

function diagnostics(value: unknown): DatasetQualityDiagnostic[] {
	const out: DatasetQualityDiagnostic[] = [];
	for (const entry of records(value, DATASET_QUALITY_LIMITS.diagnosticsPerEvent)) {
		const name = text(entry.name, DATASET_QUALITY_LIMITS.textChars);
		if (!name) continue;
		out.push({
			name,
			description: text(entry.description, DATASET_QUALITY_LIMITS.textChars),
			solution: text(entry.solution, DATASET_QUALITY_LIMITS.textChars),
			percentage: number(entry.percentage),
			affected_event_count: number(entry.affected_event_count),
			total_event_count: number(entry.total_event_count),
		});
	}
	return out;
}

/** One entry of `web`, or null when it names no event (nothing to attach its metrics to). */
export function datasetQualityRow(entry: unknown): DatasetQualityRow | null {
	if (!isRecord(entry)) return null;
	const eventName = text(entry.event_name, DATASET_QUALITY_LIMITS.nameChars);
	if (!eventName) return null;
	const emq = isRecord(entry.event_match_quality) ? entry.event_match_quality : {};
	const coverage = isRecord(entry.event_coverage) ? entry.event_coverage : {};
	const freshness = isRecord(entry.data_freshness) ? entry.data_freshness.upload_frequency : entry.data_freshness;
	return {
		event_name: eventName,
		composite_score: number(emq.composite_score),
		match_keys: matchKeys(emq.match_key_feedback),
		event_coverage: percentage(coverage.percentage),
		event_coverage_goal: percentage(coverage.goal_percentage),
		dedupe_keys: dedupeKeys(entry.dedupe_key_feedback ?? entry.dedup_key_feedback),
		data_freshness: text(freshness, DATASET_QUALITY_LIMITS.nameChars),
		acr: percentage(entry.acr),
		diagnostics: diagnostics(emq.diagnostics),
	};
}

/**
 * Every event name of an answer, in Meta's order, with its entry as sent. Entries that name no
 * event are left out; past DATASET_QUALITY_LIMITS.events the rest is cut.
 */
export function datasetQualityEvents(body: unknown): DatasetQualityEvent[] {
	const out: DatasetQualityEvent[] = [];
	for (const entry of list(isRecord(body) ? body.web : undefined, DATASET_QUALITY_LIMITS.events)) {
		const row = datasetQualityRow(entry);
		if (row) out.push({ row, raw: entry as Record<string, unknown> });
	}
	return out;
}
