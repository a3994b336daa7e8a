import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { collectEvents } from '../../../shared/event/collect';
import { sendToRelay } from '../../../shared/event/sendToRelay';
import { outputInOrder, type ItemOutcomes } from '../../../shared/itemOutcomes';

export { sendFields as description } from '../../../shared/event/fields';

/** The same event fields as the Meta node; hashed here, stored and delivered by the service. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const outcomes: ItemOutcomes = new Map();
	const prepared = collectEvents.call(this, items, outcomes);
	await sendToRelay.call(this, prepared, outcomes);
	return outputInOrder.call(this, items.length, (i) => outcomes.get(i));
}
