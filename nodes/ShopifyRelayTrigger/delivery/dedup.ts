import type { TriggerStaticData } from '../subscriptions/state';

/** Enough for Shopify's retries (8 over 4 hours) at any realistic order rate, small to store. */
export const REMEMBERED_DELIVERIES = 1000;

/**
 * The event when Shopify names it (X-Shopify-Event-Id: the same for every delivery of one event),
 * else the delivery (X-Shopify-Webhook-Id: the same across retries). Undefined: nothing to key on.
 */
export function deliveryKey(
	shop: string,
	topic: string,
	eventId: string | undefined,
	webhookId: string | undefined,
): string | undefined {
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

/**
 * n8n hands each webhook request its own copy of the workflow's static data and saves it after
 * the run, so copies of one delivery arriving together (Shopify does send them so) all find it
 * unseen there. This process-wide memory, checked and marked synchronously, catches those; the
 * static data still catches repeats after a restart. Bounded: the oldest keys go first.
 */
const inProcess = new Map<string, true>();

export function seenInProcess(scope: string, key: string, limit = REMEMBERED_DELIVERIES * 10): boolean {
	const full = `${scope}\u0000${key}`;
	if (inProcess.has(full)) return true;
	inProcess.set(full, true);
	if (inProcess.size > limit) inProcess.delete(inProcess.keys().next().value as string);
	return false;
}
