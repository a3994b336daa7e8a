import { Client } from 'pg';
import { signChatwootWebhook } from '../../nodes/core/signatures/chatwoot';
import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import customerFixture from '../fixtures/shopify/customer-706405506930370084.json';
import orderFixture from '../fixtures/shopify/order-with-fbclid.json';
import { startMetaDouble } from '../support/metaDouble';
import { eventually, startRelay, type TestRelay } from '../support/relayServer';

// Personal data sent in through every door, in the forms people type it. None of these strings
// may appear in the database, the logs, any answer, or what is sent to Meta. (Field names may be
// echoed in an error, "unknown field nickname"; values never are.)
const PERSON = {
	email: 'Priya.Raman+shop@Example.org',
	phone: '+44 7700 900481',
	first: 'Priya',
	last: 'Raman-Okafor',
	city: 'Bradford',
	street: '17 Wool Lane',
};
const FORMS = [
	PERSON.email,
	PERSON.email.toLowerCase(),
	'priya.raman',
	'7700 900481',
	'7700900481',
	'447700900481',
	PERSON.first,
	PERSON.last,
	'raman-okafor',
	PERSON.city,
	PERSON.street,
	'not-an-email-priya',
	'Okonkwo',
	'ana.beatriz@example.net',
	'91234-5678',
];

describe('privacy scan: no raw personal data anywhere', () => {
	let relay: TestRelay;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	const answers: string[] = [];
	beforeAll(async () => {
		meta = await startMetaDouble();
		relay = await startRelay('postgres', {
			META_PIXEL_ID: '123456',
			META_ACCESS_TOKEN: 'EAAB-privacy-token',
			META_GRAPH_URL: meta.url,
			SHOPIFY_WEBHOOK_SECRETS: 'shop-secret',
			CHATWOOT_WEBHOOK_SECRET: 'cw-secret',
			SUPABASE_WEBHOOK_SECRET: 'sb-secret',
		});
	});
	afterAll(async () => {
		await relay.close();
		await meta.close();
	});

	async function send(path: string, headers: Record<string, string>, body: string, method = 'POST') {
		const res = await fetch(`${relay.url}${path}`, {
			method,
			headers: { 'content-type': 'application/json', ...headers },
			body: method === 'GET' ? undefined : body,
		});
		answers.push(`${res.status} ${await res.text()}`);
		return res;
	}

	it('through the API, Shopify, Supabase and Chatwoot, valid and invalid, then delivered', async () => {
		const api = { authorization: `Bearer ${relay.apiSecret}` };
		await send(
			'/v1/events',
			api,
			JSON.stringify({
				event_name: 'Lead',
				email: PERSON.email,
				phone: PERSON.phone,
				first_name: PERSON.first,
				last_name: PERSON.last,
				event_id: 'p-1',
			}),
		);
		await send(
			'/v1/events',
			api,
			JSON.stringify({
				event_name: 'Lead',
				user_data: {
					em: PERSON.email,
					fn: PERSON.first,
					ln: PERSON.last,
					ct: PERSON.city,
					zp: 'BD1 1AA',
					country: 'GB',
				},
				event_id: 'p-2',
			}),
		);
		// Invalid: the answers must say what is wrong without repeating the value.
		await send('/v1/events', api, JSON.stringify({ event_name: 'Lead', email: 'not-an-email-priya', event_id: 'p-3' }));
		await send(
			'/v1/events',
			api,
			JSON.stringify({ data: [{ event_name: 'Lead', email: PERSON.email, nickname: 'Okonkwo' }] }),
		);
		const order = JSON.stringify({
			...orderFixture,
			id: 990001,
			email: PERSON.email,
			phone: PERSON.phone,
			created_at: new Date().toISOString(),
			processed_at: new Date().toISOString(),
			billing_address: {
				...orderFixture.billing_address,
				first_name: PERSON.first,
				last_name: PERSON.last,
				address1: PERSON.street,
				city: PERSON.city,
			},
		});
		const shop = (body: string, topic: string) => ({
			'x-shopify-hmac-sha256': signShopifyWebhook(body, 'shop-secret'),
			'x-shopify-topic': topic,
			'x-shopify-shop-domain': 'privacy.myshopify.com',
			'x-shopify-webhook-id': `wh-${topic}-${body.length}`,
		});
		await send('/v1/webhooks/shopify', shop(order, 'orders/paid'), order);
		const customer = JSON.stringify({
			...customerFixture,
			email: PERSON.email,
			phone: PERSON.phone,
			first_name: PERSON.first,
			last_name: PERSON.last,
			created_at: new Date().toISOString(),
		});
		await send('/v1/webhooks/shopify', shop(customer, 'customers/create'), customer);
		const request = JSON.stringify({
			shop_id: 1,
			shop_domain: 'privacy.myshopify.com',
			customer: { id: 1, email: PERSON.email, phone: PERSON.phone },
			orders_requested: [990001],
			data_request: { id: 1 },
		});
		await send('/v1/webhooks/shopify', shop(request, 'customers/data_request'), request);
		await send(
			'/v1/webhooks/supabase',
			{ authorization: 'Bearer sb-secret' },
			JSON.stringify({
				type: 'UPDATE',
				table: 'leads',
				record: {
					id: 5,
					status: 'qualified',
					email: PERSON.email,
					phone: PERSON.phone,
					first_name: PERSON.first,
					last_name: PERSON.last,
				},
				old_record: { id: 5, status: 'new' },
			}),
		);
		const cw = JSON.stringify({
			event: 'conversation_created',
			id: 77,
			meta: {
				sender: {
					id: 9,
					name: `${PERSON.first} ${PERSON.last}`,
					email: 'ana.beatriz@example.net',
					phone_number: '+55 11 91234-5678',
				},
			},
		});
		const t = Math.floor(Date.now() / 1000);
		await send(
			'/v1/webhooks/chatwoot',
			{
				'x-chatwoot-signature': signChatwootWebhook(cw, 'cw-secret', t),
				'x-chatwoot-timestamp': String(t),
				'x-chatwoot-delivery': 'cw-p',
			},
			cw,
		);
		await eventually(async () => expect(meta.received.flatMap((r) => r.body.data)).toHaveLength(6));
		await send(`/v1/events?limit=50`, api, '', 'GET');
		await send('/', api, '', 'GET');
		await send('/metrics', {}, '', 'GET');
		await send('/health', {}, '', 'GET');
		expect(answers.filter((a) => a.startsWith('2'))).toHaveLength(11);
	});

	it('finds none of the raw values in the database, the logs, the answers or the requests to Meta', async () => {
		const db = new Client({ connectionString: relay.databaseUrl });
		await db.connect();
		const tables = (
			await db.query<{ t: string }>("select tablename as t from pg_tables where schemaname = 'public'")
		).rows.map((r) => r.t);
		let dump = '';
		for (const t of tables)
			dump += (await db.query<{ row: string }>(`select t::text as row from ${t} t`)).rows.map((r) => r.row).join('\n');
		await db.end();
		// The scan reads real rows: the hashed events are there.
		expect(dump.match(/[0-9a-f]{64}/g)?.length).toBeGreaterThan(20);
		const places = {
			database: dump,
			logs: relay.logs.join('\n'),
			answers: answers.join('\n'),
			meta: JSON.stringify(meta.received.map((r) => r.body)),
		};
		const found = Object.entries(places).flatMap(([where, text]) =>
			FORMS.filter((f) => text.toLowerCase().includes(f.toLowerCase())).map((f) => `${where}: ${f}`),
		);
		expect(found).toEqual([]);
	});
});
