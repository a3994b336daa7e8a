import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import type { LoadRequest } from './load';
import { ROOT } from './paths';

export const SHOPIFY_SECRET = 'bench-shopify-secret';

/** Signed orders/paid deliveries, each a different order and delivery id, made before the clock starts. */
export function signedOrders(count: number): LoadRequest[] {
	const order = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/shopify/order-with-fbclid.json'), 'utf8')) as Record<
		string,
		unknown
	>;
	const now = Date.now();
	const out: LoadRequest[] = [];
	for (let i = 0; i < count; i++) {
		const body = JSON.stringify({
			...order,
			id: 9_000_000_000 + i,
			order_number: 10_000 + i,
			email: `buyer${i}@example.com`,
			created_at: new Date(now - 3_600_000).toISOString(),
			processed_at: new Date(now - 3_500_000).toISOString(),
		});
		out.push({
			path: '/v1/webhooks/shopify',
			body,
			headers: {
				'content-type': 'application/json',
				'x-shopify-hmac-sha256': signShopifyWebhook(body, SHOPIFY_SECRET),
				'x-shopify-topic': 'orders/paid',
				'x-shopify-shop-domain': 'bench.myshopify.com',
				'x-shopify-webhook-id': `bench-${now}-${i}`,
				'x-shopify-api-version': '2026-10',
			},
		});
	}
	return out;
}
