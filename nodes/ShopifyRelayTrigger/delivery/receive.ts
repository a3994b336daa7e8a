import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { shopifyHeader, verifyShopifyWebhook, type HeaderBag } from '../../core/signatures/shopify';
import { SHOPIFY_CREDENTIAL, shopDomainOf, type ShopifyCredential } from '../../shared/transport/shopifyAdmin';
import { selectedTopics, type TriggerStaticData } from '../subscriptions/state';
import { normalizeTopic } from '../../core/shopify/topics';
import { deliveryKey, seenBefore, seenInProcess } from './dedup';
import { buildViews, type View, type ViewOptions } from './views';

interface Options {
	views?: View[];
	hashUserData?: boolean;
	eventIdTemplate?: string;
	valueField?: ViewOptions['valueField'];
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

	// During a rotation the old secret is accepted too.
	const secrets = [credential.clientSecret, credential.previousClientSecret].filter((s): s is string => Boolean(s));
	if (!verifyShopifyWebhook(req.rawBody ?? Buffer.alloc(0), shopifyHeader(headers, 'hmac-sha256'), secrets)) {
		res.status(401).json({ error: 'invalid Shopify webhook signature' });
		return { noWebhookResponse: true };
	}

	const topic = normalizeTopic(shopifyHeader(headers, 'topic'));
	if (!topic || !selectedTopics(this.getNodeParameter('topics', [])).includes(topic)) {
		return { webhookResponse: { received: true, ignored: shopifyHeader(headers, 'topic') ?? 'no topic' } };
	}

	const shop = shopifyHeader(headers, 'shop-domain') ?? shopDomainOf(credential);
	const webhookId = shopifyHeader(headers, 'webhook-id');
	const eventId = shopifyHeader(headers, 'event-id');
	const key = deliveryKey(shop, topic, eventId, webhookId);
	const scope = `${this.getWorkflow().id ?? ''}|${this.getNode().name}`;
	// Both are marked: the process memory for copies arriving together, static data for later ones.
	const repeated = key ? [seenInProcess(scope, key), seenBefore(this.getWorkflowStaticData('node') as TriggerStaticData, key)].includes(true) : false;
	if (repeated) {
		return { webhookResponse: { received: true, duplicate: true } };
	}

	const options = this.getNodeParameter('options', {}) as Options;
	const payload = this.getBodyData();
	const views = buildViews(topic, payload, {
		views: options.views ?? [],
		hashUserData: options.hashUserData ?? true,
		eventIdTemplate: options.eventIdTemplate || '{id}',
		valueField: options.valueField ?? 'total_price',
	});
	const json: IDataObject = {
		topic,
		shop,
		webhookId: webhookId ?? null,
		eventId: eventId ?? null,
		apiVersion: shopifyHeader(headers, 'api-version') ?? null,
		triggeredAt: shopifyHeader(headers, 'triggered-at') ?? null,
		payload,
		...views,
	};
	return { workflowData: [[{ json, pairedItem: { item: 0 } }]] };
}
