import type { IHookFunctions } from 'n8n-workflow';
import { adminGraphql, throwOnUserErrors, type UserError } from '../../shared/transport/shopifyAdmin';
import { webhookAddress } from './address';
import { subscriptionsAt, type Subscription } from './list';
import { CREATE_SUBSCRIPTION } from './queries';
import { selectedTopics, subscribableTopics, type TriggerStaticData } from './state';

interface CreateData {
	webhookSubscriptionCreate?: { webhookSubscription?: Subscription | null; userErrors?: UserError[] };
}

/**
 * Subscribes this node's URL to each selected topic that lacks a subscription (a partial set
 * from an earlier attempt is reused, not duplicated). Ids are stored as they are made, so a
 * failure half-way leaves nothing that deactivation cannot remove.
 */
export async function create(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
	const topics = subscribableTopics(selectedTopics(this.getNodeParameter('topics')));
	const uri = webhookAddress.call(this);
	const existing = topics.length ? await subscriptionsAt.call(this, topics, uri) : [];
	const ids = existing.map((s) => s.id);
	staticData.subscriptionIds = [...ids];
	const covered = new Set(existing.map((s) => s.topic));
	for (const topic of topics.filter((t) => !covered.has(t))) {
		const data = (await adminGraphql.call(this, CREATE_SUBSCRIPTION, {
			topic,
			webhookSubscription: { uri, format: 'JSON' },
		})) as CreateData;
		const result = data?.webhookSubscriptionCreate;
		throwOnUserErrors.call(this, result?.userErrors, `Shopify refused the ${topic} subscription`);
		if (result?.webhookSubscription?.id) ids.push(result.webhookSubscription.id);
		staticData.subscriptionIds = [...ids];
	}
	return true;
}
