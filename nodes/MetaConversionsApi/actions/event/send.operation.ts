import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { requireCredential } from '../../../shared/credentials';
import { collectEvents } from '../../../shared/event/collect';
import { sendToRelay } from '../../../shared/event/sendToRelay';
import { outputInOrder, type ItemOutcomes } from '../../../shared/itemOutcomes';
import { META_CREDENTIAL } from '../../../shared/transport/metaGraph';
import { RELAY_CREDENTIAL } from '../../../shared/transport/relay';
import { sendToMeta } from './sendToMeta';

export { sendFields as description } from '../../../shared/event/fields';

/** Straight to Meta, answered per item, or through the relay service, which stores and delivers them. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const outcomes: ItemOutcomes = new Map();
	const relay = this.getNodeParameter('delivery', 0, 'direct') === 'relay';
	if (relay) await requireCredential.call(this, RELAY_CREDENTIAL, 'Delivery "Through the Relay Service"');
	else await requireCredential.call(this, META_CREDENTIAL, 'Delivery "Directly to Meta"');
	const prepared = collectEvents.call(this, items, outcomes);
	if (relay) await sendToRelay.call(this, prepared, outcomes);
	else await sendToMeta.call(this, prepared, outcomes);
	return outputInOrder.call(this, items.length, (i) => outcomes.get(i));
}
