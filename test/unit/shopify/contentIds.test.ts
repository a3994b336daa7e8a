import {
	contentIdReader,
	contentIdSettingIssues,
	orderCountry,
	parseContentIdSetting,
} from '../../../nodes/core/shopify/contentIds';
import { orderCustomData, orderToPurchaseEvent } from '../../../nodes/core/shopify/order';
import type { Order } from '../../../nodes/core/shopify/types';
import { buildViews } from '../../../nodes/ShopifyRelayTrigger/delivery/views';
import { ordersFrom, type BulkRecord } from '../../../service/src/shopify/bulkExport';
import { loadConfig } from '../../../service/src/config';

/** Three lines: a shirt in two sizes (one product, two variants), a mug without a SKU. */
const order: Order = {
	id: 5900000000123,
	admin_graphql_api_id: 'gid://shopify/Order/5900000000123',
	name: '#1042',
	created_at: '2026-11-20T10:00:00Z',
	processed_at: '2026-11-20T10:00:05Z',
	total_price: '107.80',
	currency: 'EUR',
	shipping_address: { city: 'Wien', zip: '1010', country: 'Austria', country_code: 'AT' },
	billing_address: { city: 'München', zip: '80331', country: 'Germany', country_code: 'DE' },
	line_items: [
		{ id: 1, product_id: 8001, variant_id: 44001, sku: 'LIN-S-SAND', quantity: 2, price: '39.95' },
		{ id: 2, product_id: 8001, variant_id: 44002, sku: ' LIN-M-SAND ', quantity: 1, price: '39.95' },
		{ id: 3, product_id: 8002, variant_id: 44003, sku: null, quantity: 1, price: '12.00' },
	],
};

const customData = (setting: string, o: Order = order) =>
	orderCustomData(o, { contentIds: parseContentIdSetting(setting) });

describe('content ids: the id each order line gets, to match the shop’s catalog', () => {
	it.each([
		[
			'variant_id',
			[
				{ id: '44001', quantity: 2, item_price: 39.95 },
				{ id: '44002', quantity: 1, item_price: 39.95 },
				{ id: '44003', quantity: 1, item_price: 12 },
			],
			['44001', '44002', '44003'],
		],
		[
			'product_id',
			[
				{ id: '8001', quantity: 2, item_price: 39.95 },
				{ id: '8001', quantity: 1, item_price: 39.95 },
				{ id: '8002', quantity: 1, item_price: 12 },
			],
			['8001', '8002'],
		],
		[
			'sku',
			[
				{ id: 'LIN-S-SAND', quantity: 2, item_price: 39.95 },
				{ id: 'LIN-M-SAND', quantity: 1, item_price: 39.95 },
			],
			['LIN-S-SAND', 'LIN-M-SAND'],
		],
		[
			'shopify_{country}_{product_id}_{variant_id}',
			[
				{ id: 'shopify_AT_8001_44001', quantity: 2, item_price: 39.95 },
				{ id: 'shopify_AT_8001_44002', quantity: 1, item_price: 39.95 },
				{ id: 'shopify_AT_8002_44003', quantity: 1, item_price: 12 },
			],
			['shopify_AT_8001_44001', 'shopify_AT_8001_44002', 'shopify_AT_8002_44003'],
		],
		[
			'{country_lower}-{sku}',
			[
				{ id: 'at-LIN-S-SAND', quantity: 2, item_price: 39.95 },
				{ id: 'at-LIN-M-SAND', quantity: 1, item_price: 39.95 },
			],
			['at-LIN-S-SAND', 'at-LIN-M-SAND'],
		],
	])('%s', (setting, contents, contentIds) => {
		const data = customData(setting);
		expect(data.contents).toEqual(contents);
		expect(data.content_ids).toEqual(contentIds);
		// content_ids are the contents' ids, each once, in order; every line is counted in num_items.
		expect(data.content_ids).toEqual([...new Set(data.contents?.map((c) => c.id))]);
		expect(data).toMatchObject({ content_type: 'product', num_items: 4, value: 107.8, currency: 'EUR' });
	});

	it('defaults to the variant id, as the setting variant_id and an unset one', () => {
		expect(orderCustomData(order)).toEqual(customData('variant_id'));
		expect(parseContentIdSetting(undefined)).toEqual(parseContentIdSetting('variant_id'));
		expect(parseContentIdSetting('  sku  ').setting).toBe('sku');
	});

	it('leaves a line without the value out of contents and content_ids (no fallback), still counting it', () => {
		// A custom item (no product, no variant) and a gift card Shopify sent without a variant id.
		const custom: Order = {
			id: 1,
			line_items: [
				{ id: 1, product_id: null, variant_id: null, sku: 'ENGRAVING', quantity: 1, price: '5.00' },
				{ id: 2, product_id: 9, variant_id: null, sku: null, quantity: 1, price: '15.00' },
			],
		};
		expect(customData('variant_id', custom)).toEqual({ num_items: 2, order_id: '1' });
		expect(customData('product_id', custom).content_ids).toEqual(['9']);
		expect(customData('sku', custom).content_ids).toEqual(['ENGRAVING']);
		expect(customData('{product_id}-{sku}', custom)).not.toHaveProperty('contents');
		// Whitespace is no SKU.
		expect(customData('sku', { id: 2, line_items: [{ variant_id: 1, sku: '   ', quantity: 1 }] })).not.toHaveProperty(
			'content_ids',
		);
	});

	it('takes {country} from the shipping address, then billing, then the customer’s default address; upper case', () => {
		expect(orderCountry(order)).toBe('AT');
		expect(orderCountry({ ...order, shipping_address: null })).toBe('DE');
		expect(
			orderCountry({
				shipping_address: { country: 'Canada' }, // a name, no code
				billing_address: { country_code: 'DEU' }, // not an ISO 3166-1 alpha-2 code
				customer: { default_address: { country_code: 'ca' } },
			}),
		).toBe('CA');
		// No country: a template that needs one gives no ids, one that does not is unaffected.
		const nowhere = { ...order, shipping_address: null, billing_address: null };
		expect(customData('shopify_{country}_{product_id}_{variant_id}', nowhere)).not.toHaveProperty('contents');
		expect(customData('shopify_US_{product_id}_{variant_id}', nowhere).content_ids).toEqual([
			'shopify_US_8001_44001',
			'shopify_US_8001_44002',
			'shopify_US_8002_44003',
		]);
	});

	it('gives no id longer than a catalog id (100 characters)', () => {
		const longSku = 'S'.repeat(100);
		const o: Order = { id: 3, line_items: [{ variant_id: 7, sku: longSku, quantity: 1 }] };
		expect(customData('sku', o).content_ids).toEqual([longSku]);
		expect(customData('x{sku}', o)).not.toHaveProperty('content_ids');
		expect(
			customData('sku', { id: 4, line_items: [{ variant_id: 7, sku: `${longSku}S`, quantity: 1 }] }),
		).not.toHaveProperty('content_ids');
	});

	it('refuses an unusable setting with the setting’s name and every reason', () => {
		expect(() => parseContentIdSetting('shopify_{country}_{id}', 'SHOPIFY_CONTENT_ID')).toThrow(
			'SHOPIFY_CONTENT_ID: unknown placeholder {id}; use {product_id}, {variant_id}, {sku}, {country}, {country_lower}',
		);
		expect(contentIdSettingIssues('{COUNTRY}_{sku}')).toEqual([
			'unknown placeholder {COUNTRY}; use {product_id}, {variant_id}, {sku}, {country}, {country_lower}',
		]);
		expect(contentIdSettingIssues('shopify_{country_{variant_id}')).toEqual([
			'unknown placeholder {country_{variant_id}; use {product_id}, {variant_id}, {sku}, {country}, {country_lower}',
		]);
		expect(contentIdSettingIssues('shopify_{variant_id')).toEqual(['a { without its }']);
		expect(contentIdSettingIssues('shopify}_{variant_id}')).toEqual(['a } without its {']);
		expect(contentIdSettingIssues('shopify_{country}')).toEqual([
			'the template has no {product_id}, {variant_id} or {sku}, so every line would get the same id',
		]);
		expect(contentIdSettingIssues('variant')).toEqual([
			'"variant" is none of variant_id, product_id, sku, or a template of {product_id}, {variant_id}, {sku}, {country}, {country_lower} such as shopify_{country}_{product_id}_{variant_id}',
		]);
		expect(contentIdSettingIssues(' ')[0]).toMatch(/^empty; use variant_id, product_id, sku/);
		expect(contentIdSettingIssues(`{sku}${'x'.repeat(200)}`)).toEqual(['at most 200 characters']);
		expect(contentIdSettingIssues('shopify_{country}_{product_id}_{variant_id}')).toEqual([]);
		expect(() => parseContentIdSetting('{sku')).toThrow(/^content id: a \{ without its \}$/);
	});

	it('reads each value of a line once, in one pass over the rule', () => {
		const read = contentIdReader(order, parseContentIdSetting('{sku}|{sku}|{variant_id}'));
		expect(read(order.line_items?.[1])).toBe('LIN-M-SAND|LIN-M-SAND|44002');
		expect(read(undefined)).toBeUndefined();
		expect(read(null)).toBeUndefined();
	});
});

describe('the same content ids on every path an order becomes a Meta event', () => {
	const SETTINGS = ['variant_id', 'product_id', 'sku', 'shopify_{country}_{product_id}_{variant_id}'];

	/** The order as a bulk operation's file gives it: the order line, then one child line per item. */
	const bulkRecord: BulkRecord = {
		value: {
			id: 'gid://shopify/Order/5900000000123',
			legacyResourceId: '5900000000123',
			name: '#1042',
			createdAt: '2026-11-20T10:00:00Z',
			processedAt: '2026-11-20T10:00:05Z',
			test: false,
			cancelledAt: null,
			totalPriceSet: { shopMoney: { amount: '107.80', currencyCode: 'EUR' } },
			shippingAddress: { city: 'Wien', zip: '1010', country: 'Austria', countryCodeV2: 'AT' },
			billingAddress: { city: 'München', zip: '80331', country: 'Germany', countryCodeV2: 'DE' },
		},
		children: (order.line_items ?? []).map((line) => ({
			id: `gid://shopify/LineItem/${line?.id}`,
			sku: line?.sku,
			quantity: line?.quantity,
			originalUnitPriceSet: { shopMoney: { amount: line?.price, currencyCode: 'EUR' } },
			variant: { id: `gid://shopify/ProductVariant/${line?.variant_id}`, legacyResourceId: String(line?.variant_id) },
			product: { id: `gid://shopify/Product/${line?.product_id}`, legacyResourceId: String(line?.product_id) },
			__parentId: 'gid://shopify/Order/5900000000123',
		})),
		line: 1,
		index: 0,
	};

	async function fromSyncJob(setting: string) {
		const records = ordersFrom(
			(async function* () {
				yield bulkRecord;
			})(),
			{ contentIds: parseContentIdSetting(setting) },
		);
		for await (const record of records) return record.purchase?.custom_data;
		return undefined;
	}

	it.each(SETTINGS)('%s: webhook mapping, trigger view and sync job agree', async (setting) => {
		const rule = loadConfig({ SHOPIFY_CONTENT_ID: setting }).SHOPIFY_CONTENT_ID;
		const webhook = orderToPurchaseEvent(order, { contentIds: rule }).custom_data;
		const trigger = buildViews('orders/paid', order as never, {
			views: ['metaCustomData'],
			hashUserData: true,
			eventIdTemplate: '{id}',
			valueField: 'total_price',
			contentIds: parseContentIdSetting(setting, 'Content ID'),
		}).meta as { custom_data: typeof webhook };
		const job = await fromSyncJob(setting);
		const ids = (data: typeof webhook) => ({
			contents: data?.contents,
			content_ids: data?.content_ids,
			num_items: data?.num_items,
		});
		expect(ids(webhook)).toEqual(ids(customData(setting)));
		expect(ids(trigger.custom_data)).toEqual(ids(webhook));
		expect(ids(job)).toEqual(ids(webhook));
	});
});

describe('SHOPIFY_CONTENT_ID', () => {
	it('is variant_id unless set, parsed once at start', () => {
		expect(loadConfig({}).SHOPIFY_CONTENT_ID).toEqual(parseContentIdSetting('variant_id'));
		expect(loadConfig({ SHOPIFY_CONTENT_ID: 'sku' }).SHOPIFY_CONTENT_ID).toEqual(parseContentIdSetting('sku'));
	});

	it('stops start-up naming the variable and the reason', () => {
		expect(() => loadConfig({ SHOPIFY_CONTENT_ID: 'shopify_{country}_{id}' })).toThrow(
			/SHOPIFY_CONTENT_ID: unknown placeholder \{id\}/,
		);
		expect(() => loadConfig({ SHOPIFY_CONTENT_ID: 'variant' })).toThrow(/SHOPIFY_CONTENT_ID: "variant" is none of/);
	});
});
