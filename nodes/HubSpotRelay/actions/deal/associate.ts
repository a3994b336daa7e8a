import { NodeApiError, type IDataObject, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { redactBody, redactText } from '../../../core/errors/redact';
import { CRM_ASSOCIATIONS, hubSpotApiError, hubspotRequest } from '../../../shared/transport/hubspot';
import { MAX_BATCH } from '../batchUpsert';

export interface Pair {
	dealId: string;
	contactId: string;
}

const key = (p: Pair) => `${p.dealId}>${p.contactId}`;

/**
 * Default (unlabelled) deal → contact associations through the v4 batch endpoint. Associating
 * twice is harmless, so a retried order does not need to know whether it was done. Returns the
 * error, if any, per pair.
 */
export async function associateDealsWithContacts(
	this: IExecuteFunctions,
	pairs: Pair[],
): Promise<Map<string, NodeApiError>> {
	const failed = new Map<string, NodeApiError>();
	const unique = [...new Map(pairs.map((p) => [key(p), p])).values()];
	for (let start = 0; start < unique.length; start += MAX_BATCH) {
		const batch = unique.slice(start, start + MAX_BATCH);
		const body = { inputs: batch.map((p) => ({ from: { id: p.dealId }, to: { id: p.contactId } })) };
		const response = await hubspotRequest.call(
			this,
			'POST',
			`${CRM_ASSOCIATIONS}/deals/contacts/batch/associate/default`,
			body,
		);
		if (!response.ok) {
			const error = hubSpotApiError.call(this, response, undefined, 'Associating the deal with its contact: ');
			batch.forEach((p) => failed.set(key(p), error));
			continue;
		}
		// A 207 names the deals it could not associate in its errors' context.
		for (const entry of (response.body.errors ?? []) as IDataObject[]) {
			const ids = Object.values((entry.context ?? {}) as IDataObject).flatMap((v) =>
				Array.isArray(v) ? v.map(String) : [String(v)],
			);
			const error = new NodeApiError(this.getNode(), redactBody(entry) as JsonObject, {
				message: `Associating the deal with its contact: ${redactText(String(entry.message ?? 'HubSpot rejected it'))}`,
				httpCode: String(response.statusCode),
			});
			for (const p of batch) if (ids.includes(p.dealId) || ids.includes(p.contactId)) failed.set(key(p), error);
		}
	}
	return failed;
}

export function errorFor(failed: Map<string, NodeApiError>, pair: Pair): NodeApiError | undefined {
	return failed.get(key(pair));
}
