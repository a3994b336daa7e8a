import { sleep, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { chunk, MAX_EVENTS_PER_REQUEST } from '../../core/capi/batch';
import type { ItemOutcomes } from '../itemOutcomes';
import { relayApiError, relayRequest, type RelayResponse } from '../transport/relay';
import type { PreparedItem } from './collect';

const MAX_ATTEMPTS = 4;

interface Accepted {
	index: number;
	id: string;
	status: string;
	duplicate: boolean;
}

interface Rejected {
	index: number;
	message: string;
	field?: string;
}

/** One POST /v1/events, retried while the service is restarting or overloaded (5xx, 429). */
async function post(this: IExecuteFunctions, part: PreparedItem[]): Promise<RelayResponse> {
	const data = part.map((p) => ({
		...p.event,
		pixel_id: p.pixelId,
		...(p.testEventCode ? { test_event_code: p.testEventCode } : {}),
	}));
	for (let attempt = 1; ; attempt++) {
		const response = await relayRequest.call(this, 'POST', '/v1/events', { data } as unknown as IDataObject);
		const transient = response.statusCode >= 500 || response.statusCode === 429;
		if (!transient || attempt >= MAX_ATTEMPTS) return response;
		await sleep(500 * 2 ** (attempt - 1));
	}
}

/**
 * Hands already hashed events to the relay service, which stores them and delivers them to Meta
 * (retries, batching, dead letters). Raw identifiers never leave n8n. Each item's outcome is
 * written by its index.
 */
export async function sendToRelay(
	this: IExecuteFunctions,
	prepared: PreparedItem[],
	outcomes: ItemOutcomes,
): Promise<void> {
	for (const chunkOfItems of chunk(prepared, MAX_EVENTS_PER_REQUEST)) {
		let part = chunkOfItems;
		// A request the service refuses as a whole names the first bad event (data.N.field): that
		// item fails alone and the others are sent again, so one bad item cannot sink a batch.
		while (part.length) {
			const response = await post.call(this, part);
			const whole = wholeRequestRejection(response, part.length);
			if (whole !== undefined) {
				outcomes.set(part[whole].index, { ok: false, error: relayApiError.call(this, response, part[whole].index) });
				part = part.filter((_, k) => k !== whole);
				continue;
			}
			settle.call(this, part, response, outcomes);
			break;
		}
	}
}

/** The index of the event a 400 without per-event errors blames, if it names one. */
function wholeRequestRejection(response: RelayResponse, size: number): number | undefined {
	if (response.statusCode !== 400 || ((response.body.errors ?? []) as unknown[]).length) return undefined;
	const error = (response.body.error ?? {}) as IDataObject;
	const match = /^data\.(\d+)(?:\.|$)/.exec(String(error.field ?? error.message ?? ''));
	const index = match ? Number(match[1]) : NaN;
	return Number.isInteger(index) && index < size ? index : undefined;
}

/** The service's answer per item: accepted events with their relay id, rejected ones with the service's reason. */
function settle(this: IExecuteFunctions, part: PreparedItem[], response: RelayResponse, outcomes: ItemOutcomes): void {
	const failAll = () =>
		part.forEach((p) => outcomes.set(p.index, { ok: false, error: relayApiError.call(this, response, p.index) }));
	if (response.statusCode !== 202 && response.statusCode !== 400) return failAll();
	const accepted = (response.body.data ?? []) as unknown as Accepted[];
	const rejected = (response.body.errors ?? []) as unknown as Rejected[];
	if (response.statusCode === 400 && rejected.length === 0) return failAll();
	for (const a of accepted) {
		const p = part[a.index];
		outcomes.set(p.index, {
			ok: true,
			json: {
				relay_event_id: a.id,
				status: a.status,
				duplicate: a.duplicate,
				event_name: p.event.event_name,
				event_id: p.event.event_id ?? null,
				event_time: p.event.event_time,
				user_data: p.event.user_data as IDataObject,
			},
		});
	}
	for (const r of rejected) {
		const p = part[r.index];
		const error = relayApiError.call(
			this,
			{ statusCode: 400, body: { error: { code: 'invalid_event', message: r.message, field: r.field } } },
			p.index,
		);
		outcomes.set(p.index, { ok: false, error });
	}
}
