import type { IHookFunctions } from 'n8n-workflow';
import { adminGraphql, throwOnUserErrors, type UserError } from '../../shared/transport/shopifyAdmin';
import { webhookAddress } from './address';
import { subscriptionsAt } from './list';
import { DELETE_SUBSCRIPTION } from './queries';
import { selectedTopics, subscribableTopics, type TriggerStaticData } from './state';

interface DeleteData {
	webhookSubscriptionDelete?: { deletedWebhookSubscriptionId?: string | null; userErrors?: UserError[] };
}

// Shopify drops subscriptions after repeated failed deliveries: already gone is done.
const ALREADY_GONE = /does ?n[o']t exist|not found/i;

/** Removes the subscriptions this node made; when their ids were lost, those at its URL. */
export async function deleteSubscriptions(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
	let ids = staticData.subscriptionIds ?? [];
	if (ids.length === 0) {
		const topics = subscribableTopics(selectedTopics(this.getNodeParameter('topics')));
		ids = topics.length ? (await subscriptionsAt.call(this, topics, webhookAddress.call(this))).map((s) => s.id) : [];
	}
	const remaining = [...ids];
	for (const id of ids) {
		const data = (await adminGraphql.call(this, DELETE_SUBSCRIPTION, { id })) as DeleteData;
		const errors = (data?.webhookSubscriptionDelete?.userErrors ?? []).filter(
			(e) => !ALREADY_GONE.test(e.message ?? ''),
		);
		throwOnUserErrors.call(this, errors, `Shopify refused to delete ${id}`);
		remaining.splice(remaining.indexOf(id), 1);
		staticData.subscriptionIds = [...remaining];
	}
	delete staticData.subscriptionIds;
	return true;
}
