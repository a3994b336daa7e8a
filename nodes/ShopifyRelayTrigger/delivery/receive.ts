import { NodeOperationError, type IDataObject, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { DEFAULT_CONTENT_ID_RULE, parseContentIdSetting, type ContentIdRule } from '../../core/shopify/contentIds';
import { shopifyHeader, verifyShopifyWebhook, type HeaderBag } from '../../core/signatures/shopify';
import { SHOPIFY_CREDENTIAL, shopDomainOf, type ShopifyCredential } from '../../shared/transport/shopifyAdmin';
import { selectedTopics, type TriggerStaticData } from '../subscriptions/state';
import { normalizeTopic, type ShopifyTopic } from '../../core/shopify/topics';
import { deliveryKey, seenBefore, seenInProcess } from './dedup';
import { buildViews, type View, type ViewOptions } from './views';

interface Options {
	views?: View[];
	hashUserData?: boolean;
	eventIdTemplate?: string;
	valueField?: ViewOptions['valueField'];
	contentId?: string;
}

interface Delivery {
	topic: ShopifyTopic;
	shop: string;
	webhookId?: string;
	eventId?: string;
}

// During a rotation the old secret is accepted too.
function signedByShopify(rawBody: Buffer | undefined, headers: HeaderBag, credential: ShopifyCredential): boolean {
	const secrets = [credential.clientSecret, credential.previousClientSecret].filter((s): s is string => Boolean(s));
	return verifyShopifyWebhook(rawBody ?? Buffer.alloc(0), shopifyHeader(headers, 'hmac-sha256'), secrets);
}

/** Whether this delivery was seen before. Both memories are marked: the process's for copies arriving together, static data for later ones. */
function isRepeat(this: IWebhookFunctions, delivery: Delivery): boolean {
	const key = deliveryKey(delivery.shop, delivery.topic, delivery.eventId, delivery.webhookId);
	if (!key) return false;
	const scope = `${this.getWorkflow().id ?? ''}|${this.getNode().name}`;
	return [seenInProcess(scope, key), seenBefore(this.getWorkflowStaticData('node') as TriggerStaticData, key)].includes(
		true,
	);
}

// Activation refuses an unusable setting (subscriptions/settings.ts); this only guards a run that skipped it.
function contentIdRule(this: IWebhookFunctions, setting: string | undefined): ContentIdRule {
	try {
		return parseContentIdSetting(setting || undefined, 'Content ID');
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message);
	}
}

/** The delivery as the trigger outputs it: its headers, the payload and the views chosen in the options. */
function deliveryJson(this: IWebhookFunctions, delivery: Delivery, headers: HeaderBag): IDataObject {
	const options = this.getNodeParameter('options', {}) as Options;
	const payload = this.getBodyData();
	const chosen = options.views ?? [];
	const views = buildViews(delivery.topic, payload, {
		views: chosen,
		hashUserData: options.hashUserData ?? true,
		eventIdTemplate: options.eventIdTemplate || '{id}',
		valueField: options.valueField ?? 'total_price',
		contentIds: chosen.includes('metaCustomData')
			? contentIdRule.call(this, options.contentId)
			: DEFAULT_CONTENT_ID_RULE,
	});
	return {
		topic: delivery.topic,
		shop: delivery.shop,
		webhookId: delivery.webhookId ?? null,
		eventId: delivery.eventId ?? null,
		apiVersion: shopifyHeader(headers, 'api-version') ?? null,
		triggeredAt: shopifyHeader(headers, 'triggered-at') ?? null,
		payload,
		...views,
	};
}

/**
 * One delivery: the HMAC is checked on the raw bytes before anything else (401 and no run when it
 * fails); topics not selected and redeliveries are answered 200 without a run, so Shopify stops
 * retrying them. n8n answers as soon as the run starts: Shopify gives up after 5 s.
 */
export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const res = this.getResponseObject();
	if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
	const credential = (await this.getCredentials(SHOPIFY_CREDENTIAL)) as unknown as ShopifyCredential;
	const headers = this.getHeaderData() as HeaderBag;
	if (!signedByShopify(req.rawBody, headers, credential)) {
		res.status(401).json({ error: 'invalid Shopify webhook signature' });
		return { noWebhookResponse: true };
	}
	const topic = normalizeTopic(shopifyHeader(headers, 'topic'));
	if (!topic || !selectedTopics(this.getNodeParameter('topics', [])).includes(topic)) {
		return { webhookResponse: { received: true, ignored: shopifyHeader(headers, 'topic') ?? 'no topic' } };
	}
	const shop = shopifyHeader(headers, 'shop-domain') ?? shopDomainOf(credential);
	const delivery: Delivery = {
		topic,
		shop,
		webhookId: shopifyHeader(headers, 'webhook-id'),
		eventId: shopifyHeader(headers, 'event-id'),
	};
	if (isRepeat.call(this, delivery)) return { webhookResponse: { received: true, duplicate: true } };
	return { workflowData: [[{ json: deliveryJson.call(this, delivery, headers), pairedItem: { item: 0 } }]] };
}
