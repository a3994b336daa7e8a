import { CRM_EVENT_SOURCE, leadIdProblem } from '../../../nodes/core/capi/crm';
import { MAX_DELIVERY_ID_LENGTH } from '../../../nodes/core/capi/limits';
import type { EventInputBody } from './eventSchema';
import type { ConversionRule } from '../db/repository';
import { ingestEvents, type IngestContext } from './ingestEvents';
import { RefusedInput } from './refusedInput';

/** Supabase database webhook payload (supabase_functions.http_request, after commit). */
export interface DatabaseChange {
	type: 'INSERT' | 'UPDATE' | 'DELETE';
	table: string;
	schema?: string;
	record: Record<string, unknown> | null;
	old_record: Record<string, unknown> | null;
}

const text = (v: unknown): string | undefined => (v === null || v === undefined || v === '' ? undefined : String(v));

/** A rule fires when the column arrives at its value now and was not at it before. */
export function matches(rule: ConversionRule, change: DatabaseChange): boolean {
	if (change.type === 'DELETE' || !change.record) return false;
	const now = text(change.record[rule.column_name]);
	const before = change.type === 'UPDATE' ? text(change.old_record?.[rule.column_name]) : undefined;
	if (now !== rule.to_value || before === rule.to_value) return false;
	return rule.from_value === null || before === rule.from_value;
}

function toEvent(rule: ConversionRule, record: Record<string, unknown>, table: string): EventInputBody {
	const pick = (column: string | null) => (column ? text(record[column]) : undefined);
	const id = pick(rule.id_column);
	const value = pick(rule.value_column);
	const currency = pick(rule.currency_column) ?? rule.default_currency ?? undefined;
	const updated = text(record.updated_at);
	const leadId = pick(rule.lead_id_column)?.trim();
	return {
		event_name: rule.event_name,
		event_time: updated && !Number.isNaN(Date.parse(updated)) ? Math.floor(Date.parse(updated) / 1000) : undefined,
		// Stable per record and stage: a repeated webhook or a flip back and forth is one event.
		event_id: `${table}:${id ?? 'unknown'}:${rule.event_name}`,
		action_source: 'system_generated',
		email: pick(rule.email_column),
		phone: pick(rule.phone_column),
		first_name: pick(rule.first_name_column),
		last_name: pick(rule.last_name_column),
		external_id: pick(rule.external_id_column),
		...(value !== undefined ? { value: Number(value) } : {}),
		...(currency ? { currency } : {}),
		// A lead from Meta's Lead Ads: a stage of Meta's CRM integration. Other rows stay ordinary events.
		...(leadId
			? {
					user_data: { lead_id: leadId },
					custom_data: { event_source: CRM_EVENT_SOURCE, lead_event_source: rule.lead_event_source },
				}
			: {}),
	};
}

/**
 * A lead id that is not one (a CRM's own id in the column, a number rounded on the way) would
 * make Meta refuse the event: the delivery is refused, naming the column, before anything is stored.
 */
function checkLeadIds(rules: ConversionRule[], record: Record<string, unknown>): void {
	for (const column of new Set(rules.map((r) => r.lead_id_column))) {
		if (!column || !text(record[column])?.trim()) continue;
		const problem = leadIdProblem(record[column]);
		if (problem) throw new RefusedInput(`record.${column}`, problem);
	}
}

export async function handleDatabaseChange(ctx: IngestContext, change: DatabaseChange) {
	const { repo } = ctx;
	const rules = (await repo.rulesFor(change.table)).filter((r) => matches(r, change));
	if (rules.length === 0) return { matched: 0, data: [], errors: [] };
	const record = change.record as Record<string, unknown>;
	// The record's id (in the event id and the delivery key) and updated_at (in the key) are stored keys.
	for (const column of new Set([...rules.map((r) => r.id_column), 'updated_at'])) {
		const value = text(record[column]);
		if (value && value.length > MAX_DELIVERY_ID_LENGTH)
			throw new RefusedInput(`record.${column}`, `at most ${MAX_DELIVERY_ID_LENGTH} characters`);
	}
	checkLeadIds(rules, record);
	const events = rules.map((r) => toEvent(r, record, change.table));
	const id = text(record[rules[0].id_column]) ?? 'unknown';
	const key = `${change.schema ?? 'public'}.${change.table}|${id}|${change.type}|${text(record.updated_at) ?? ''}|${rules.map((r) => r.event_name).join(',')}`;
	const result = await ingestEvents(ctx, 'supabase', events, key);
	return {
		matched: rules.length,
		duplicate_delivery: result.duplicateDelivery,
		data: result.accepted,
		errors: result.errors,
	};
}
