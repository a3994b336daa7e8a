import { NodeApiError, type IDataObject, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { redactBody, redactText } from '../../core/errors/redact';
import { CRM_OBJECTS, hubSpotApiError, hubspotRequest } from '../../shared/transport/hubspot';
import type { Outcomes } from './outcomes';

/** HubSpot's limit of inputs per batch request. */
export const MAX_BATCH = 100;

export interface UpsertInput {
	/** The input item this record comes from. */
	index: number;
	/** The idProperty's value (an e-mail, a Shopify order id). */
	id: string;
	properties: Record<string, string>;
}

interface Group {
	key: string;
	id: string;
	/** objectWriteTraceId: HubSpot echoes it on the record's result or error. */
	trace: string;
	indexes: number[];
	properties: Record<string, string>;
}

type Sent = { ok: true } | { ok: false; invalid: boolean; fatal: boolean; error: NodeApiError };

// HubSpot compares e-mails case-insensitively; other unique values as they are.
const keyOf = (idProperty: string, id: string) => (idProperty === 'email' ? id.trim().toLowerCase() : id.trim());

/** Items naming the same record become one input (HubSpot refuses duplicate ids in a batch); later items win. */
function group(idProperty: string, inputs: UpsertInput[]): Group[] {
	const groups = new Map<string, Group>();
	for (const input of inputs) {
		const key = keyOf(idProperty, input.id);
		const found = groups.get(key);
		if (found) {
			found.indexes.push(input.index);
			found.id = input.id.trim();
			Object.assign(found.properties, input.properties);
		} else {
			groups.set(key, { key, id: input.id.trim(), trace: String(input.index), indexes: [input.index], properties: { ...input.properties } });
		}
	}
	return [...groups.values()];
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

/**
 * Upserts records by a unique property, 100 inputs a request, and settles every input item:
 * a 207's per-record errors fail only their own items (matched by objectWriteTraceId, else by
 * id); a request rejected as invalid is split in halves until the bad records are alone, unless
 * the halves keep failing alike (a missing property, a wrong pipeline: every record would fail).
 * Auth errors and the DAILY limit stop the run's remaining batches without sending them.
 */
export async function batchUpsert(
	this: IExecuteFunctions,
	objectType: 'contacts' | 'deals',
	idProperty: string,
	inputs: UpsertInput[],
	outcomes: Outcomes,
): Promise<void> {
	const groups = group(idProperty, inputs);
	const settle = (g: Group, outcome: Parameters<Outcomes['set']>[1]) => g.indexes.forEach((i) => outcomes.set(i, outcome));
	let fatal: NodeApiError | undefined;

	const send = async (batch: Group[]): Promise<Sent> => {
		const body = { inputs: batch.map((g) => ({ idProperty, id: g.id, properties: g.properties, objectWriteTraceId: g.trace })) };
		const response = await hubspotRequest.call(this, 'POST', `${CRM_OBJECTS}/${objectType}/batch/upsert`, body);
		if (!response.ok) {
			const failure = response.failure;
			const error = hubSpotApiError.call(this, response);
			return { ok: false, error, invalid: failure?.class === 'invalid', fatal: failure?.class === 'auth' || (failure?.class === 'throttle' && !failure.retryable) };
		}
		const byTrace = new Map(batch.map((g) => [g.trace, g]));
		const byKey = new Map(batch.map((g) => [g.key, g]));
		for (const result of (response.body.results ?? []) as IDataObject[]) {
			const properties = (result.properties ?? {}) as IDataObject;
			const g = byTrace.get(String(result.objectWriteTraceId)) ?? byKey.get(keyOf(idProperty, String(properties[idProperty] ?? '')));
			if (g) settle(g, { ok: true, record: result });
		}
		for (const entry of (response.body.errors ?? []) as IDataObject[]) {
			const context = (entry.context ?? {}) as IDataObject;
			const matched = [
				...strings(context.objectWriteTraceId).map((t) => byTrace.get(t)),
				...[...strings(context.ids), ...strings(context.id), ...strings(entry.id)].map((id) => byKey.get(keyOf(idProperty, id))),
			].filter((g): g is Group => g !== undefined);
			const error = new NodeApiError(this.getNode(), redactBody(entry) as JsonObject, {
				message: typeof entry.message === 'string' && entry.message ? redactText(entry.message) : 'HubSpot rejected this record',
				description: typeof entry.category === 'string' ? entry.category : undefined,
				httpCode: String(response.statusCode),
			});
			for (const g of new Set(matched)) settle(g, { ok: false, error });
		}
		for (const g of batch) {
			if (!outcomes.has(g.indexes[0])) settle(g, { ok: false, error: new NodeApiError(this.getNode(), response.body as JsonObject, { message: 'HubSpot answered without a result or an error for this record', httpCode: String(response.statusCode) }) });
		}
		return { ok: true };
	};

	const failAll = (batch: Group[], error: NodeApiError) => batch.forEach((g) => settle(g, { ok: false, error }));

	for (let start = 0; start < groups.length; start += MAX_BATCH) {
		let level: Array<{ batch: Group[]; error?: NodeApiError }> = [{ batch: groups.slice(start, start + MAX_BATCH) }];
		let rootMessage: string | undefined;
		// Levels (after the first split) whose every half failed with the root's message.
		let alike = 0;
		for (let depth = 0; level.length; depth++) {
			if (depth >= 3 && alike >= 2) {
				level.forEach(({ batch, error }) => failAll(batch, error!));
				break;
			}
			const next: typeof level = [];
			let allAlike = true;
			for (const { batch } of level) {
				if (fatal) {
					failAll(batch, fatal);
					continue;
				}
				const sent = await send(batch);
				if (sent.ok) {
					allAlike = false;
					continue;
				}
				if (sent.fatal) fatal = sent.error;
				rootMessage ??= sent.error.message;
				if (sent.error.message !== rootMessage) allAlike = false;
				if (!sent.invalid || batch.length === 1) {
					failAll(batch, sent.error);
					continue;
				}
				const middle = Math.ceil(batch.length / 2);
				next.push({ batch: batch.slice(0, middle), error: sent.error }, { batch: batch.slice(middle), error: sent.error });
			}
			if (depth >= 1) alike = allAlike && alike === depth - 1 ? alike + 1 : alike;
			level = next;
		}
	}
}
