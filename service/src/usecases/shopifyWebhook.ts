import { MAX_IDENTIFIER_LENGTH } from '../../../nodes/core/capi/limits';
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
	| { kind: 'privacy'; body: object }
	/** The body is not what its topic says: answered 400 naming the field, nothing done. */
	| { kind: 'refused'; field: string; message: string };

type Refused = Extract<ShopifyOutcome, { kind: 'refused' }>;
type Body = Record<string, unknown>;

const refuse = (field: string, message: string): Refused => ({
	kind: 'refused',
	field,
	message: `${field}: ${message}`,
});
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
// Shopify's ids are 64-bit: a safe integer, or (past 2^53, read as text) at most 20 digits.
const isShopifyId = (v: unknown) =>
	(typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^\d{1,20}$/.test(v));

type PrivacyTopic = 'customers/data_request' | 'customers/redact' | 'shop/redact';

/**
 * Shopify's privacy bodies (mandatory compliance webhooks): each names its shop (shop_id,
 * shop_domain); the customer topics name the customer and the orders. Shopify signs the body but
 * not X-Shopify-Topic nor X-Shopify-Shop-Domain, so a delivery acts only when its body is that
 * topic's body, for the shop the header names, and never carries another topic's parts (a
 * customer's redaction resent as shop/redact would otherwise erase the whole shop).
 */
const PRIVACY_BODIES: Record<PrivacyTopic, { orders?: string; foreign: readonly string[] }> = {
	'customers/data_request': { orders: 'orders_requested', foreign: ['orders_to_redact'] },
	'customers/redact': { orders: 'orders_to_redact', foreign: ['orders_requested', 'data_request'] },
	'shop/redact': { foreign: ['customer', 'orders_requested', 'orders_to_redact', 'data_request'] },
};

const isPrivacyTopic = (topic: string): topic is PrivacyTopic => Object.hasOwn(PRIVACY_BODIES, topic);

function privacyBodyRefusal(topic: PrivacyTopic, shop: string, body: Body): Refused | undefined {
	const shape = PRIVACY_BODIES[topic];
	if (!isShopifyId(body.shop_id))
		return refuse('shop_id', `required in a ${topic} payload (the shop's id): this body is not one`);
	if (typeof body.shop_domain !== 'string') return refuse('shop_domain', `required in a ${topic} payload`);
	if (body.shop_domain !== shop) return refuse('shop_domain', 'the body names another shop than X-Shopify-Shop-Domain');
	if (shape.orders && !isObject(body.customer)) return refuse('customer', `required in a ${topic} payload`);
	if (shape.orders) {
		// Capped as the events' identifiers are, before they are normalized and hashed.
		const customer = body.customer as Body;
		for (const key of ['id', 'email', 'phone']) {
			const value = customer[key];
			if (value === undefined || value === null) continue;
			if (typeof value !== 'string' && typeof value !== 'number')
				return refuse(`customer.${key}`, 'must be text or a number');
			if (String(value).length > MAX_IDENTIFIER_LENGTH)
				return refuse(`customer.${key}`, `at most ${MAX_IDENTIFIER_LENGTH.toLocaleString('en-US')} characters`);
		}
	}
	if (shape.orders && !Array.isArray(body[shape.orders])) return refuse(shape.orders, `required in a ${topic} payload`);
	const foreign = shape.foreign.find((key) => body[key] !== undefined);
	return foreign ? refuse(foreign, `not part of a ${topic} payload: this body was sent for another topic`) : undefined;
}

/** An order topic's body is an order, customers/create's a customer; the GraphQL id says which. */
function eventBodyRefusal(topic: string, resource: 'Order' | 'Customer', body: Body): Refused | undefined {
	if (body.id === undefined || body.id === null) return refuse('id', `required in a ${topic} payload`);
	// After withExactIds: a number here is what JSON.parse made of it (1e309 is Infinity).
	if (!isShopifyId(body.id))
		return refuse(
			'id',
			"must be Shopify's id, a whole number of at most 20 digits, and there is no admin_graphql_api_id to read it from",
		);
	const gid = body.admin_graphql_api_id;
	if (gid !== undefined && gid !== null && !(typeof gid === 'string' && gid.startsWith(`gid://shopify/${resource}/`))) {
		return refuse(
			'admin_graphql_api_id',
			`a ${topic} payload is an ${resource} (gid://shopify/${resource}/…): this body is not one`,
		);
	}
	if (resource === 'Order' && !Array.isArray(body.line_items))
		return refuse('line_items', `required in a ${topic} payload`);
	if (resource === 'Customer' && body.line_items !== undefined)
		return refuse('line_items', `an order's field: a ${topic} payload is a customer`);
	return undefined;
}

function customerHashes(customer: { id?: unknown; email?: unknown; phone?: unknown } | undefined): string[] {
	const hashed = hashUserData({ external_id: customer?.id, em: customer?.email, ph: customer?.phone });
	return [...(hashed.external_id ?? []), ...(hashed.em ?? []), ...(hashed.ph ?? [])];
}

/** A privacy request, on the shop and the customer its body names. */
async function privacy(repo: Repository, topic: PrivacyTopic, shop: string, payload: Body): Promise<ShopifyOutcome> {
	const refused = privacyBodyRefusal(topic, shop, payload);
	if (refused) return refused;
	if (topic === 'shop/redact') return { kind: 'privacy', body: { redacted: await repo.redactShop(shop) } };
	const hashes = customerHashes(payload.customer as { id?: unknown; email?: unknown; phone?: unknown });
	if (hashes.length === 0)
		return { kind: 'privacy', body: topic === 'customers/redact' ? { redacted: 0 } : { events: [] } };
	if (topic === 'customers/redact')
		return { kind: 'privacy', body: { redacted: await repo.redactCustomer(shop, hashes) } };
	// customers/data_request: what is held, which is hashes and delivery state only.
	const events = await repo.findCustomerEvents(shop, hashes);
	return {
		kind: 'privacy',
		body: {
			events: events.map((e) => ({
				id: e.id,
				event_name: e.event_name,
				event_id: e.event_id,
				status: e.status,
				created_at: e.created_at,
				user_data: e.payload.user_data,
			})),
		},
	};
}

/** A verified Shopify delivery: the configured order and customer topics become events. */
export async function handleShopifyDelivery(ctx: IngestContext, d: ShopifyDelivery): Promise<ShopifyOutcome> {
	const { repo, config } = ctx;
	const now = unixSeconds(ctx.clock ?? systemClock);
	const payload = (isObject(d.payload) ? d.payload : {}) as Body;
	if (isPrivacyTopic(d.topic)) return privacy(repo, d.topic, d.shop, payload);
	const resource =
		d.topic === config.SHOPIFY_PURCHASE_TOPIC ? 'Order' : d.topic === 'customers/create' ? 'Customer' : undefined;
	if (!resource) return { kind: 'ignored', reason: `topic ${d.topic} is not turned into events` };
	const body = withExactIds(payload);
	const refused = eventBodyRefusal(d.topic, resource, body);
	if (refused) return refused;
	let event: RawServerEvent;
	if (resource === 'Order') {
		const order = body as Order;
		const kind = classifyOrder(order);
		if (kind === 'test' || kind === 'cancelled' || kind === 'refunded')
			return { kind: 'ignored', reason: `${kind} order` };
		event = orderToPurchaseEvent(order, {
			shopDomain: d.shop,
			eventIdTemplate: config.SHOPIFY_EVENT_ID_TEMPLATE,
			contentIds: config.SHOPIFY_CONTENT_ID,
			now,
		});
	} else {
		event = customerToEvent(body as Customer, config.SHOPIFY_CUSTOMER_EVENT, { now });
	}
	const key = `${d.shop}|${d.topic}|${d.deliveryId}`;
	const result = await ingestEvents(ctx, 'shopify', [event], key, d.shop);
	return {
		kind: 'stored',
		body: { duplicate_delivery: result.duplicateDelivery, data: result.accepted, errors: result.errors },
	};
}
