import type { IDataObject } from 'n8n-workflow';
import type { CustomData, RawUserData } from '../../core/capi/types';
import { hashUserData, normalizeUserData } from '../../core/normalize/userData';
import { customerToUserData } from '../../core/shopify/customer';
import { customerToHubSpotProperties, orderToHubSpotProperties } from '../../core/shopify/hubspot';
import type { ContentIdRule } from '../../core/shopify/contentIds';
import { eventIdFrom, orderCustomData, orderUserData, type OrderValueField } from '../../core/shopify/order';
import { classifyOrder, refundAmount, type ShopifyTopic } from '../../core/shopify/topics';
import type { Customer, Order, PrivacyCustomer, Refund } from '../../core/shopify/types';
import { compact, present } from '../../core/values';
import { withExactIds } from '../../core/shopify/exactIds';

export type View = 'metaUserData' | 'metaCustomData' | 'metaEventId' | 'hubspotProperties';

export interface ViewOptions {
	views: View[];
	/** SHA-256 as Meta expects (default); false gives the normalized plain text, for checking. */
	hashUserData: boolean;
	eventIdTemplate: string;
	valueField: OrderValueField;
	contentIds: ContentIdRule;
}

type Kind = 'order' | 'refund' | 'customer' | 'privacyCustomer' | 'shop';

function kindOf(topic: ShopifyTopic): Kind {
	if (topic.startsWith('orders/')) return 'order';
	if (topic === 'refunds/create') return 'refund';
	if (topic === 'customers/create' || topic === 'customers/update') return 'customer';
	if (topic === 'shop/redact') return 'shop';
	return 'privacyCustomer';
}

function rawUserData(kind: Kind, payload: IDataObject): RawUserData | undefined {
	if (kind === 'order') {
		const order = payload as Order;
		const created = Date.parse(present(order.created_at) ?? '');
		return orderUserData(order, Number.isFinite(created) ? created : undefined);
	}
	if (kind === 'customer') return customerToUserData(payload as Customer);
	// Privacy topics name the customer by id, e-mail and phone: enough to find their events.
	if (kind === 'privacyCustomer' && payload.customer)
		return customerToUserData(payload.customer as PrivacyCustomer as Customer);
	return undefined;
}

function refundCustomData(refund: Refund): CustomData {
	const transactions = Array.isArray(refund.transactions) ? refund.transactions : [];
	const currency = transactions.map((t) => present(t?.currency)).find(Boolean);
	return compact<CustomData>({
		value: refundAmount(refund),
		currency: currency?.toUpperCase(),
		order_id: present(refund.order_id),
	});
}

function customData(kind: Kind, payload: IDataObject, options: ViewOptions): CustomData | undefined {
	if (kind === 'order')
		return orderCustomData(payload as Order, { valueField: options.valueField, contentIds: options.contentIds });
	if (kind === 'refund') return refundCustomData(payload as Refund);
	return undefined;
}

// The ids the package's other paths use, so an event from here and one from the relay dedupe.
function eventId(kind: Kind, topic: ShopifyTopic, payload: IDataObject, options: ViewOptions): string | undefined {
	if (kind === 'order') return eventIdFrom(payload as Order, options.eventIdTemplate);
	const id = present(payload.id);
	if (!id) return undefined;
	if (kind === 'refund') return `refund_${id}`;
	if (topic === 'customers/create') return `customer_${id}`;
	return undefined;
}

function hubSpotProperties(kind: Kind, payload: IDataObject): Record<string, string> | undefined {
	if (kind === 'order') return orderToHubSpotProperties(payload as Order);
	if (kind === 'customer') return customerToHubSpotProperties(payload as Customer);
	return undefined;
}

/**
 * The ready-made views chosen in the node's options, for the topics they make sense for; a view
 * that does not apply (a refund has no buyer, shop/redact no customer) is left out, not null.
 */
export function buildViews(topic: ShopifyTopic, parsed: IDataObject, options: ViewOptions): IDataObject {
	const kind = kindOf(topic);
	const payload = withExactIds(parsed);
	const wanted = new Set(options.views);
	const meta: IDataObject = {};
	if (wanted.has('metaUserData')) {
		const raw = rawUserData(kind, payload);
		if (raw) meta.user_data = (options.hashUserData ? hashUserData(raw) : normalizeUserData(raw)) as IDataObject;
	}
	if (wanted.has('metaCustomData')) {
		const data = customData(kind, payload, options);
		if (data) meta.custom_data = data as unknown as IDataObject;
	}
	if (wanted.has('metaEventId')) {
		const id = eventId(kind, topic, payload, options);
		if (id) meta.event_id = id;
	}
	const out: IDataObject = {};
	if (kind === 'order') out.orderKind = classifyOrder(payload as Order);
	if (Object.keys(meta).length) out.meta = meta;
	if (wanted.has('hubspotProperties')) {
		const properties = hubSpotProperties(kind, payload);
		if (properties) out.hubspot = { properties };
	}
	return out;
}
