import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { startHubSpotDouble, type HubSpotDouble } from '../../support/hubspotDouble';
import { startMetaDouble } from '../../support/metaDouble';
import { ownerSession, type OwnerSession } from '../../support/n8nRest';
import { startRealN8n, type N8nQueueMode, type RealN8n } from '../../support/realN8n';
import { eventually } from '../../support/relayServer';
import { startShopifyDouble, type ShopifyDouble } from '../../support/shopifyDouble';
import { forImport } from '../../support/workflowFiles';

/**
 * n8n's queue mode (EXECUTIONS_MODE=queue) as docs/scaling.md describes it: one main (`n8n start`:
 * editor, REST, activation; no production webhooks), one worker (`n8n worker`) and two webhook
 * processes (`n8n webhook`) on one fresh Postgres database, one N8N_ENCRYPTION_KEY and Redis with
 * a key prefix of this run's own. A round-robin load balancer (below) stands in front of the two
 * webhook processes, and WEBHOOK_URL names it, so the Shopify subscriptions point at it.
 *
 * Both shipped Shopify workflows are live at once: Shopify → Meta Purchase (its Meta node switched
 * to "Directly to Meta", so the Meta double sees what n8n sends, not what the relay service
 * dedups) and Shopify → HubSpot as shipped. Each Shopify delivery goes to both subscriptions.
 *
 * What it shows about 20 copies of one delivery (the same X-Shopify-Webhook-Id and
 * X-Shopify-Event-Id, each correctly signed), spread 10/10 over the two webhook processes:
 * - The trigger's process-wide memory (nodes/ShopifyRelayTrigger/delivery/dedup.ts) holds: in one
 *   process only the first copy starts a run. Nothing holds across processes: each webhook process
 *   starts one run, at once or one after another. So two runs, one per process.
 * - The workflow's static data does not stop the other process, even one copy later: n8n 2.40.7
 *   does not save a webhook's static data when the webhook starts a run. WorkflowRunner.run
 *   (establishContextForPersistence) builds a second Workflow on the same staticData object, and
 *   ObservableObject.create resets its __dataChanged flag, so LiveWebhooks' saveStaticData sees
 *   no change and writes nothing. The key is written later, by the first copy that a process
 *   answers as a duplicate (that path starts no run, so the flag survives).
 * - What the doubles end with is still one delivery's state: Meta gets the same event (same
 *   event_id, same body) once per run and counts it once (its event_id deduplication); HubSpot
 *   gets Shopify's absolute totals on the contact and one deal, upserted by shopify_order_id.
 */

const CLIENT_SECRET = 'shpss_queue_e2e_secret_3f9a';
const ADMIN_TOKEN = 'shpat_queue_e2e_0001';
const HUBSPOT_TOKEN = 'hubspot-queue-e2e-token';
const META_ID = 'wfQueueMeta0001';
const HUBSPOT_ID = 'wfQueueHubSp001';
const COPIES = 20;

const SAMPLE = JSON.parse(readFileSync(join(__dirname, '../../fixtures/shopify/order-450789469.json'), 'utf8'));

interface Buyer {
	id: number;
	email: string;
	first: string;
	last: string;
	phone: string;
	/** Shopify's counters for the customer now (the workflow's order lookup). */
	orders: number;
	spent: string;
}

const ana: Buyer = {
	id: 7500000000101,
	email: 'ana.lima@example.com',
	first: 'Ana',
	last: 'Lima',
	phone: '+13125550147',
	orders: 3,
	spent: '389.7',
};
const ben: Buyer = {
	id: 7500000000102,
	email: 'ben.okafor@example.com',
	first: 'Ben',
	last: 'Okafor',
	phone: '+14155550102',
	orders: 2,
	spent: '210.0',
};

/** A time Shopify writes (seconds, the shop's offset -05:00), `minutesAgo` before now. */
const shopifyTime = (minutesAgo: number) => {
	const ms = Math.floor((Date.now() - minutesAgo * 60_000) / 1000) * 1000;
	return { text: new Date(ms - 5 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '-05:00'), ms };
};

/** One paid online order: the orders/paid body, and the order as the Admin GraphQL API returns it. */
function paidOrder(id: number, buyer: Buyer, total: string, checkoutToken: string) {
	const processed = shopifyTime(10);
	const address = {
		...SAMPLE.billing_address,
		first_name: buyer.first,
		last_name: buyer.last,
		name: `${buyer.first} ${buyer.last}`,
		address1: '1 Main St',
		address2: '',
		city: 'Austin',
		province: 'Texas',
		province_code: 'TX',
		zip: '78701-1234',
		country: 'United States',
		country_code: 'US',
		phone: null,
		latitude: null,
		longitude: null,
	};
	const line = {
		...SAMPLE.line_items[0],
		id: id * 10,
		product_id: 9300000001,
		variant_id: 46300000001,
		title: 'Wool scarf',
		name: 'Wool scarf',
		sku: 'SCARF-GRY',
		quantity: 1,
		current_quantity: 1,
		price: total,
	};
	const webhook = {
		...SAMPLE,
		id,
		admin_graphql_api_id: `gid://shopify/Order/${id}`,
		name: `#${id % 10_000}`,
		order_number: id % 10_000,
		email: buyer.email,
		contact_email: buyer.email,
		phone: null,
		created_at: processed.text,
		processed_at: processed.text,
		updated_at: processed.text,
		currency: 'USD',
		presentment_currency: 'USD',
		total_price: total,
		current_total_price: total,
		subtotal_price: total,
		financial_status: 'paid',
		test: false,
		cancelled_at: null,
		refunds: [],
		checkout_token: checkoutToken,
		browser_ip: '198.51.100.23',
		client_details: {
			accept_language: 'en-US',
			browser_ip: '198.51.100.23',
			user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0',
		},
		landing_site: '/products/wool-scarf',
		note_attributes: [{ name: '_fbp', value: 'fb.1.1795000000000.1122334455' }],
		line_items: [line],
		billing_address: address,
		shipping_address: address,
		customer: {
			...SAMPLE.customer,
			id: buyer.id,
			admin_graphql_api_id: `gid://shopify/Customer/${buyer.id}`,
			email: buyer.email,
			first_name: buyer.first,
			last_name: buyer.last,
			phone: buyer.phone,
			default_address: { ...SAMPLE.customer.default_address, id: buyer.id + 1, customer_id: buyer.id },
		},
	};
	const at = new Date(processed.ms).toISOString();
	const graphql = {
		id: `gid://shopify/Order/${id}`,
		legacyResourceId: String(id),
		name: `#${id % 10_000}`,
		createdAt: at,
		processedAt: at,
		updatedAt: at,
		test: false,
		tags: [],
		totalPriceSet: { shopMoney: { amount: total, currencyCode: 'USD' } },
		customer: {
			id: `gid://shopify/Customer/${buyer.id}`,
			legacyResourceId: String(buyer.id),
			firstName: buyer.first,
			lastName: buyer.last,
			state: 'ENABLED',
			verifiedEmail: true,
			taxExempt: false,
			note: null,
			tags: [],
			createdAt: '2025-03-01T10:00:00Z',
			updatedAt: at,
			numberOfOrders: String(buyer.orders),
			amountSpent: { amount: buyer.spent, currencyCode: 'USD' },
			lastOrder: {
				id: `gid://shopify/Order/${id}`,
				legacyResourceId: String(id),
				name: `#${id % 10_000}`,
				processedAt: at,
			},
			defaultEmailAddress: { emailAddress: buyer.email, marketingState: 'NOT_SUBSCRIBED' },
			defaultPhoneNumber: { phoneNumber: buyer.phone, marketingState: 'NOT_SUBSCRIBED' },
			defaultAddress: {
				firstName: buyer.first,
				lastName: buyer.last,
				company: null,
				address1: '1 Main St',
				address2: null,
				city: 'Austin',
				province: 'Texas',
				provinceCode: 'TX',
				zip: '78701',
				country: 'United States',
				countryCodeV2: 'US',
				phone: null,
			},
		},
		lineItems: {
			nodes: [
				{
					id: `gid://shopify/LineItem/${id * 10}`,
					name: 'Wool scarf',
					title: 'Wool scarf',
					sku: 'SCARF-GRY',
					quantity: 1,
					variant: { id: 'gid://shopify/ProductVariant/46300000001', legacyResourceId: '46300000001' },
					product: { id: 'gid://shopify/Product/9300000001', legacyResourceId: '9300000001', tags: ['winter'] },
				},
			],
		},
	};
	return { webhook, graphql, processedMs: processed.ms };
}

const burstOrder = paidOrder(6300000000301, ana, '154.85', 'c0ffee0000000000000000000000a301');
const serialOrder = paidOrder(6300000000302, ben, '105.00', 'c0ffee0000000000000000000000a302');

interface Forwarded {
	path: string;
	/** Which webhook process answered: 0 or 1. */
	backend: number;
	status: number;
	body: string;
}

/**
 * A load balancer in front of the webhook processes: round robin, counted per path, so that each
 * workflow's copies alternate between the processes whatever the order the requests arrive in.
 */
async function startLoadBalancer() {
	const backends: string[] = [];
	const next = new Map<string, number>();
	const forwarded: Forwarded[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const path = req.url ?? '/';
			const n = next.get(path) ?? 0;
			next.set(path, n + 1);
			const backend = n % backends.length;
			const headers = Object.fromEntries(
				Object.entries(req.headers)
					.filter(([k]) => !['host', 'connection', 'content-length'].includes(k))
					.map(([k, v]) => [k, String(v)]),
			);
			fetch(`${backends[backend]}${path}`, {
				method: req.method,
				headers,
				body: chunks.length ? Buffer.concat(chunks) : undefined,
			})
				.then(async (answer) => {
					const body = await answer.text();
					forwarded.push({ path, backend, status: answer.status, body });
					res
						.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
						.end(body);
				})
				.catch((error: Error) => res.writeHead(502).end(error.message));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		backends,
		forwarded,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

describe('n8n queue mode: main, worker and two webhook processes behind a load balancer', () => {
	let n8n: RealN8n;
	let queue: N8nQueueMode;
	let lb: Awaited<ReturnType<typeof startLoadBalancer>>;
	let shopify: ShopifyDouble;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let hubspot: HubSpotDouble;
	let rest: OwnerSession;
	const timings: Record<string, number> = {};
	const path = (workflowId: string) =>
		new URL(shopify.subscriptions.find((s) => s.uri.includes(webhookIdOf(workflowId)))?.uri ?? '').pathname;
	const webhookIds: Record<string, string> = {};
	const webhookIdOf = (workflowId: string) => webhookIds[workflowId];
	/** Finished webhook runs of a workflow. */
	const runs = async (workflowId: string) => (await rest.executions(workflowId)).filter((e) => e.mode === 'webhook');
	/** What the webhook processes answered to a workflow's copies since `from`. */
	const answers = (workflowId: string, from: number) =>
		lb.forwarded
			.slice(from)
			.filter((f) => f.path === path(workflowId))
			// A repeat is answered {received, duplicate}; a started run gets n8n's onReceived body (in
			// 2.40.7 the text "firstEntryJson": the trigger declares no responseData).
			.map((f) => ({
				backend: f.backend,
				status: f.status,
				duplicate: f.body === JSON.stringify({ received: true, duplicate: true }),
			}));
	const metaEvents = (orderId: number) =>
		meta.received.filter((r) =>
			r.body.data.some((e) => (e as { custom_data?: { order_id?: string } }).custom_data?.order_id === String(orderId)),
		);
	const staticData = async () => {
		const db = new Client({ connectionString: n8n.databaseUrl });
		await db.connect();
		try {
			const { rows } = await db.query<{ id: string; staticData: unknown }>(
				'select id, "staticData" from workflow_entity where id = any($1)',
				[[META_ID, HUBSPOT_ID]],
			);
			return Object.fromEntries(rows.map((r) => [r.id, JSON.stringify(r.staticData)]));
		} finally {
			await db.end();
		}
	};
	const settled = async (workflowId: string, count: number) =>
		eventually(async () => {
			const list = await runs(workflowId);
			expect(list.map((r) => r.status)).toEqual(Array(count).fill('success'));
			return list;
		}, 60_000);

	beforeAll(async () => {
		let t = Date.now();
		shopify = await startShopifyDouble({
			clientSecret: CLIENT_SECRET,
			accessToken: ADMIN_TOKEN,
			orders: [burstOrder.graphql, serialOrder.graphql],
			maxQueryCost: 1000,
		});
		meta = await startMetaDouble();
		hubspot = await startHubSpotDouble({ token: HUBSPOT_TOKEN, strictProperties: true });
		lb = await startLoadBalancer();
		// What "Run once: create the HubSpot properties" creates (workflow.shopify-orders-to-hubspot
		// runs it in n8n); made here at the double, as HubSpot would hold them, to spare an n8n start.
		for (const [object, body] of [
			['contacts/groups', { name: 'shopify', label: 'Shopify' }],
			...[
				'shopify_customer_id',
				'shopify_order_count',
				'shopify_total_spent',
				'shopify_last_order_date',
				'shopify_last_order_id',
				'shopify_first_order_date',
			].map((name) => ['contacts', { name, groupName: 'shopify' }]),
			['deals/groups', { name: 'shopify', label: 'Shopify' }],
			['deals', { name: 'shopify_order_id', groupName: 'shopify', hasUniqueValue: true }],
		] as Array<[string, object]>) {
			const res = await fetch(`${hubspot.url}/crm/v3/properties/${object}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${HUBSPOT_TOKEN}`, 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			expect(res.status).toBe(201);
		}

		n8n = await startRealN8n();
		timings.install = Date.now() - t;
		t = Date.now();
		await n8n.importCredentials([
			{
				id: 'shop-1',
				name: 'Shopify shop',
				type: 'shopifyRelayApi',
				data: {
					shopDomain: shopify.shop,
					apiVersion: '2025-10',
					authMethod: 'accessToken',
					accessToken: ADMIN_TOKEN,
					clientSecret: CLIENT_SECRET,
					previousClientSecret: '',
					baseUrl: shopify.url,
				},
			},
			{
				id: 'meta-1',
				name: 'Meta double',
				type: 'metaConversionRelayApi',
				data: { accessToken: 'EAAB-queue-token', appSecret: '', apiVersion: 'v25.0', baseUrl: meta.url },
			},
			{
				id: 'hs-1',
				name: 'HubSpot',
				type: 'hubSpotRelayApi',
				data: { accessToken: HUBSPOT_TOKEN, baseUrl: hubspot.url },
			},
		]);
		const metaWorkflow = forImport('shopify-orders-to-meta-purchase.json', META_ID, {
			shopifyRelayApi: 'shop-1',
			conversionRelayApi: 'unused',
		});
		const metaNode = metaWorkflow.nodes.find((n) => n.type === 'n8n-nodes-conversion-relay.metaConversionsApi');
		if (!metaNode) throw new Error('no Meta node in the Meta workflow');
		metaNode.parameters.delivery = 'direct';
		metaNode.credentials = { metaConversionRelayApi: { id: 'meta-1', name: 'Meta double' } };
		const hubspotWorkflow = forImport('shopify-orders-to-hubspot.json', HUBSPOT_ID, {
			shopifyRelayApi: 'shop-1',
			hubSpotRelayApi: 'hs-1',
		});
		for (const wf of [metaWorkflow, hubspotWorkflow])
			webhookIds[wf.id as string] = String(
				(wf.nodes.find((n) => n.type === 'n8n-nodes-conversion-relay.shopifyRelayTrigger') as { webhookId?: string })
					.webhookId,
			);
		// One n8n setup for both workflows: one import, both published at once.
		await n8n.importWorkflow([metaWorkflow, hubspotWorkflow]);
		await Promise.all([n8n.publish(META_ID), n8n.publish(HUBSPOT_ID)]);
		timings.setup = Date.now() - t;

		t = Date.now();
		queue = await n8n.serveQueueMode({ webhookProcesses: 2, workers: 1, webhookUrl: `${lb.url}/` });
		timings.processesReady = Date.now() - t;
		lb.backends.push(...queue.webhooks.map((w) => w.url));
		// The main activated both workflows: one subscription each, at the load balancer's address.
		await eventually(
			async () => expect(shopify.subscriptions.map((s) => s.topic)).toEqual(['ORDERS_PAID', 'ORDERS_PAID']),
			60_000,
		);
		for (const id of [META_ID, HUBSPOT_ID])
			for (const w of queue.webhooks) await w.webhookLive(`${webhookIdOf(id)}/webhook`);
		timings.webhooksLive = Date.now() - t;
		rest = await ownerSession(queue.main.url);
	}, 45 * 60_000);

	afterAll(async () => {
		console.info(`queue mode timings (ms): ${JSON.stringify(timings)}`);
		await queue?.stop();
		await n8n?.close();
		await lb?.close();
		await hubspot?.close();
		await meta?.close();
		await shopify?.close();
	}, 120_000);

	it('registers each trigger once, at the load balancer; the main serves no production webhook', async () => {
		expect(shopify.subscriptions.map((s) => s.uri).sort()).toEqual(
			[META_ID, HUBSPOT_ID].map((id) => `${lb.url}/webhook/${webhookIdOf(id)}/webhook`).sort(),
		);
		// N8N_DISABLE_PRODUCTION_MAIN_PROCESS: a delivery sent to the main itself finds no webhook.
		const direct = await fetch(`${queue.main.url}${path(META_ID)}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(direct.status).toBe(404);
		await direct.text();
	});

	it(`${COPIES} copies of one delivery at once, over both webhook processes: at most one run per process, and the doubles end as after one delivery`, async () => {
		const from = lb.forwarded.length;
		const t = Date.now();
		const sent = await Promise.all(
			Array.from({ length: COPIES }, () =>
				shopify.deliver('orders/paid', burstOrder.webhook, { webhookId: 'wh-queue-burst' }),
			),
		);
		timings.burstAnswered = Date.now() - t;
		for (const response of sent.flat()) {
			expect(response.status).toBe(200);
			await response.text();
		}

		for (const id of [META_ID, HUBSPOT_ID]) {
			const got = answers(id, from);
			// Spread as a load balancer spreads them: half to each webhook process.
			expect(got.filter((a) => a.backend === 0)).toHaveLength(COPIES / 2);
			expect(got.filter((a) => a.backend === 1)).toHaveLength(COPIES / 2);
			// The process-wide memory: within one process, only the first copy starts a run.
			const started = [0, 1].map((b) => got.filter((a) => a.backend === b && !a.duplicate).length);
			for (const count of started) expect(count).toBeLessThanOrEqual(1);
			const total = started[0] + started[1];
			expect(total).toBeGreaterThanOrEqual(1);
			// Every copy that was not answered duplicate started one run (on the worker), and no other did.
			const list = await settled(id, total);
			await new Promise((r) => setTimeout(r, 1500));
			expect(await runs(id)).toHaveLength(total);
			for (const run of list) expect(queue.workers[0].log()).toContain(`Worker started execution ${run.id} `);
			timings[`burstRuns_${id}`] = total;
		}
		timings.burstSettled = Date.now() - t;

		// Meta: one request per run, each the same event (same event_id, same body); Meta counts an
		// event_id + event_name once (its deduplication), so this is one Purchase.
		const metaRuns = timings[`burstRuns_${META_ID}`];
		const requests = metaEvents(burstOrder.webhook.id);
		expect(requests).toHaveLength(metaRuns);
		for (const r of requests) expect(r.body.data).toEqual(requests[0].body.data);
		expect(requests[0].body.data).toHaveLength(1);
		expect(requests[0].body.data[0]).toMatchObject({
			event_name: 'Purchase',
			event_id: burstOrder.webhook.checkout_token,
			action_source: 'website',
			custom_data: { value: 154.85, currency: 'USD', order_id: String(burstOrder.webhook.id) },
		});

		// HubSpot: one contact with Shopify's absolute totals (not one increment per run), one deal
		// for the order (upserted by shopify_order_id), one association.
		expect(hubspot.contactByEmail(ana.email)?.properties).toMatchObject({
			email: ana.email,
			firstname: 'Ana',
			lastname: 'Lima',
			shopify_customer_id: String(ana.id),
			shopify_order_count: '3',
			shopify_total_spent: '389.7',
			shopify_last_order_id: String(burstOrder.webhook.id),
		});
		const deals = [...hubspot.deals.values()].filter(
			(d) => d.properties.shopify_order_id === String(burstOrder.webhook.id),
		);
		expect(deals.map((d) => d.properties)).toEqual([
			{
				shopify_order_id: String(burstOrder.webhook.id),
				dealname: `Shopify order #${burstOrder.webhook.order_number}`,
				amount: '154.85',
				closedate: new Date(burstOrder.processedMs).toISOString(),
				pipeline: 'default',
				dealstage: 'closedwon',
			},
		]);
		expect(hubspot.associations.filter((a) => a.dealId === deals[0].id)).toEqual([
			{ dealId: deals[0].id, contactId: hubspot.contactByEmail(ana.email)?.id },
		]);

		// The static data in the database holds the delivery once per workflow: written by a copy
		// answered as a duplicate, not by the runs (see the top of this file).
		const stored = await staticData();
		for (const id of [META_ID, HUBSPOT_ID]) expect(stored[id].split('event:wh-queue-burst').length - 1).toBe(1);
	}, 180_000);

	it(`${COPIES} copies of one delivery one after another, alternating processes: one run per process, because a run does not save the static data`, async () => {
		const from = lb.forwarded.length;
		const before = { meta: (await runs(META_ID)).length, hubspot: (await runs(HUBSPOT_ID)).length };
		const key = 'event:wh-queue-serial';
		const stored: Array<Record<string, string>> = [];
		const t = Date.now();
		for (let i = 0; i < COPIES; i++) {
			for (const response of await shopify.deliver('orders/paid', serialOrder.webhook, {
				webhookId: 'wh-queue-serial',
			})) {
				expect(response.status).toBe(200);
				await response.text();
			}
			// The webhook process answers after its saveStaticData: what it saved is in the database now.
			if (i < 3) stored.push(await staticData());
		}
		timings.serialAnswered = Date.now() - t;
		for (const id of [META_ID, HUBSPOT_ID]) {
			const got = answers(id, from);
			expect(got.map((a) => a.backend)).toEqual(Array.from({ length: COPIES }, (_, i) => i % 2));
			// Copy 1 runs at process 0, copy 2 at process 1 (its memory has not seen the key, and the
			// database does not hold it); from copy 3 on, each process remembers it.
			expect(got.map((a) => a.duplicate)).toEqual([false, false, ...Array(COPIES - 2).fill(true)]);
			// Neither run saved the key (n8n resets the change flag, see the top of this file); the
			// first duplicate (copy 3, process 0) did.
			expect(stored.map((s) => s[id].includes(key))).toEqual([false, false, true]);
		}
		await settled(META_ID, before.meta + 2);
		await settled(HUBSPOT_ID, before.hubspot + 2);
		await new Promise((r) => setTimeout(r, 1500));
		expect(await runs(META_ID)).toHaveLength(before.meta + 2);
		expect(await runs(HUBSPOT_ID)).toHaveLength(before.hubspot + 2);

		// Meta: the same event twice, byte for byte; Meta's event_id deduplication counts one.
		const requests = metaEvents(serialOrder.webhook.id);
		expect(requests).toHaveLength(2);
		expect(requests[1].body.data).toEqual(requests[0].body.data);
		expect(requests[0].body.data).toEqual([
			expect.objectContaining({ event_name: 'Purchase', event_id: serialOrder.webhook.checkout_token }),
		]);
		// HubSpot: the same absolute totals twice, one deal.
		expect(hubspot.contactByEmail(ben.email)?.properties).toMatchObject({
			shopify_order_count: '2',
			shopify_total_spent: '210.0',
			shopify_last_order_id: String(serialOrder.webhook.id),
		});
		expect(
			[...hubspot.deals.values()].filter((d) => d.properties.shopify_order_id === String(serialOrder.webhook.id)),
		).toHaveLength(1);
		// Both orders, each once.
		expect(hubspot.deals.size).toBe(2);
		expect(hubspot.contacts.size).toBe(2);
		expect(hubspot.associations).toHaveLength(2);
		timings.serialSettled = Date.now() - t;
	}, 180_000);
});
