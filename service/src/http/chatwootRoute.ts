import type { Request, Response } from 'express';
import { MAX_DELIVERY_ID_LENGTH } from '../../../nodes/core/capi/limits';
import { verifyChatwootWebhook } from '../../../nodes/core/signatures/chatwoot';
import { systemClock, unixSeconds, type Clock } from '../clock';
import type { Config } from '../config';
import type { Repository } from '../db/repository';
import { handleChatwootDelivery } from '../usecases/chatwootWebhook';
import type { Dispatcher } from '../usecases/dispatcher';
import type { Metrics } from '../metrics';
import { HttpError } from './errors';
import { parseJsonBody, WEBHOOK_MAX_DEPTH } from './jsonLimits';
import { refusalsAs400 } from './refusals';
import { secretsOf } from './webhookHeaders';

/**
 * POST /v1/webhooks/chatwoot, after chatwootHeaders: a signed delivery's signature is checked on
 * its body here; a shared-secret one (older Chatwoot) was checked in full from its headers.
 */
export function chatwootWebhookRoute({
	repo,
	config,
	metrics,
	dispatcher,
	clock = systemClock,
}: {
	repo: Repository;
	config: Config;
	metrics?: Metrics;
	dispatcher?: Dispatcher;
	clock?: Clock;
}) {
	return async (req: Request, res: Response): Promise<void> => {
		const secret = secretsOf(config.CHATWOOT_WEBHOOK_SECRET);
		const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
		const signature = req.header('x-chatwoot-signature');
		if (
			signature &&
			!verifyChatwootWebhook({
				rawBody: raw,
				signature,
				timestamp: req.header('x-chatwoot-timestamp'),
				secret,
				now: unixSeconds(clock),
			})
		) {
			throw new HttpError(401, 'unauthorized', 'X-Chatwoot-Signature or X-Chatwoot-Timestamp rejected');
		}
		const payload = parseJsonBody(raw, WEBHOOK_MAX_DEPTH, { object: true });
		if (!payload || typeof payload !== 'object' || typeof (payload as { event?: unknown }).event !== 'string') {
			throw new HttpError(400, 'invalid_payload', 'event: required', 'event');
		}
		// The delivery id is the receipt's key.
		const delivery = req.header('x-chatwoot-delivery') ?? null;
		if (delivery && delivery.length > MAX_DELIVERY_ID_LENGTH)
			throw new HttpError(
				400,
				'invalid_header',
				`X-Chatwoot-Delivery: at most ${MAX_DELIVERY_ID_LENGTH} characters`,
				'X-Chatwoot-Delivery',
			);
		const result = await refusalsAs400(
			handleChatwootDelivery({ repo, config, metrics, clock }, payload as never, delivery),
		);
		if (result.data.length) dispatcher?.nudge();
		res.status(200).json(result);
	};
}
