import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { collectEvents } from '../../../shared/event/collect';
import { sendToRelay } from '../../../shared/event/sendToRelay';
import { outputInOrder, type ItemOutcomes } from '../../../shared/itemOutcomes';
import { sendToMeta } from './sendToMeta';

export { sendFields as description } from '../../../shared/event/fields';

/** Straight to Meta, answered per item, or through the relay service, which stores and delivers them. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const outcomes: ItemOutcomes = new Map();
	const prepared = collectEvents.call(this, items, outcomes);
	if (this.getNodeParameter('delivery', 0, 'direct') === 'relay') await sendToRelay.call(this, prepared, outcomes);
	else await sendToMeta.call(this, prepared, outcomes);
	return outputInOrder.call(this, items.length, (i) => outcomes.get(i));
}
