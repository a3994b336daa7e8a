import { loadConfig } from '../../service/src/config';

describe('service configuration', () => {
	it('starts with nothing configured', () => {
		const config = loadConfig({});
		expect(config).toMatchObject({
			PORT: 3000,
			RELAY_DATA_DIR: './.relay-data',
			META_API_VERSION: 'v25.0',
			META_GRAPH_URL: 'https://graph.facebook.com',
			SHOPIFY_WEBHOOK_SECRETS: [],
		});
	});

	it('names the variable and the reason when a value is bad', () => {
		expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: /);
		expect(() => loadConfig({ META_PIXEL_ID: 'px-1' })).toThrow('META_PIXEL_ID: must be digits only');
		expect(() => loadConfig({ RELAY_API_SECRET: 'short' })).toThrow('RELAY_API_SECRET: must be at least 16 characters');
		expect(() => loadConfig({ SUPABASE_URL: 'https://x.supabase.co' })).toThrow(
			'SUPABASE_SERVICE_ROLE_KEY: required when SUPABASE_URL is set',
		);
		expect(() => loadConfig({ SHOPIFY_EVENT_ID_TEMPLATE: 'order_{nope}' })).toThrow(/SHOPIFY_EVENT_ID_TEMPLATE: /);
		expect(() => loadConfig({ SHOPIFY_EVENT_ID_TEMPLATE: 'order' })).toThrow(/SHOPIFY_EVENT_ID_TEMPLATE: /);
		expect(loadConfig({ SHOPIFY_EVENT_ID_TEMPLATE: 'order_{order_number}' }).SHOPIFY_EVENT_ID_TEMPLATE).toBe(
			'order_{order_number}',
		);
	});

	it('splits rotated Shopify secrets', () => {
		expect(loadConfig({ SHOPIFY_WEBHOOK_SECRETS: 'new, old ,' }).SHOPIFY_WEBHOOK_SECRETS).toEqual(['new', 'old']);
	});
});
