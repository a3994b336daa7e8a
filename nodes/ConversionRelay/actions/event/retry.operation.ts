import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { relayApiError, relayRequest } from '../../../shared/transport/relay';
import { eventIdField } from './eventId';
import { perItem } from '../../../shared/itemOutcomes';

export const description: INodeProperties[] = [eventIdField];

/** A dead letter back to the queue (the service answers 409 for an event that is not dead). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const id = String(this.getNodeParameter('relayEventId', i)).trim();
		const response = await relayRequest.call(this, 'POST', `/v1/events/${encodeURIComponent(id)}/retry`, {});
		if (response.statusCode !== 202) throw relayApiError.call(this, response, i);
		return response.body;
	});
}
