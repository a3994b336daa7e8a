import type { TriggerStaticData } from '../subscriptions/state';

/** Enough for Shopify's retries (8 over 4 hours) at any realistic order rate, small to store. */
export const REMEMBERED_DELIVERIES = 1000;

/**
 * The event when Shopify names it (X-Shopify-Event-Id: the same for every delivery of one event),
 * else the delivery (X-Shopify-Webhook-Id: the same across retries). Undefined: nothing to key on.
 */
export function deliveryKey(shop: string, topic: string, eventId: string | undefined, webhookId: string | undefined): string | undefined {
	const id = eventId ? `event:${eventId}` : webhookId ? `webhook:${webhookId}` : undefined;
	return id ? `${shop}|${topic}|${id}` : undefined;
}

/**
 * True when the key was seen among the last REMEMBERED_DELIVERIES; otherwise remembers it. The
 * list is reassigned, not pushed to, so n8n sees the change and saves the static data.
 */
export function seenBefore(staticData: TriggerStaticData, key: string, limit = REMEMBERED_DELIVERIES): boolean {
	const recent = Array.isArray(staticData.deliveries) ? staticData.deliveries : [];
	if (recent.includes(key)) return true;
	staticData.deliveries = [...recent.slice(-(limit - 1)), key];
	return false;
}
