import { chatwoot } from './chatwoot';
import { hubspot } from './hubspot';
import type { WebhookSource } from './types';

/** The senders Verify Signature knows, by the Source option's value. */
export const WEBHOOK_SOURCES: readonly WebhookSource[] = [chatwoot, hubspot];

export function sourceByValue(value: string): WebhookSource | undefined {
	return WEBHOOK_SOURCES.find((s) => s.value === value);
}
