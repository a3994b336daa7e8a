import { hashUserData } from '../../../nodes/core/normalize/userData';
import type { RawServerEvent } from '../../../nodes/core/capi/types';
import { customerToEvent } from '../../../nodes/core/shopify/customer';
import { withExactIds } from '../../../nodes/core/shopify/exactIds';
import { orderToPurchaseEvent } from '../../../nodes/core/shopify/order';
import { classifyOrder } from '../../../nodes/core/shopify/topics';
import type { Customer, Order } from '../../../nodes/core/shopify/types';
import { systemClock, unixSeconds } from '../clock';
import type { Repository } from '../db/repository';
import { ingestEvents, type IngestContext } from './ingestEvents';

export interface ShopifyDelivery {
	topic: string;
	shop: string;
	deliveryId: string;
	payload: unknown;
}

export type ShopifyOutcome =
	| { kind: 'stored'; body: object }
	| { kind: 'ignored'; reason: string }
	| { kind: 'privacy'; body: object };

function customerHashes(customer: { id?: unknown; email?: unknown; phone?: unknown } | undefined): string[] {
	const hashed = hashUserData({ external_id: customer?.id, em: customer?.email, ph: customer?.phone });
	return [...(hashed.external_id ?? []), ...(hashed.em ?? []), ...(hashed.ph ?? [])];
}

async function privacy(repo: Repository, d: ShopifyDelivery): Promise<ShopifyOutcome> {
	const p = withExactIds((d.payload ?? {}) as object) as { customer?: { id?: unknown; email?: unknown; phone?: unknown } };
	if (d.topic === 'shop/redact') return { kind: 'privacy', body: { redacted: await repo.redactShop(d.shop) } };
	const hashes = customerHashes(p.customer);
	if (hashes.length === 0) return { kind: 'privacy', body: d.topic === 'customers/redact' ? { redacted: 0 } : { events: [] } };
	if (d.topic === 'customers/redact') return { kind: 'privacy', body: { redacted: await repo.redactCustomer(d.shop, hashes) } };
	// customers/data_request: what is held, which is hashes and delivery state only.
	const events = await repo.findCustomerEvents(d.shop, hashes);
	return { kind: 'privacy', body: { events: events.map((e) => ({ id: e.id, event_name: e.event_name, event_id: e.event_id, status: e.status, created_at: e.created_at, user_data: e.payload.user_data })) } };
}

/** A verified Shopify delivery: the configured order and customer topics become events. */
export async function handleShopifyDelivery(ctx: IngestContext, d: ShopifyDelivery): Promise<ShopifyOutcome> {
	const { repo, config } = ctx;
	const now = unixSeconds(ctx.clock ?? systemClock);
	if (d.topic === 'customers/data_request' || d.topic === 'customers/redact' || d.topic === 'shop/redact') return privacy(repo, d);
	let event: RawServerEvent;
	if (d.topic === config.SHOPIFY_PURCHASE_TOPIC) {
		const order = withExactIds(d.payload as Order);
		const kind = classifyOrder(order);
		if (kind === 'test' || kind === 'cancelled' || kind === 'refunded') return { kind: 'ignored', reason: `${kind} order` };
		event = orderToPurchaseEvent(order, { shopDomain: d.shop, eventIdTemplate: config.SHOPIFY_EVENT_ID_TEMPLATE, now });
	} else if (d.topic === 'customers/create') {
		event = customerToEvent(withExactIds(d.payload as Customer), config.SHOPIFY_CUSTOMER_EVENT, { now });
	} else {
		return { kind: 'ignored', reason: `topic ${d.topic} is not turned into events` };
	}
	const key = `${d.shop}|${d.topic}|${d.deliveryId}`;
	const result = await ingestEvents(ctx, 'shopify', [event], key, d.shop);
	return { kind: 'stored', body: { duplicate_delivery: result.duplicateDelivery, data: result.accepted, errors: result.errors } };
}
