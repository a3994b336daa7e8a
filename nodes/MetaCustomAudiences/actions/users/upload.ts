import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';
import { audienceBatches, MAX_AUDIENCE_ROWS, parseSchema, type AudienceBatch, type InvalidRecord } from '../../../core/audiences/rows';
import { SessionCounter } from '../../../core/audiences/session';
import type { AudienceKey, ReplaceSession } from '../../../core/audiences/types';
import { graphApiError, graphCall } from '../../../shared/transport/graphCall';
import { audienceId } from '../ids';
import { readRecords } from './records';

export type UsersMode = 'add' | 'remove' | 'replace';

// The shared transport sends DELETE parameters in the URL; 10,000 hashed rows do not fit there.
// Graph's method override carries the removal in a POST body instead.
const ENDPOINTS: Record<UsersMode, { edge: string; extra: IDataObject }> = {
	add: { edge: 'users', extra: {} },
	remove: { edge: 'users', extra: { method: 'DELETE' } },
	replace: { edge: 'usersreplace', extra: {} },
};

/** Enough invalid rows to find the pattern, without echoing a whole customer list back. */
const MAX_SAMPLES = 100;

interface Summary extends IDataObject {
	operation: UsersMode;
	audience_id: string;
	schema: AudienceKey[];
	session_id: number | null;
	items: number;
	rows_sent: number;
	batches: number;
	requests: number;
	num_received: number;
	num_invalid_entries: number;
	invalid_entry_samples: IDataObject;
	invalid_items: number;
	invalid_item_samples: Array<{ item: number; reason: string }>;
}

function batchesOf(this: IExecuteFunctions, items: INodeExecutionData[], audienceId: string, schema: AudienceKey[], size: number) {
	const { records, unreadable } = readRecords.call(this, items, audienceId);
	const empty: InvalidRecord[] = [];
	const batches: AudienceBatch[] = [...audienceBatches(schema, records.map((r) => r.record), empty, size)];
	// audienceBatches counts positions among the readable records: map them back to item indexes.
	for (const batch of batches) batch.indexes = batch.indexes.map((p) => records[p].index);
	const invalid = [...unreadable, ...empty.map((e) => ({ index: records[e.index].index, reason: e.reason }))].sort((a, b) => a.index - b.index);
	return { batches, invalid };
}

/**
 * Add, remove or replace: every item of the run hashed into rows, cut into requests of at most
 * 10,000 rows and sent in order. A replace is always one usersreplace session across all items
 * (Meta swaps the members when the last batch arrives); add and remove use a session when there
 * is more than one batch. The output is one summary paired with every input item.
 */
export async function uploadUsers(this: IExecuteFunctions, items: INodeExecutionData[], mode: UsersMode): Promise<INodeExecutionData[]> {
	if (items.length === 0) return [];
	const pairedItem = items.map((_, item) => ({ item }));
	let id: string;
	let schema: AudienceKey[];
	try {
		// The first item names the audience and the schema for the whole upload.
		id = audienceId.call(this, 0);
		try {
			schema = parseSchema(this.getNodeParameter('schema', 0, []) as string[]);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Schema: ${(error as Error).message}`, { itemIndex: 0 });
		}
	} catch (error) {
		const failure = error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex: 0 });
		if (!this.continueOnFail()) throw failure;
		return [{ json: { operation: mode, items: items.length, rows_sent: 0, error: failure.message }, pairedItem }];
	}
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const size = Math.min(Math.max(Math.floor((options.batchSize as number) || MAX_AUDIENCE_ROWS), 1), MAX_AUDIENCE_ROWS);
	const { batches, invalid } = batchesOf.call(this, items, id, schema, size);
	const rows = batches.reduce((n, b) => n + b.payload.data.length, 0);
	const useSession = mode === 'replace' || batches.length > 1;
	const counter = useSession ? new SessionCounter(undefined, rows) : undefined;

	const summary: Summary = {
		operation: mode,
		audience_id: id,
		schema,
		session_id: counter?.sessionId ?? null,
		items: items.length,
		rows_sent: 0,
		batches: 0,
		requests: 0,
		num_received: 0,
		num_invalid_entries: 0,
		invalid_entry_samples: {},
		invalid_items: invalid.length,
		invalid_item_samples: invalid.slice(0, MAX_SAMPLES).map((r) => ({ item: r.index, reason: r.reason })),
	};
	const fail = (error: NodeApiError | NodeOperationError, extra: IDataObject = {}): INodeExecutionData[] => {
		if (!this.continueOnFail()) throw error;
		return [{ json: { ...summary, ...extra, error: error.message }, pairedItem }];
	};

	if (rows === 0) {
		// A replace with no rows would empty the audience: almost always a mapping mistake.
		return fail(new NodeOperationError(this.getNode(), `None of the ${items.length} items has a usable value for ${schema.join(', ')}: nothing was sent`, { itemIndex: 0 }));
	}

	const { edge, extra } = ENDPOINTS[mode];
	for (let b = 0; b < batches.length; b++) {
		const session: ReplaceSession | undefined = counter?.next(b === batches.length - 1);
		const body: IDataObject = { ...extra, payload: batches[b].payload as unknown as IDataObject, ...(session ? { session: session as unknown as IDataObject } : {}) };
		const { ok, response, requests } = await graphCall.call(this, 'POST', `${id}/${edge}`, body);
		summary.requests += requests;
		if (!ok) {
			// Later batches of a session would arrive out of order: stop here and say what was not sent.
			return fail(graphApiError.call(this, response), { failed_batch_seq: b + 1, rows_not_sent: rows - summary.rows_sent });
		}
		summary.batches += 1;
		summary.rows_sent += batches[b].payload.data.length;
		summary.num_received += Number(response.body.num_received ?? 0);
		summary.num_invalid_entries += Number(response.body.num_invalid_entries ?? 0);
		const samples = response.body.invalid_entry_samples;
		if (samples && typeof samples === 'object' && Object.keys(summary.invalid_entry_samples).length < MAX_SAMPLES) {
			Object.assign(summary.invalid_entry_samples, samples);
		}
		if (summary.session_id === null && response.body.session_id !== undefined) summary.session_id = Number(response.body.session_id);
	}
	return [{ json: summary, pairedItem }];
}
