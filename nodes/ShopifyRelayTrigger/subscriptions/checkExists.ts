import type { IHookFunctions } from 'n8n-workflow';
import { webhookAddress } from './address';
import { subscriptionsAt } from './list';
import { assertUsableSettings } from './settings';
import { selectedTopics, subscribableTopics, type TriggerStaticData } from './state';

/** True when every selected topic already delivers to this node; their ids are adopted. */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	assertUsableSettings.call(this);
	const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
	const topics = subscribableTopics(selectedTopics(this.getNodeParameter('topics')));
	// Privacy topics only: they are configured in the app, there is nothing to subscribe.
	if (topics.length === 0) {
		staticData.subscriptionIds = [];
		return true;
	}
	const found = await subscriptionsAt.call(this, topics, webhookAddress.call(this));
	const covered = new Set(found.map((s) => s.topic));
	if (!topics.every((t) => covered.has(t))) return false;
	staticData.subscriptionIds = found.map((s) => s.id);
	return true;
}
