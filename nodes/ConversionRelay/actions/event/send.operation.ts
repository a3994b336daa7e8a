import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { collectEvents, outputInOrder } from '../../../shared/event/collect';
import { sendToRelay } from '../../../shared/event/sendToRelay';

export { sendFields as description } from '../../../shared/event/fields';

/** The same event fields as the Meta node; hashed here, stored and delivered by the service. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { prepared, failures } = collectEvents.call(this, items);
	const results = new Map<number, INodeExecutionData>();
	await sendToRelay.call(this, prepared, results, failures);
	return outputInOrder.call(this, items.length, results, failures);
}
