import { graphql } from '../../shared/graphql';

/**
 * Admin GraphQL documents (API 2025-10 and later: a subscription's address is `uri`, which
 * replaced the deprecated callbackUrl). Listing filters by topic on Shopify's side and by
 * address here, the way every version supports.
 */
export const LIST_SUBSCRIPTIONS = graphql`
	query ListWebhookSubscriptions($topics: [WebhookSubscriptionTopic!], $after: String) {
		webhookSubscriptions(first: 100, topics: $topics, after: $after) {
			nodes { id topic uri }
			pageInfo { hasNextPage endCursor }
		}
	}
`;

export const CREATE_SUBSCRIPTION = graphql`
	mutation CreateWebhookSubscription($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
		webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
			webhookSubscription { id topic uri }
			userErrors { field message }
		}
	}
`;

export const DELETE_SUBSCRIPTION = graphql`
	mutation DeleteWebhookSubscription($id: ID!) {
		webhookSubscriptionDelete(id: $id) {
			deletedWebhookSubscriptionId
			userErrors { field message }
		}
	}
`;
