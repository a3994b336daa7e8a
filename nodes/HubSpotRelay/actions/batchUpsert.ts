import type { IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { chunk } from '../../core/capi/batch';
import { sendWithBisection, type SendOutcome } from '../../core/capi/bisect';
import { CRM_OBJECTS, hubSpotApiError, hubspotRequest } from '../../shared/transport/hubspot';
import type { Outcome, Outcomes } from './outcomes';
import { keyOf, readUpsertAnswer, type Group } from './upsertAnswer';

/** HubSpot's limit of inputs per batch request. */
export const MAX_BATCH = 100;

export interface UpsertInput {
	/** The input item this record comes from. */
	index: number;
	/** The idProperty's value (an e-mail, a Shopify order id). */
	id: string;
	properties: Record<string, string>;
}

type Sent = SendOutcome<Map<Group, Outcome>, NodeApiError> & { fatal?: boolean };

type Send = (batch: readonly Group[]) => Promise<Sent>;

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
			groups.set(key, {
				key,
				id: input.id.trim(),
				trace: String(input.index),
				indexes: [input.index],
				properties: { ...input.properties },
			});
		}
	}
	return [...groups.values()];
}

/** One batch upsert request; a successful answer is read into every group's outcome. */
async function postUpsert(
	this: IExecuteFunctions,
	objectType: string,
	idProperty: string,
	batch: readonly Group[],
): Promise<Sent> {
	const body = {
		inputs: batch.map((g) => ({ idProperty, id: g.id, properties: g.properties, objectWriteTraceId: g.trace })),
	};
	const response = await hubspotRequest.call(this, 'POST', `${CRM_OBJECTS}/${objectType}/batch/upsert`, body);
	if (response.ok) return { ok: true, result: readUpsertAnswer.call(this, idProperty, batch, response) };
	const failure = response.failure;
	const fatal = failure?.class === 'auth' || (failure?.class === 'throttle' && !failure.retryable);
	return { ok: false, error: hubSpotApiError.call(this, response), invalid: failure?.class === 'invalid', fatal };
}

/** After an auth error or the DAILY limit nothing more is sent: every later request fails with that error. */
function stopAfterFatal(send: Send): Send {
	let fatal: NodeApiError | undefined;
	return async (batch) => {
		if (fatal) return { ok: false, invalid: false, error: fatal };
		const sent = await send(batch);
		if (!sent.ok && sent.fatal) fatal = sent.error;
		return sent;
	};
}

const stopWhenHalvesFailAlike = {
	levels: 2,
	same: (error: NodeApiError, first: NodeApiError) => error.message === first.message,
};

/**
 * Upserts records by a unique property, 100 inputs a request, and settles every input item:
 * a 207's per-record errors fail only their own items; a request rejected as invalid is split in
 * halves until the bad records are alone, unless two levels of halves fail alike (a missing
 * property, a wrong pipeline: every record would fail). Auth errors and the DAILY limit stop the
 * run's remaining batches without sending them.
 */
export async function batchUpsert(
	this: IExecuteFunctions,
	objectType: 'contacts' | 'deals',
	idProperty: string,
	inputs: UpsertInput[],
	outcomes: Outcomes,
): Promise<void> {
	const settle = (g: Group, outcome: Outcome) => g.indexes.forEach((i) => outcomes.set(i, outcome));
	const send = stopAfterFatal(async (batch) => {
		const sent = await postUpsert.call(this, objectType, idProperty, batch);
		// Settled as the answers arrive: written records keep HubSpot's order, which deals are associated in.
		if (sent.ok) sent.result.forEach((outcome, g) => settle(g, outcome));
		return sent;
	});
	for (const batch of chunk(group(idProperty, inputs), MAX_BATCH)) {
		for (const sent of await sendWithBisection(batch, send, { stopWhenHalvesFailAlike })) {
			if (!sent.ok) settle(sent.item, { ok: false, error: sent.error as NodeApiError });
		}
	}
}
