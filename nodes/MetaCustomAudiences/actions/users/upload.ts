import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';
import {
	audienceBatches,
	MAX_AUDIENCE_ROWS,
	parseSchema,
	type AudienceBatch,
	type InvalidRecord,
} from '../../../core/audiences/rows';
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

function batchesOf(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	audienceId: string,
	schema: AudienceKey[],
	size: number,
) {
	const { records, unreadable } = readRecords.call(this, items, audienceId);
	const empty: InvalidRecord[] = [];
	const batches: AudienceBatch[] = [
		...audienceBatches(
			schema,
			records.map((r) => r.record),
			empty,
			size,
		),
	];
	// audienceBatches counts positions among the readable records: map them back to item indexes.
	for (const batch of batches) batch.indexes = batch.indexes.map((p) => records[p].index);
	const invalid = [...unreadable, ...empty.map((e) => ({ index: records[e.index].index, reason: e.reason }))].sort(
		(a, b) => a.index - b.index,
	);
	return { batches, invalid };
}

function batchSize(options: IDataObject): number {
	return Math.min(Math.max(Math.floor((options.batchSize as number) || MAX_AUDIENCE_ROWS), 1), MAX_AUDIENCE_ROWS);
}

/** The first item names the audience and the schema for the whole upload. */
function readTarget(this: IExecuteFunctions): { id: string; schema: AudienceKey[] } {
	const id = audienceId.call(this, 0);
	try {
		return { id, schema: parseSchema(this.getNodeParameter('schema', 0, []) as string[]) };
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Schema: ${(error as Error).message}`, { itemIndex: 0 });
	}
}

function newSummary(
	mode: UsersMode,
	id: string,
	schema: AudienceKey[],
	items: number,
	counter: SessionCounter | undefined,
	invalid: InvalidRecord[],
): Summary {
	return {
		operation: mode,
		audience_id: id,
		schema,
		session_id: counter?.sessionId ?? null,
		items,
		rows_sent: 0,
		batches: 0,
		requests: 0,
		num_received: 0,
		num_invalid_entries: 0,
		invalid_entry_samples: {},
		invalid_items: invalid.length,
		invalid_item_samples: invalid.slice(0, MAX_SAMPLES).map((r) => ({ item: r.index, reason: r.reason })),
	};
}

/** Meta's answer to one batch, added to the summary. */
function addAnswer(summary: Summary, batch: AudienceBatch, body: IDataObject): void {
	summary.batches += 1;
	summary.rows_sent += batch.payload.data.length;
	summary.num_received += Number(body.num_received ?? 0);
	summary.num_invalid_entries += Number(body.num_invalid_entries ?? 0);
	const samples = body.invalid_entry_samples;
	if (samples && typeof samples === 'object' && Object.keys(summary.invalid_entry_samples).length < MAX_SAMPLES) {
		Object.assign(summary.invalid_entry_samples, samples);
	}
	if (summary.session_id === null && body.session_id !== undefined) summary.session_id = Number(body.session_id);
}

interface Upload {
	mode: UsersMode;
	id: string;
	batches: AudienceBatch[];
	rows: number;
	counter?: SessionCounter;
	summary: Summary;
}

/** Sends the batches in order into the summary; returns the first failure and what it left unsent. */
async function sendBatches(
	this: IExecuteFunctions,
	upload: Upload,
): Promise<{ error: NodeApiError; unsent: IDataObject } | undefined> {
	const { edge, extra } = ENDPOINTS[upload.mode];
	const { batches, summary } = upload;
	for (let b = 0; b < batches.length; b++) {
		const session: ReplaceSession | undefined = upload.counter?.next(b === batches.length - 1);
		const body: IDataObject = {
			...extra,
			payload: batches[b].payload as unknown as IDataObject,
			...(session ? { session: session as unknown as IDataObject } : {}),
		};
		const { ok, response, requests } = await graphCall.call(this, 'POST', `${upload.id}/${edge}`, body);
		summary.requests += requests;
		// Later batches of a session would arrive out of order: stop here and say what was not sent.
		if (!ok)
			return {
				error: graphApiError.call(this, response),
				unsent: { failed_batch_seq: b + 1, rows_not_sent: upload.rows - summary.rows_sent },
			};
		addAnswer(summary, batches[b], response.body);
	}
	return undefined;
}

/**
 * Add, remove or replace: every item of the run hashed into rows, cut into requests of at most
 * 10,000 rows and sent in order. A replace is always one usersreplace session across all items
 * (Meta swaps the members when the last batch arrives); add and remove use a session when there
 * is more than one batch. The output is one summary paired with every input item.
 */
export async function uploadUsers(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	mode: UsersMode,
): Promise<INodeExecutionData[]> {
	if (items.length === 0) return [];
	const pairedItem = items.map((_, item) => ({ item }));
	const fail = (error: NodeApiError | NodeOperationError, json: IDataObject): INodeExecutionData[] => {
		if (!this.continueOnFail()) throw error;
		return [{ json: { ...json, error: error.message }, pairedItem }];
	};
	let target: { id: string; schema: AudienceKey[] };
	try {
		target = readTarget.call(this);
	} catch (error) {
		const failure =
			error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error, { itemIndex: 0 });
		return fail(failure, { operation: mode, items: items.length, rows_sent: 0 });
	}
	const { id, schema } = target;
	const { batches, invalid } = batchesOf.call(
		this,
		items,
		id,
		schema,
		batchSize(this.getNodeParameter('options', 0, {}) as IDataObject),
	);
	const rows = batches.reduce((n, b) => n + b.payload.data.length, 0);
	const counter = mode === 'replace' || batches.length > 1 ? new SessionCounter(undefined, rows) : undefined;
	const summary = newSummary(mode, id, schema, items.length, counter, invalid);
	if (rows === 0) {
		// A replace with no rows would empty the audience: almost always a mapping mistake.
		return fail(
			new NodeOperationError(
				this.getNode(),
				`None of the ${items.length} items has a usable value for ${schema.join(', ')}: nothing was sent`,
				{ itemIndex: 0 },
			),
			summary,
		);
	}
	const failed = await sendBatches.call(this, { mode, id, batches, rows, counter, summary });
	return failed ? fail(failed.error, { ...summary, ...failed.unsent }) : [{ json: summary, pairedItem }];
}
