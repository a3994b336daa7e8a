import { Client } from 'pg';
import { signChatwootWebhook } from '../../nodes/core/signatures/chatwoot';
import { signRelayRequest } from '../../nodes/core/signatures/relay';
import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import orderFixture from '../fixtures/shopify/order-with-fbclid.json';
import { startRelay, type TestRelay } from '../support/relayServer';

const API = 'relay-api-secret-current-1';
const API_OLD = 'relay-api-secret-previous-1';
const SHOPIFY = 'shopify-new-secret';
const SHOPIFY_OLD = 'shopify-old-secret';
const CHATWOOT = 'chatwoot-new-secret';
const CHATWOOT_OLD = 'chatwoot-old-secret';
const SUPABASE = 'supabase-new-secret';
const SUPABASE_OLD = 'supabase-old-secret';
const now = () => Math.floor(Date.now() / 1000);
const truncate = (sig: string) => sig.slice(0, -8);

// Every endpoint × every way a request can fail to prove who sent it: 401, nothing stored; then
// the current and the previous secret (a rotation) both work.
describe('signatures and auth on every endpoint', () => {
	let relay: TestRelay;
	let sequence = 0;
	beforeAll(async () => {
		relay = await startRelay('postgres', {
			META_PIXEL_ID: '123456',
			RELAY_API_SECRET: API,
			RELAY_API_SECRET_PREVIOUS: API_OLD,
			SHOPIFY_WEBHOOK_SECRETS: `${SHOPIFY},${SHOPIFY_OLD}`,
			CHATWOOT_WEBHOOK_SECRET: `${CHATWOOT},${CHATWOOT_OLD}`,
			SUPABASE_WEBHOOK_SECRET: `${SUPABASE},${SUPABASE_OLD}`,
		});
	});
	afterAll(() => relay.close());

	const call = (
		path: string,
		headers: Record<string, string>,
		body?: string,
		method = body === undefined ? 'GET' : 'POST',
	) =>
		fetch(`${relay.url}${path}`, {
			method,
			headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
			body,
		});
	const event = () =>
		JSON.stringify({ event_name: 'Lead', email: `auth${++sequence}@example.com`, event_id: `auth-${sequence}` });
	const order = () =>
		JSON.stringify({
			...orderFixture,
			id: 880_000 + ++sequence,
			created_at: new Date().toISOString(),
			processed_at: new Date().toISOString(),
		});
	const shopifyHeaders = (hmac: string | undefined) => ({
		...(hmac ? { 'x-shopify-hmac-sha256': hmac } : {}),
		'x-shopify-topic': 'orders/paid',
		'x-shopify-shop-domain': 'auth.myshopify.com',
		'x-shopify-webhook-id': `wh-auth-${++sequence}`,
	});
	const chatwoot = () =>
		JSON.stringify({
			event: 'conversation_created',
			id: ++sequence,
			meta: { sender: { email: `cw${sequence}@example.com` } },
		});
	const lead = () =>
		JSON.stringify({
			type: 'UPDATE',
			table: 'leads',
			record: { id: ++sequence, status: 'qualified', email: `lead${sequence}@example.com` },
			old_record: { id: sequence, status: 'new' },
		});

	const refused: Array<[string, () => Promise<Response>]> = [
		['events: no auth', () => call('/v1/events', {}, event())],
		['events: wrong bearer', () => call('/v1/events', { authorization: 'Bearer relay-api-secret-wrong-1' }, event())],
		['events: truncated bearer', () => call('/v1/events', { authorization: `Bearer ${API.slice(0, -1)}` }, event())],
		[
			'events: signature over another body',
			() => {
				const b = event();
				return call('/v1/events', { 'x-relay-signature': signRelayRequest(event(), API) }, b);
			},
		],
		[
			'events: truncated signature',
			() => {
				const b = event();
				return call('/v1/events', { 'x-relay-signature': truncate(signRelayRequest(b, API)) }, b);
			},
		],
		[
			'events: replayed (stale timestamp)',
			() => {
				const b = event();
				return call('/v1/events', { 'x-relay-signature': signRelayRequest(b, API, now() - 600) }, b);
			},
		],
		[
			'events: signed with a wrong secret',
			() => {
				const b = event();
				return call('/v1/events', { 'x-relay-signature': signRelayRequest(b, 'not-the-secret-at-all') }, b);
			},
		],
		['list: no auth', () => call('/v1/events', {})],
		[
			'get: wrong bearer',
			() => call('/v1/events/00000000-0000-0000-0000-000000000000', { authorization: 'Bearer nope-nope-nope-nope' }),
		],
		['retry: no auth', () => call('/v1/events/00000000-0000-0000-0000-000000000000/retry', {}, '{}')],
		['status page: no auth', () => call('/', {})],
		[
			'status page: wrong password',
			() => call('/', { authorization: `Basic ${Buffer.from('me:wrong-password-here').toString('base64')}` }),
		],
		['shopify: no hmac', () => call('/v1/webhooks/shopify', shopifyHeaders(undefined), order())],
		[
			'shopify: hmac of another body',
			() => call('/v1/webhooks/shopify', shopifyHeaders(signShopifyWebhook(order(), SHOPIFY)), order()),
		],
		[
			'shopify: truncated hmac',
			() => {
				const b = order();
				return call('/v1/webhooks/shopify', shopifyHeaders(truncate(signShopifyWebhook(b, SHOPIFY))), b);
			},
		],
		[
			'shopify: wrong secret',
			() => {
				const b = order();
				return call('/v1/webhooks/shopify', shopifyHeaders(signShopifyWebhook(b, 'shopify-wrong-secret')), b);
			},
		],
		['chatwoot: no signature', () => call('/v1/webhooks/chatwoot', {}, chatwoot())],
		[
			'chatwoot: signature of another body',
			() => {
				const t = now();
				return call(
					'/v1/webhooks/chatwoot',
					{ 'x-chatwoot-signature': signChatwootWebhook(chatwoot(), CHATWOOT, t), 'x-chatwoot-timestamp': String(t) },
					chatwoot(),
				);
			},
		],
		[
			'chatwoot: truncated signature',
			() => {
				const b = chatwoot();
				const t = now();
				return call(
					'/v1/webhooks/chatwoot',
					{ 'x-chatwoot-signature': truncate(signChatwootWebhook(b, CHATWOOT, t)), 'x-chatwoot-timestamp': String(t) },
					b,
				);
			},
		],
		[
			'chatwoot: replayed (stale timestamp)',
			() => {
				const b = chatwoot();
				const t = now() - 900;
				return call(
					'/v1/webhooks/chatwoot',
					{ 'x-chatwoot-signature': signChatwootWebhook(b, CHATWOOT, t), 'x-chatwoot-timestamp': String(t) },
					b,
				);
			},
		],
		[
			'chatwoot: wrong secret',
			() => {
				const b = chatwoot();
				const t = now();
				return call(
					'/v1/webhooks/chatwoot',
					{ 'x-chatwoot-signature': signChatwootWebhook(b, 'chatwoot-wrong', t), 'x-chatwoot-timestamp': String(t) },
					b,
				);
			},
		],
		['chatwoot: wrong shared secret', () => call('/v1/webhooks/chatwoot?token=chatwoot-wrong', {}, chatwoot())],
		['supabase: no auth', () => call('/v1/webhooks/supabase', {}, lead())],
		[
			'supabase: truncated secret',
			() => call('/v1/webhooks/supabase', { authorization: `Bearer ${SUPABASE.slice(0, -1)}` }, lead()),
		],
		[
			'supabase: wrong secret',
			() => call('/v1/webhooks/supabase', { authorization: 'Bearer supabase-wrong-secret' }, lead()),
		],
	];

	it.each(refused)('%s → 401 with a reason', async (_name, send) => {
		const res = await send();
		expect(res.status).toBe(401);
		const body = (await res.json()) as { error: { code: string; message: string } };
		expect(body.error.code).toBe('unauthorized');
		expect(body.error.message.length).toBeGreaterThan(10);
	});

	it('stored nothing for any of them', async () => {
		const db = new Client({ connectionString: relay.databaseUrl });
		await db.connect();
		const { rows } = await db.query<{ n: string }>(
			'select (select count(*) from relay_events) + (select count(*) from relay_receipts) as n',
		);
		await db.end();
		expect(Number(rows[0].n)).toBe(0);
	});

	it('takes the current and the previous secret of every source during a rotation', async () => {
		for (const secret of [API, API_OLD]) {
			expect((await call('/v1/events', { authorization: `Bearer ${secret}` }, event())).status).toBe(202);
			const b = event();
			expect((await call('/v1/events', { 'x-relay-signature': signRelayRequest(b, secret) }, b)).status).toBe(202);
			expect(
				(await call('/', { authorization: `Basic ${Buffer.from(`me:${secret}`).toString('base64')}` })).status,
			).toBe(200);
		}
		for (const secret of [SHOPIFY, SHOPIFY_OLD]) {
			const b = order();
			expect((await call('/v1/webhooks/shopify', shopifyHeaders(signShopifyWebhook(b, secret)), b)).status).toBe(200);
		}
		for (const secret of [CHATWOOT, CHATWOOT_OLD]) {
			const b = chatwoot();
			const t = now();
			expect(
				(
					await call(
						'/v1/webhooks/chatwoot',
						{ 'x-chatwoot-signature': signChatwootWebhook(b, secret, t), 'x-chatwoot-timestamp': String(t) },
						b,
					)
				).status,
			).toBe(200);
			expect((await call(`/v1/webhooks/chatwoot?token=${secret}`, {}, chatwoot())).status).toBe(200);
		}
		for (const secret of [SUPABASE, SUPABASE_OLD])
			expect((await call('/v1/webhooks/supabase', { authorization: `Bearer ${secret}` }, lead())).status).toBe(200);
	});
});
