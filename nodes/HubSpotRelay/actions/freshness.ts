import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { chunk } from '../../core/capi/batch';
import { CRM_OBJECTS, hubSpotApiError, hubspotRequest } from '../../shared/transport/hubspot';
import { MAX_BATCH, type UpsertInput } from './batchUpsert';
import type { Outcomes } from './outcomes';

/** The properties that describe where the customer's history stands: written together or not at all. */
export const COUNTERS = [
	'shopify_order_count',
	'shopify_total_spent',
	'shopify_last_order_id',
	'shopify_last_order_date',
	'shopify_first_order_date',
];

const number = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : Number(value));

// HubSpot answers date properties as YYYY-MM-DD or as midnight-UTC milliseconds.
function day(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value);
	const t = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
	return Number.isFinite(t) ? t : undefined;
}

/** Whether the contact already holds a later state of the customer than this delivery carries. */
export function isOlder(incoming: Record<string, string>, current: IDataObject): boolean {
	const countHeld = number(current.shopify_order_count);
	const countIncoming = number(incoming.shopify_order_count);
	if (
		countHeld !== undefined &&
		countIncoming !== undefined &&
		Number.isFinite(countHeld) &&
		Number.isFinite(countIncoming)
	)
		return countHeld > countIncoming;
	const lastHeld = day(current.shopify_last_order_date);
	const lastIncoming = day(incoming.shopify_last_order_date);
	return lastHeld !== undefined && lastIncoming !== undefined && lastHeld > lastIncoming;
}

/** The latest state of each contact among the run's items (by e-mail, any case); on a tie the later item. */
function newestPerContact(inputs: UpsertInput[]): Map<string, UpsertInput> {
	const newest = new Map<string, UpsertInput>();
	for (const input of inputs) {
		const key = input.id.toLowerCase();
		const best = newest.get(key);
		if (!best || !isOlder(input.properties, best.properties)) newest.set(key, input);
	}
	return newest;
}

type Current = { ok: true; byEmail: Map<string, IDataObject> } | { ok: false; error: NodeApiError };

/** The contacts' counters as HubSpot holds them, by lowercased e-mail: one batch read. */
async function readCounters(this: IExecuteFunctions, batch: UpsertInput[]): Promise<Current> {
	const ids = [...new Map(batch.map((input) => [input.id.toLowerCase(), input.id])).values()];
	const body = {
		idProperty: 'email',
		properties: ['email', 'shopify_order_count', 'shopify_last_order_date'],
		inputs: ids.map((id) => ({ id })),
	};
	const response = await hubspotRequest.call(this, 'POST', `${CRM_OBJECTS}/contacts/batch/read`, body);
	if (!response.ok)
		return {
			ok: false,
			error: hubSpotApiError.call(this, response, undefined, "Reading the contact's current totals: "),
		};
	// Contacts not found come back as 207 errors: nothing to compare with, everything is written.
	const byEmail = new Map<string, IDataObject>();
	for (const result of (response.body.results ?? []) as IDataObject[]) {
		const properties = (result.properties ?? {}) as IDataObject;
		if (typeof properties.email === 'string') byEmail.set(properties.email.toLowerCase(), properties);
	}
	return { ok: true, byEmail };
}

/**
 * Shopify delivers webhooks in any order: a late delivery of an older order must not set the
 * contact's totals back. Reads the contacts' current counters (one batch read per 100) and drops
 * the counters from inputs that are behind; their other properties are still written. Returns
 * the indexes whose counters were kept back. An item whose read fails fails with HubSpot's message.
 */
export async function dropOlderCounters(
	this: IExecuteFunctions,
	inputs: UpsertInput[],
	outcomes: Outcomes,
): Promise<Set<number>> {
	const kept = new Set<number>();
	const keepBack = (input: UpsertInput) => {
		for (const name of COUNTERS) delete input.properties[name];
		kept.add(input.index);
	};
	// Within the run first: items for the same contact are merged later-wins, so an older one must not come last.
	const newest = newestPerContact(inputs);
	for (const input of inputs) {
		const best = newest.get(input.id.toLowerCase())!;
		if (best !== input && isOlder(input.properties, best.properties)) keepBack(input);
	}
	const withCounters = inputs.filter((input) => COUNTERS.some((name) => name in input.properties));
	for (const batch of chunk(withCounters, MAX_BATCH)) {
		const current = await readCounters.call(this, batch);
		if (!current.ok) {
			batch.forEach((input) => outcomes.set(input.index, { ok: false, error: current.error }));
			continue;
		}
		for (const input of batch) {
			const found = current.byEmail.get(input.id.toLowerCase());
			if (found && isOlder(input.properties, found)) keepBack(input);
		}
	}
	return kept;
}
