import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { HubSpotRelay } from '../../nodes/HubSpotRelay/HubSpotRelay.node';
import { executeContext } from '../support/executeContext';

const HUB = 'https://hubspot.test';
const CONTACTS = '/crm/v3/objects/contacts/batch/upsert';
const DEALS = '/crm/v3/objects/deals/batch/upsert';
const ASSOCIATE = '/crm/v4/associations/deals/contacts/batch/associate/default';

// Parsed as n8n parses a webhook body: plain JSON.parse, so ids past 2^53 lose digits.
const fixture = (name: string) =>
	JSON.parse(readFileSync(join(__dirname, '../fixtures/shopify', name), 'utf8')) as IDataObject;
const sampleOrder = fixture('order-450789469.json');
const fbclidOrder = fixture('order-with-fbclid.json');
const sampleCustomer = fixture('customer-706405506930370084.json');

/** Items as the Shopify trigger emits them: the webhook body under payload. */
const triggerItems = (...payloads: IDataObject[]) =>
	payloads.map((payload, i) => ({
		json: { topic: 'orders/paid', shop: 'relay-test.myshopify.com', eventId: `e${i}`, payload },
	}));

function context(
	resource: string,
	operation: string,
	params: Record<string, unknown>,
	items: Array<{ json: IDataObject }>,
	continueOnFail = false,
) {
	return executeContext({
		items,
		credentials: { accessToken: 'pat-na1-TOKEN', baseUrl: HUB },
		continueOnFail,
		// What n8n resolves the default expression {{ $json.payload ?? $json }} to.
		params: {
			resource,
			operation,
			shopifyRecord: (i: number) => (items[i].json.payload ?? items[i].json) as IDataObject,
			...params,
		},
	});
}

const run = (ctx: ReturnType<typeof context>) => new HubSpotRelay().execute.call(ctx);

const upserted = (id: string, trace: string, properties: IDataObject, isNew: boolean) => ({
	id,
	properties: { ...properties, hs_object_id: id },
	new: isNew,
	objectWriteTraceId: trace,
});

// What HubSpot should receive for Mary's order (values from the fixture, read by hand).
const MARY_ORDER_CONTACT = {
	email: 'Mary.Jones@Example.com',
	firstname: 'Mary',
	lastname: 'Jones',
	phone: '+49 170 1234567',
	city: 'München',
	state: 'BY',
	zip: '80331',
	country: 'DE',
	shopify_customer_id: '7001',
	shopify_order_count: '3',
	shopify_total_spent: '240.70',
	shopify_last_order_id: '5847392847',
	shopify_last_order_date: '2026-11-20',
};

const BOB_ORDER_CONTACT = {
	email: 'bob.norman@mail.example.com',
	firstname: 'Bob',
	lastname: 'Norman',
	phone: '+557734881234',
	city: 'Louisville',
	state: 'KY',
	zip: '40202',
	country: 'US',
	shopify_customer_id: '207119551',
	shopify_last_order_id: '450789469',
	shopify_last_order_date: '2008-01-10',
};

afterEach(() => nock.cleanAll());
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('HubSpot node → contact record purchase', () => {
	it('writes Shopify’s absolute totals by e-mail: a redelivered order sends the very same body', async () => {
		const body = {
			inputs: [
				{ idProperty: 'email', id: 'Mary.Jones@Example.com', properties: MARY_ORDER_CONTACT, objectWriteTraceId: '0' },
			],
		};
		const scope = nock(HUB, { reqheaders: { authorization: 'Bearer pat-na1-TOKEN' } })
			.post(CONTACTS, body)
			.reply(200, { status: 'COMPLETE', results: [upserted('301', '0', { email: 'mary.jones@example.com' }, true)] })
			.post(CONTACTS, body)
			.reply(200, { status: 'COMPLETE', results: [upserted('301', '0', { email: 'mary.jones@example.com' }, false)] });
		const params = { recordType: 'auto', writeDetails: true, keepLater: false };
		const [first] = await run(context('contact', 'recordPurchase', params, triggerItems(fbclidOrder)));
		const [again] = await run(context('contact', 'recordPurchase', params, triggerItems(fbclidOrder)));
		expect(scope.isDone()).toBe(true);
		expect(first).toEqual([
			{
				json: {
					id: '301',
					new: true,
					properties: { email: 'mary.jones@example.com', hs_object_id: '301' },
					source: 'order',
					totalsWritten: true,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(again[0].json).toMatchObject({ id: '301', new: false });
	});

	it('batches several orders and customers into one request; a customer’s id past 2^53 stays exact', async () => {
		const scope = nock(HUB)
			.post(CONTACTS, {
				inputs: [
					{
						idProperty: 'email',
						id: 'bob.norman@mail.example.com',
						properties: BOB_ORDER_CONTACT,
						objectWriteTraceId: '0',
					},
					{
						idProperty: 'email',
						id: 'bob@biller.com',
						properties: {
							email: 'bob@biller.com',
							firstname: 'Bob',
							lastname: 'Biller',
							phone: '555-555-5555',
							city: 'Ottawa',
							state: 'ON',
							zip: 'K2P 2L8',
							country: 'CA',
							shopify_customer_id: '706405506930370084',
						},
						objectWriteTraceId: '1',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('2', '1', {}, true), upserted('1', '0', {}, false)] });
		const [out] = await run(
			context(
				'contact',
				'recordPurchase',
				{ recordType: 'auto', writeDetails: true, keepLater: false },
				triggerItems(sampleOrder, sampleCustomer),
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => [o.json.id, o.json.source, o.pairedItem])).toEqual([
			['1', 'order', { item: 0 }],
			['2', 'customer', { item: 1 }],
		]);
	});

	it('writes only the e-mail and the shopify_* properties when contact details are off', async () => {
		const scope = nock(HUB)
			.post(CONTACTS, {
				inputs: [
					{
						idProperty: 'email',
						id: 'Mary.Jones@Example.com',
						properties: {
							email: 'Mary.Jones@Example.com',
							shopify_customer_id: '7001',
							shopify_order_count: '3',
							shopify_total_spent: '240.70',
							shopify_last_order_id: '5847392847',
							shopify_last_order_date: '2026-11-20',
						},
						objectWriteTraceId: '0',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('301', '0', {}, false)] });
		await run(
			context(
				'contact',
				'recordPurchase',
				{ recordType: 'order', writeDetails: false, keepLater: false },
				triggerItems(fbclidOrder),
			),
		);
		expect(scope.isDone()).toBe(true);
	});

	it('fails an order without any e-mail on its own item', async () => {
		const anonymous = { id: 6100000001, order_number: 1100, total_price: '10.00', line_items: [] };
		const scope = nock(HUB)
			.post(CONTACTS, {
				inputs: [
					{
						idProperty: 'email',
						id: 'bob.norman@mail.example.com',
						properties: BOB_ORDER_CONTACT,
						objectWriteTraceId: '1',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('1', '1', {}, false)] });
		const [out] = await run(
			context(
				'contact',
				'recordPurchase',
				{ recordType: 'auto', writeDetails: true, keepLater: false },
				triggerItems(anonymous, sampleOrder),
				true,
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out[0]).toEqual({
			json: { error: 'The Shopify order has no e-mail: HubSpot contacts are upserted by e-mail' },
			pairedItem: { item: 0 },
		});
		await expect(
			run(
				context(
					'contact',
					'recordPurchase',
					{ recordType: 'auto', writeDetails: true, keepLater: false },
					triggerItems(anonymous),
				),
			),
		).rejects.toThrow('The Shopify order has no e-mail');
	});
});

describe('HubSpot node → contact record purchase, deliveries out of order', () => {
	const READ = '/crm/v3/objects/contacts/batch/read';
	const readBody = (...emails: string[]) => ({
		idProperty: 'email',
		properties: ['email', 'shopify_order_count', 'shopify_last_order_date'],
		inputs: emails.map((id) => ({ id })),
	});
	const {
		shopify_order_count,
		shopify_total_spent,
		shopify_last_order_id,
		shopify_last_order_date,
		...MARY_WITHOUT_COUNTERS
	} = MARY_ORDER_CONTACT;
	const params = { recordType: 'auto', writeDetails: true, keepLater: true };

	it('leaves the totals alone where the contact already shows more orders; writes them where it does not exist yet', async () => {
		expect([shopify_order_count, shopify_total_spent, shopify_last_order_id, shopify_last_order_date]).toEqual([
			'3',
			'240.70',
			'5847392847',
			'2026-11-20',
		]);
		const scope = nock(HUB)
			.post(READ, readBody('Mary.Jones@Example.com', 'bob.norman@mail.example.com'))
			.reply(207, {
				status: 'COMPLETE',
				results: [
					{
						id: '301',
						properties: {
							email: 'mary.jones@example.com',
							shopify_order_count: '4',
							shopify_last_order_date: '2026-12-02',
							hs_object_id: '301',
						},
					},
				],
				errors: [
					{
						status: 'error',
						category: 'OBJECT_NOT_FOUND',
						message: 'Could not get some CONTACT objects, they may be deleted or not exist.',
						context: { ids: ['bob.norman@mail.example.com'] },
					},
				],
			})
			.post(CONTACTS, {
				inputs: [
					{
						idProperty: 'email',
						id: 'Mary.Jones@Example.com',
						properties: MARY_WITHOUT_COUNTERS,
						objectWriteTraceId: '0',
					},
					{
						idProperty: 'email',
						id: 'bob.norman@mail.example.com',
						properties: BOB_ORDER_CONTACT,
						objectWriteTraceId: '1',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('301', '0', {}, false), upserted('302', '1', {}, true)] });
		const [out] = await run(context('contact', 'recordPurchase', params, triggerItems(fbclidOrder, sampleOrder)));
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => [o.json.id, o.json.totalsWritten])).toEqual([
			['301', false],
			['302', true],
		]);
	});

	it('writes the totals when the contact is behind or level (a redelivery), comparing dates when counts are missing', async () => {
		const scope = nock(HUB)
			.post(READ, readBody('Mary.Jones@Example.com', 'bob.norman@mail.example.com'))
			.reply(200, {
				status: 'COMPLETE',
				results: [
					{
						id: '301',
						properties: {
							email: 'mary.jones@example.com',
							shopify_order_count: '3',
							shopify_last_order_date: '2026-11-20',
						},
					},
					// Midnight UTC of 2008-01-09 in ms: one day before the sample order.
					{
						id: '302',
						properties: {
							email: 'bob.norman@mail.example.com',
							shopify_order_count: null,
							shopify_last_order_date: String(Date.UTC(2008, 0, 9)),
						},
					},
				],
			})
			.post(CONTACTS, {
				inputs: [
					{
						idProperty: 'email',
						id: 'Mary.Jones@Example.com',
						properties: MARY_ORDER_CONTACT,
						objectWriteTraceId: '0',
					},
					{
						idProperty: 'email',
						id: 'bob.norman@mail.example.com',
						properties: BOB_ORDER_CONTACT,
						objectWriteTraceId: '1',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('301', '0', {}, false), upserted('302', '1', {}, false)] });
		const [out] = await run(context('contact', 'recordPurchase', params, triggerItems(fbclidOrder, sampleOrder)));
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => o.json.totalsWritten)).toEqual([true, true]);
	});

	it('keeps the newer of two deliveries for the same customer in one run when the older comes last', async () => {
		const newer = {
			...fbclidOrder,
			id: 5847392999,
			customer: {
				...(fbclidOrder.customer as IDataObject),
				orders_count: 4,
				total_spent: '300.10',
				last_order_id: 5847392999,
			},
		};
		const scope = nock(HUB)
			.post(READ, readBody('Mary.Jones@Example.com'))
			.reply(207, {
				status: 'COMPLETE',
				results: [],
				errors: [
					{
						status: 'error',
						category: 'OBJECT_NOT_FOUND',
						message: 'not found',
						context: { ids: ['Mary.Jones@Example.com'] },
					},
				],
			})
			.post(CONTACTS, {
				inputs: [
					{
						idProperty: 'email',
						id: 'Mary.Jones@Example.com',
						properties: {
							...MARY_ORDER_CONTACT,
							shopify_order_count: '4',
							shopify_total_spent: '300.10',
							shopify_last_order_id: '5847392999',
						},
						objectWriteTraceId: '0',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('301', '0', {}, true)] });
		const [out] = await run(context('contact', 'recordPurchase', params, triggerItems(newer, fbclidOrder)));
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => [o.json.id, o.json.totalsWritten])).toEqual([
			['301', true],
			['301', false],
		]);

		// The other way round the newer one comes last anyway; the older one is still marked as not written.
		const again = nock(HUB)
			.post(READ, readBody('Mary.Jones@Example.com'))
			.reply(200, { status: 'COMPLETE', results: [] })
			.post(CONTACTS, {
				inputs: [
					{
						idProperty: 'email',
						id: 'Mary.Jones@Example.com',
						properties: {
							...MARY_ORDER_CONTACT,
							shopify_order_count: '4',
							shopify_total_spent: '300.10',
							shopify_last_order_id: '5847392999',
						},
						objectWriteTraceId: '0',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('301', '0', {}, false)] });
		const [reversed] = await run(context('contact', 'recordPurchase', params, triggerItems(fbclidOrder, newer)));
		expect(again.isDone()).toBe(true);
		expect(reversed.map((o) => o.json.totalsWritten)).toEqual([false, true]);
	});

	it('writes nothing for items whose current totals cannot be read, with HubSpot’s message', async () => {
		const scope = nock(HUB).post(READ).reply(403, {
			status: 'error',
			message: "This app hasn't been granted all required scopes to make this call.",
			category: 'MISSING_SCOPES',
		});
		const [out] = await run(context('contact', 'recordPurchase', params, triggerItems(fbclidOrder), true));
		expect(scope.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(out).toEqual([
			{
				json: {
					error:
						"Reading the contact's current totals: This app hasn't been granted all required scopes to make this call.",
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('HubSpot node → deal upsert from order', () => {
	const SAMPLE_DEAL = {
		dealname: 'Shopify order #1001',
		amount: '598.94',
		closedate: '2008-01-10T16:00:00.000Z',
		pipeline: 'default',
		dealstage: 'closedwon',
		shopify_order_id: '450789469',
	};

	it('makes sure the contact exists, then upserts the deal by shopify_order_id, then associates them', async () => {
		const scope = nock(HUB)
			.post(CONTACTS, {
				inputs: [
					{
						idProperty: 'email',
						id: 'bob.norman@mail.example.com',
						properties: { email: 'bob.norman@mail.example.com' },
						objectWriteTraceId: '0',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('C1', '0', {}, false)] })
			.post(DEALS, {
				inputs: [{ idProperty: 'shopify_order_id', id: '450789469', properties: SAMPLE_DEAL, objectWriteTraceId: '0' }],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('D1', '0', { shopify_order_id: '450789469' }, true)] })
			.post(ASSOCIATE, { inputs: [{ from: { id: 'D1' }, to: { id: 'C1' } }] })
			.reply(200, {
				status: 'COMPLETE',
				results: [
					{
						from: { id: 'D1' },
						to: { id: 'C1' },
						associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 },
					},
				],
			});
		const [out] = await run(
			context(
				'deal',
				'upsertFromOrder',
				{ pipeline: 'default', dealstage: 'closedwon', options: {} },
				triggerItems(sampleOrder),
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{
				json: {
					id: 'D1',
					new: true,
					properties: { shopify_order_id: '450789469', hs_object_id: 'D1' },
					contact: { id: 'C1', new: false },
					associated: true,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('takes pipeline, stage and currency from the node; writes the totals to the contact when asked, after checking they are not behind', async () => {
		const scope = nock(HUB)
			.post('/crm/v3/objects/contacts/batch/read', {
				idProperty: 'email',
				properties: ['email', 'shopify_order_count', 'shopify_last_order_date'],
				inputs: [{ id: 'Mary.Jones@Example.com' }],
			})
			.reply(200, {
				status: 'COMPLETE',
				results: [{ id: 'C7', properties: { email: 'mary.jones@example.com', shopify_order_count: '2' } }],
			})
			.post(CONTACTS, {
				inputs: [
					{
						idProperty: 'email',
						id: 'Mary.Jones@Example.com',
						properties: MARY_ORDER_CONTACT,
						objectWriteTraceId: '0',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('C7', '0', {}, true)] })
			.post(DEALS, {
				inputs: [
					{
						idProperty: 'shopify_order_id',
						id: '5847392847',
						properties: {
							dealname: 'Shopify order #1042',
							amount: '89.90',
							closedate: '2026-11-20T10:30:05.000Z',
							pipeline: '75e28846-ad0d-4be2-a027-5e1da6590b98',
							dealstage: '3',
							deal_currency_code: 'EUR',
							shopify_order_id: '5847392847',
						},
						objectWriteTraceId: '0',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('D7', '0', {}, false)] })
			.post(ASSOCIATE, { inputs: [{ from: { id: 'D7' }, to: { id: 'C7' } }] })
			.reply(201, { status: 'COMPLETE', results: [] });
		const [out] = await run(
			context(
				'deal',
				'upsertFromOrder',
				{
					pipeline: '75e28846-ad0d-4be2-a027-5e1da6590b98',
					dealstage: '3',
					options: { includeCurrency: true, writeTotals: true },
				},
				triggerItems(fbclidOrder),
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out[0].json).toMatchObject({ id: 'D7', contact: { id: 'C7', new: true }, associated: true });
	});

	it('writes no deal for an item whose contact HubSpot rejects; the others go on', async () => {
		const badOrder = {
			...fbclidOrder,
			email: 'mary@@example',
			customer: { ...(fbclidOrder.customer as IDataObject), email: null },
		};
		const scope = nock(HUB)
			.post(CONTACTS)
			.reply(207, {
				status: 'COMPLETE',
				results: [upserted('C1', '1', {}, false)],
				errors: [
					{
						status: 'error',
						category: 'VALIDATION_ERROR',
						message: 'Email address mary@@example is invalid',
						context: { objectWriteTraceId: ['0'] },
					},
				],
			})
			.post(DEALS, {
				inputs: [{ idProperty: 'shopify_order_id', id: '450789469', properties: SAMPLE_DEAL, objectWriteTraceId: '1' }],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('D1', '1', {}, false)] })
			.post(ASSOCIATE, { inputs: [{ from: { id: 'D1' }, to: { id: 'C1' } }] })
			.reply(200, { status: 'COMPLETE', results: [] });
		const [out] = await run(
			context(
				'deal',
				'upsertFromOrder',
				{ pipeline: 'default', dealstage: 'closedwon', options: {} },
				triggerItems(badOrder, sampleOrder),
				true,
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{ json: { error: 'Email address mary@@example is invalid' }, pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ id: 'D1', associated: true }), pairedItem: { item: 1 } },
		]);
	});

	it('writes the deal unassociated when the order has no e-mail, and reports a failed association', async () => {
		const anonymous = {
			id: 6100000001,
			order_number: 1100,
			total_price: '10.00',
			processed_at: '2026-11-21T09:00:00Z',
		};
		const scope = nock(HUB)
			.post(CONTACTS, {
				inputs: [
					{
						idProperty: 'email',
						id: 'bob.norman@mail.example.com',
						properties: { email: 'bob.norman@mail.example.com' },
						objectWriteTraceId: '1',
					},
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('C1', '1', {}, false)] })
			.post(DEALS, {
				inputs: [
					{
						idProperty: 'shopify_order_id',
						id: '6100000001',
						properties: {
							dealname: 'Shopify order #1100',
							amount: '10.00',
							closedate: '2026-11-21T09:00:00.000Z',
							pipeline: 'default',
							dealstage: 'closedwon',
							shopify_order_id: '6100000001',
						},
						objectWriteTraceId: '0',
					},
					{ idProperty: 'shopify_order_id', id: '450789469', properties: SAMPLE_DEAL, objectWriteTraceId: '1' },
				],
			})
			.reply(200, { status: 'COMPLETE', results: [upserted('D0', '0', {}, true), upserted('D1', '1', {}, true)] })
			.post(ASSOCIATE, { inputs: [{ from: { id: 'D1' }, to: { id: 'C1' } }] })
			.reply(403, {
				status: 'error',
				message: "This app hasn't been granted all required scopes to make this call.",
				category: 'MISSING_SCOPES',
				correlationId: 'c-403',
			});
		const [out] = await run(
			context(
				'deal',
				'upsertFromOrder',
				{ pipeline: 'default', dealstage: 'closedwon', options: {} },
				triggerItems(anonymous, sampleOrder),
				true,
			),
		);
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{
				json: { id: 'D0', new: true, properties: { hs_object_id: 'D0' }, contact: null, associated: false },
				pairedItem: { item: 0 },
			},
			{
				json: {
					error:
						"Associating the deal with its contact: This app hasn't been granted all required scopes to make this call.",
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('explains a deal upsert HubSpot refuses because shopify_order_id is not unique', async () => {
		nock(HUB)
			.post(CONTACTS)
			.reply(200, { status: 'COMPLETE', results: [upserted('C1', '0', {}, false)] })
			.post(DEALS)
			.reply(400, {
				status: 'error',
				message: 'shopify_order_id is not a unique identifier property',
				category: 'VALIDATION_ERROR',
				correlationId: 'c-u',
			});
		await expect(
			run(
				context(
					'deal',
					'upsertFromOrder',
					{ pipeline: 'default', dealstage: 'closedwon', options: {} },
					triggerItems(sampleOrder),
				),
			),
		).rejects.toThrow('Item 0: shopify_order_id is not a unique identifier property');
	});
});

describe('HubSpot node → property ensure', () => {
	const group = { name: 'shopify', label: 'Shopify' };
	const contactProperty = (name: string, label: string, type: string, fieldType: string, description?: string) => ({
		name,
		label,
		type,
		fieldType,
		groupName: 'shopify',
		...(description ? { description } : {}),
	});
	const CONTACT_PROPERTIES = [
		contactProperty('shopify_customer_id', 'Shopify customer ID', 'string', 'text'),
		contactProperty(
			'shopify_order_count',
			'Shopify order count',
			'number',
			'number',
			"Shopify's own count of the customer's orders",
		),
		contactProperty(
			'shopify_total_spent',
			'Shopify total spent',
			'number',
			'number',
			"Shopify's own total, in the shop's currency",
		),
		contactProperty('shopify_last_order_date', 'Shopify last order date', 'date', 'date'),
		contactProperty('shopify_last_order_id', 'Shopify last order ID', 'string', 'text'),
		contactProperty('shopify_first_order_date', 'Shopify first order date', 'date', 'date'),
	];
	const exists = (what: string) =>
		[
			409,
			{ status: 'error', message: `${what} already exists`, category: 'OBJECT_ALREADY_EXISTS', correlationId: 'c-409' },
		] as const;

	it('creates the groups and properties once per run, counting 409 as already there, one summary for all items', async () => {
		let scope = nock(HUB, { reqheaders: { authorization: 'Bearer pat-na1-TOKEN' } })
			.post('/crm/v3/properties/contacts/groups', group)
			.reply(...exists('A property group named shopify'));
		for (const [k, property] of CONTACT_PROPERTIES.entries()) {
			const interceptor = scope.post('/crm/v3/properties/contacts', property);
			scope =
				k < 2
					? interceptor.reply(...exists(`A property named ${property.name}`))
					: interceptor.reply(201, { ...property, createdAt: 'now' });
		}
		scope = scope
			.post('/crm/v3/properties/deals/groups', group)
			.reply(201, group)
			.post('/crm/v3/properties/deals', {
				name: 'shopify_order_id',
				label: 'Shopify order ID',
				type: 'string',
				fieldType: 'text',
				groupName: 'shopify',
				hasUniqueValue: true,
			})
			.reply(201, {});
		const [out] = await run(context('property', 'ensure', {}, [{ json: {} }, { json: {} }, { json: {} }]));
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{
				json: {
					created: [
						'contacts/shopify_total_spent',
						'contacts/shopify_last_order_date',
						'contacts/shopify_last_order_id',
						'contacts/shopify_first_order_date',
						'deals/groups/shopify',
						'deals/shopify_order_id',
					],
					existed: ['contacts/groups/shopify', 'contacts/shopify_customer_id', 'contacts/shopify_order_count'],
				},
				pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }],
			},
		]);
	});

	it('stops at another error with HubSpot’s message, or reports it in the summary with continue on fail', async () => {
		const denied = {
			status: 'error',
			message:
				"This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
			category: 'MISSING_SCOPES',
			correlationId: 'c-403',
		};
		nock(HUB)
			.post('/crm/v3/properties/contacts/groups')
			.reply(201, group)
			.post('/crm/v3/properties/contacts')
			.reply(403, denied);
		await expect(run(context('property', 'ensure', {}, [{ json: {} }]))).rejects.toThrow(
			`Creating contacts/shopify_customer_id: ${denied.message}`,
		);

		const scope = nock(HUB)
			.post('/crm/v3/properties/contacts/groups')
			.reply(201, group)
			.post('/crm/v3/properties/contacts')
			.reply(403, denied);
		const [out] = await run(context('property', 'ensure', {}, [{ json: {} }, { json: {} }], true));
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{
				json: {
					created: ['contacts/groups/shopify'],
					existed: [],
					failed: 'contacts/shopify_customer_id',
					error: `Creating contacts/shopify_customer_id: ${denied.message}`,
				},
				pairedItem: [{ item: 0 }, { item: 1 }],
			},
		]);
	});
});
