import type { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { MAX_DELIVERY_ID_LENGTH } from '../../../nodes/core/capi/limits';
import { shopifyHeader, verifyShopifyWebhook } from '../../../nodes/core/signatures/shopify';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Repository } from '../db/repository';
import type { Dispatcher } from '../usecases/dispatcher';
import type { Metrics } from '../metrics';
import { handleShopifyDelivery } from '../usecases/shopifyWebhook';
import { HttpError } from './errors';
import { parseJsonBody, WEBHOOK_MAX_DEPTH } from './jsonLimits';

interface Deps {
	repo: Repository;
	config: Config;
	log: Logger;
	metrics?: Metrics;
	dispatcher?: Dispatcher;
	clock?: Clock;
	/** Sync jobs waiting on a bulk operation: bulk_operations/finish wakes them. */
	jobs?: { bulkFinished?: EventEmitter };
}

// A domain name: at most 253 characters (DNS), e.g. linen.myshopify.com.
const MAX_SHOP_DOMAIN_LENGTH = 253;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9.-]*$/i;

/**
 * POST /v1/webhooks/shopify, after shopifyHeaders: HMAC of the raw body first (401, nothing stored), then one commit,
 * then 200. Delivery to Meta happens afterwards, so Shopify's 5-second limit is never at risk.
 */
export function shopifyWebhookRoute({ repo, config, log, metrics, dispatcher, clock, jobs }: Deps) {
	return async (req: Request, res: Response): Promise<void> => {
		const headers = req.headers as Record<string, string | string[] | undefined>;
		const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
		if (!verifyShopifyWebhook(raw, shopifyHeader(headers, 'hmac-sha256'), config.SHOPIFY_WEBHOOK_SECRETS)) {
			throw new HttpError(401, 'unauthorized', 'X-Shopify-Hmac-Sha256 does not match the body');
		}
		const topic = shopifyHeader(headers, 'topic');
		const shop = shopifyHeader(headers, 'shop-domain');
		const eventId = shopifyHeader(headers, 'event-id');
		const deliveryId = eventId ?? shopifyHeader(headers, 'webhook-id');
		if (!topic) throw new HttpError(400, 'missing_header', 'X-Shopify-Topic is required', 'X-Shopify-Topic');
		if (!shop) throw new HttpError(400, 'missing_header', 'X-Shopify-Shop-Domain is required', 'X-Shopify-Shop-Domain');
		if (!deliveryId)
			throw new HttpError(400, 'missing_header', 'X-Shopify-Webhook-Id is required', 'X-Shopify-Webhook-Id');
		// The shop and the delivery id are stored keys (the receipt, the events' shop).
		if (shop.length > MAX_SHOP_DOMAIN_LENGTH || !SHOP_DOMAIN.test(shop))
			throw new HttpError(
				400,
				'invalid_header',
				`X-Shopify-Shop-Domain: must be a domain name (letters, digits, '.', '-'), at most ${MAX_SHOP_DOMAIN_LENGTH} characters`,
				'X-Shopify-Shop-Domain',
			);
		if (deliveryId.length > MAX_DELIVERY_ID_LENGTH) {
			const header = eventId ? 'X-Shopify-Event-Id' : 'X-Shopify-Webhook-Id';
			throw new HttpError(400, 'invalid_header', `${header}: at most ${MAX_DELIVERY_ID_LENGTH} characters`, header);
		}
		const payload = parseJsonBody(raw, WEBHOOK_MAX_DEPTH, { object: true });
		if (topic === 'bulk_operations/finish') {
			// Only a wake-up: the job's runner reads the operation's state from Shopify itself.
			const operation = (payload as { admin_graphql_api_id?: unknown }).admin_graphql_api_id;
			if (typeof operation === 'string' && operation.length <= MAX_DELIVERY_ID_LENGTH)
				jobs?.bulkFinished?.emit(operation);
			res.status(200).json({ noted: 'bulk operation finished' });
			return;
		}
		const outcome = await handleShopifyDelivery({ repo, config, metrics, clock }, { topic, shop, deliveryId, payload });
		// The body is not what the topic header says (only the body is signed): nothing was done.
		if (outcome.kind === 'refused') throw new HttpError(400, 'invalid_payload', outcome.message, outcome.field);
		if (outcome.kind === 'ignored') {
			log.info({ topic, shop, reason: outcome.reason }, 'shopify delivery ignored');
			res.status(200).json({ ignored: outcome.reason });
			return;
		}
		if (outcome.kind === 'stored') {
			dispatcher?.nudge();
			const errors = (outcome.body as { errors?: Array<{ field?: string }> }).errors ?? [];
			// Shopify cannot fix an order that makes no valid event: acknowledged, and said in the log.
			if (errors.length)
				log.warn({ topic, shop, fields: errors.map((e) => e.field) }, 'shopify delivery made no valid event');
		}
		res.status(200).json(outcome.body);
	};
}
