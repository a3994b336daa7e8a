import nock from 'nock';
import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';
import { ShopifyRelayApi } from '../../credentials/ShopifyRelayApi.credentials';

const credential = new ShopifyRelayApi();
const SHOP = 'https://linen.myshopify.com';

// n8n calls preAuthentication with its request helper; a real HTTP call is enough to stand in.
const helper = {
	helpers: {
		httpRequest: async (options: IHttpRequestOptions) => {
			const response = await fetch(options.url, {
				method: options.method,
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(options.body),
			});
			if (!response.ok)
				throw Object.assign(new Error(`HTTP ${response.status}`), { response: { status: response.status } });
			return await response.json();
		},
	},
} as unknown as IHttpRequestHelper;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Shopify credential: client credentials for any node (preAuthentication + Session Token)', () => {
	it('asks the shop for a token with the client credentials grant and hands it to n8n to keep', async () => {
		const scope = nock(SHOP)
			.post('/admin/oauth/access_token', {
				client_id: 'cid',
				client_secret: 'csecret',
				grant_type: 'client_credentials',
			})
			.reply(200, { access_token: 'shpat_granted', scope: 'read_customers', expires_in: 86399 });
		const out = await credential.preAuthentication.call(helper, {
			shopDomain: 'linen.myshopify.com',
			authMethod: 'clientCredentials',
			clientId: 'cid',
			clientSecret: 'csecret',
			baseUrl: '',
		});
		expect(out).toEqual({ sessionToken: 'shpat_granted' });
		scope.done();
	});

	it('reaches the same shop address as the nodes from a bare shop name (https://<name>.myshopify.com)', async () => {
		const scope = nock(SHOP).post('/admin/oauth/access_token').reply(200, { access_token: 'shpat_bare' });
		expect(
			await credential.preAuthentication.call(helper, {
				shopDomain: ' Linen ',
				authMethod: 'clientCredentials',
				clientId: 'cid',
				clientSecret: 'csecret',
				baseUrl: '',
			}),
		).toEqual({ sessionToken: 'shpat_bare' });
		scope.done();
	});

	it('reports a grant without a token, and needs no session for a fixed token', async () => {
		nock(SHOP).post('/admin/oauth/access_token').reply(200, { error: 'invalid_client' });
		await expect(
			credential.preAuthentication.call(helper, {
				shopDomain: 'linen',
				authMethod: 'clientCredentials',
				clientId: 'c',
				clientSecret: 's',
				baseUrl: SHOP,
			}),
		).rejects.toThrow('without an access token');
		expect(
			await credential.preAuthentication.call(helper, { authMethod: 'accessToken', accessToken: 'shpat_fixed' }),
		).toEqual({ sessionToken: 'fixed-token' });
	});

	it('sends the session token (client credentials) or the fixed token, and leaves a token the transport set alone', async () => {
		const request: IHttpRequestOptions = { url: `${SHOP}/admin/api/2025-10/graphql.json`, method: 'POST' };
		expect(
			(await credential.authenticate({ authMethod: 'clientCredentials', sessionToken: 'shpat_session' }, request))
				.headers,
		).toEqual({ 'X-Shopify-Access-Token': 'shpat_session' });
		expect(
			(
				await credential.authenticate(
					{ authMethod: 'accessToken', accessToken: 'shpat_fixed', sessionToken: 'fixed-token' },
					request,
				)
			).headers,
		).toEqual({ 'X-Shopify-Access-Token': 'shpat_fixed' });
		const fresh = { ...request, headers: { 'X-Shopify-Access-Token': 'shpat_from_transport' } };
		expect(
			(await credential.authenticate({ authMethod: 'clientCredentials', sessionToken: 'shpat_old' }, fresh)).headers,
		).toEqual({ 'X-Shopify-Access-Token': 'shpat_from_transport' });
	});

	it('keeps the session token in a hidden, expirable, password field (what n8n looks for)', () => {
		expect(credential.properties.find((p) => p.name === 'sessionToken')).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
		});
	});
});
