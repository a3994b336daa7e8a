import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import orderFixture from '../fixtures/shopify/order-with-fbclid.json';
import { startMetaDouble } from '../support/metaDouble';
import { eventually, startRelay } from '../support/relayServer';

const SHOP = 'linen.myshopify.com';
const SECRET = 'content-id-secret';

/** The fixture's linen shirt (billed to Germany, no shipping address) and a gift wrap without a SKU. */
const order = () => ({
	...orderFixture,
	created_at: new Date(Date.now() - 3_600_000).toISOString(),
	processed_at: new Date(Date.now() - 3_500_000).toISOString(),
	line_items: [
		...orderFixture.line_items,
		{
			id: 13688971493692,
			variant_id: 4501,
			product_id: 45,
			sku: null,
			title: 'Gift wrap',
			quantity: 1,
			price: '10.00',
		},
	],
});

describe('SHOPIFY_CONTENT_ID: what a Shopify order’s Purchase carries to Meta', () => {
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;

	beforeAll(async () => {
		meta = await startMetaDouble();
	});
	afterAll(() => meta.close());

	/** One relay with the setting (unset when undefined): a signed orders/paid, then what reached Meta. */
	async function sentToMeta(pixel: string, setting: string | undefined) {
		const relay = await startRelay('pglite', {
			META_PIXEL_ID: pixel,
			META_ACCESS_TOKEN: 'EAAB-test-token',
			META_GRAPH_URL: meta.url,
			SHOPIFY_WEBHOOK_SECRETS: SECRET,
			...(setting === undefined ? {} : { SHOPIFY_CONTENT_ID: setting }),
		});
		try {
			const body = JSON.stringify(order());
			const res = await fetch(`${relay.url}/v1/webhooks/shopify`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
					'x-shopify-topic': 'orders/paid',
					'x-shopify-shop-domain': SHOP,
					'x-shopify-webhook-id': `wh-content-${pixel}`,
				},
				body,
			});
			expect(res.status).toBe(200);
			const request = await eventually(async () => {
				const found = meta.received.find((r) => r.path === `/v25.0/${pixel}/events`);
				expect(found).toBeDefined();
				return found!;
			});
			const event = request.body.data[0] as unknown as { custom_data: Record<string, unknown> };
			return {
				content_ids: event.custom_data.content_ids,
				contents: event.custom_data.contents,
				num_items: event.custom_data.num_items,
			};
		} finally {
			await relay.close();
		}
	}

	it('unset: the variant ids', async () => {
		expect(await sentToMeta('7001', undefined)).toEqual({
			content_ids: ['4401', '4501'],
			contents: [
				{ id: '4401', quantity: 2, item_price: 39.95 },
				{ id: '4501', quantity: 1, item_price: 10 },
			],
			num_items: 3,
		});
	});

	it('a template: the ids of a catalog fed by Shopify’s feed, with the order’s country', async () => {
		expect(await sentToMeta('7002', 'shopify_{country}_{product_id}_{variant_id}')).toEqual({
			content_ids: ['shopify_DE_44_4401', 'shopify_DE_45_4501'],
			contents: [
				{ id: 'shopify_DE_44_4401', quantity: 2, item_price: 39.95 },
				{ id: 'shopify_DE_45_4501', quantity: 1, item_price: 10 },
			],
			num_items: 3,
		});
	});

	it('an unusable setting stops the service from starting, naming it', async () => {
		await expect(startRelay('pglite', { SHOPIFY_CONTENT_ID: 'shopify_{country}_{id}' })).rejects.toThrow(
			/SHOPIFY_CONTENT_ID: unknown placeholder \{id\}/,
		);
	});
});
