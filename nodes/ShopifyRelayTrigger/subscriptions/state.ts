import type { IDataObject } from 'n8n-workflow';
import { graphqlTopic, normalizeTopic, type ShopifyTopic } from '../../core/shopify/topics';

/** What the trigger keeps in the workflow's static data between activations and deliveries. */
export interface TriggerStaticData extends IDataObject {
	/** Admin GraphQL ids (gid://shopify/WebhookSubscription/…) this node created or adopted. */
	subscriptionIds?: string[];
	/** Recent delivery keys, newest last, for dropping Shopify's redeliveries. */
	deliveries?: string[];
}

/** The selected topics, known ones only, in a stable order. */
export function selectedTopics(value: unknown): ShopifyTopic[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
	const topics = new Set<ShopifyTopic>();
	for (const item of list) {
		const topic = normalizeTopic(item);
		if (topic) topics.add(topic);
	}
	return [...topics];
}

/**
 * GraphQL enum values of the topics that can be subscribed through the API. The privacy topics
 * (customers/data_request, customers/redact, shop/redact) have none: they are set once in the
 * app's configuration and still arrive at this node when it is the configured address.
 */
export function subscribableTopics(topics: readonly ShopifyTopic[]): string[] {
	return topics.map((t) => graphqlTopic(t)).filter((t): t is string => t !== undefined);
}
