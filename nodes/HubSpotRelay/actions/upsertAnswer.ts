import { NodeApiError, type IDataObject, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { redactBody, redactText } from '../../core/errors/redact';
import type { HubSpotResponse } from '../../shared/transport/hubspot';
import type { Outcome } from './outcomes';

/** Items naming the same record, sent as one input. */
export interface Group {
	key: string;
	id: string;
	/** objectWriteTraceId: HubSpot echoes it on the record's result or error. */
	trace: string;
	indexes: number[];
	properties: Record<string, string>;
}

// HubSpot compares e-mails case-insensitively; other unique values as they are.
export const keyOf = (idProperty: string, id: string) => (idProperty === 'email' ? id.trim().toLowerCase() : id.trim());

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

/** A 207's error entry as the error of the records it names (by objectWriteTraceId, else by id). */
function recordError(this: IExecuteFunctions, entry: IDataObject, statusCode: number): NodeApiError {
	return new NodeApiError(this.getNode(), redactBody(entry) as JsonObject, {
		message:
			typeof entry.message === 'string' && entry.message ? redactText(entry.message) : 'HubSpot rejected this record',
		description: typeof entry.category === 'string' ? entry.category : undefined,
		httpCode: String(statusCode),
	});
}

/**
 * A successful batch answer (200, or 207 with per-record errors) as every group's outcome:
 * results and errors are matched by objectWriteTraceId, else by id; an error wins over a result;
 * a group HubSpot says nothing about fails.
 */
export function readUpsertAnswer(
	this: IExecuteFunctions,
	idProperty: string,
	batch: readonly Group[],
	response: HubSpotResponse,
): Map<Group, Outcome> {
	const outcomes = new Map<Group, Outcome>();
	const byTrace = new Map(batch.map((g) => [g.trace, g]));
	const byKey = new Map(batch.map((g) => [g.key, g]));
	const byId = (id: string) => byKey.get(keyOf(idProperty, id));
	for (const result of (response.body.results ?? []) as IDataObject[]) {
		const properties = (result.properties ?? {}) as IDataObject;
		const g = byTrace.get(String(result.objectWriteTraceId)) ?? byId(String(properties[idProperty] ?? ''));
		if (g) outcomes.set(g, { ok: true, record: result });
	}
	for (const entry of (response.body.errors ?? []) as IDataObject[]) {
		const context = (entry.context ?? {}) as IDataObject;
		const matched = [
			...strings(context.objectWriteTraceId).map((t) => byTrace.get(t)),
			...[...strings(context.ids), ...strings(context.id), ...strings(entry.id)].map(byId),
		].filter((g): g is Group => g !== undefined);
		const error = recordError.call(this, entry, response.statusCode);
		for (const g of new Set(matched)) outcomes.set(g, { ok: false, error });
	}
	for (const g of batch) {
		if (!outcomes.has(g))
			outcomes.set(g, {
				ok: false,
				error: new NodeApiError(this.getNode(), response.body as JsonObject, {
					message: 'HubSpot answered without a result or an error for this record',
					httpCode: String(response.statusCode),
				}),
			});
	}
	return outcomes;
}
