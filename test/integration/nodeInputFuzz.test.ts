import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { ConversionRelayApi } from '../../credentials/ConversionRelayApi.credentials';
import { ConversionRelay } from '../../nodes/ConversionRelay/ConversionRelay.node';
import { HubSpotRelay } from '../../nodes/HubSpotRelay/HubSpotRelay.node';
import { MetaConversionsApi } from '../../nodes/MetaConversionsApi/MetaConversionsApi.node';
import { MetaCustomAudiences } from '../../nodes/MetaCustomAudiences/MetaCustomAudiences.node';
import { startAudiencesDouble, type AudiencesDouble } from '../support/audiencesDouble';
import { executeContext } from '../support/executeContext';
import { startHubSpotDouble, type HubSpotDouble } from '../support/hubspotDouble';
import { startMetaDouble } from '../support/metaDouble';
import { Random } from '../support/random';
import { startRelay, type TestRelay } from '../support/relayServer';

/**
 * Bad input for the nodes: items whose fields hold what expressions can hand a node (wrong
 * types, huge or empty strings, control and unicode tricks, nested objects, broken JSON). With
 * "continue on fail", every item gets an output paired with it: a result, or an error that says
 * what is wrong in words (not a TypeError) and repeats none of the item's personal data. Without
 * it, the run stops with a NodeOperationError/NodeApiError naming the item. Clean items land.
 */
const RUNS = Number(process.env.NODE_FUZZ_RUNS ?? 30);
const ITEMS = 20;
const rnd = new Random(20261124);

const HUGE = 'x'.repeat(200_000);
const POISON: unknown[] = [
	1,
	-1,
	0,
	1e308,
	Number.NaN,
	Number.POSITIVE_INFINITY,
	true,
	false,
	null,
	[],
	{},
	[[]],
	{ a: { b: { c: {} } } },
	['a@b.co', 'c@d.co'],
	'',
	' ',
	HUGE,
	'\u0000',
	'a\u0000b',
	'\u202eevil',
	'\u200b',
	'\ud800',
	'\uffff',
	'ｅｍａｉｌ@ｅｘａｍｐｌｅ.ｃｏｍ',
	'١٢٣٤٥٦٧',
	'é'.normalize('NFD').repeat(3),
	'\u{1F600}'.repeat(50),
	'{{ $json.x }}',
	'<script>alert(1)</script>',
	"'; DROP TABLE relay_events; --",
	'a\r\nX-Injected: 1',
	'%00',
	'%s%n',
	'{"broken":',
];
// What a crash looks like when it reaches the user instead of a sentence about their data.
const CRASH =
	/Cannot read propert|is not a function|is not iterable|Cannot convert|Maximum call stack|\[object Object\]|TypeError|RangeError|Invalid array length|undefined \(reading/;

interface Person {
	email: string;
	phone: string;
	firstName: string;
	lastName: string;
	order: string;
	value: number;
}

function person(run: number, i: number): Person {
	return {
		email: `Fuzz.Person${run}x${i}@Example.com`,
		phone: `+1 415 555 ${String(1000 + i).slice(-4)}`,
		firstName: `Annette${i}`,
		lastName: `Fuzzmeyer${run}`,
		order: `fz-${run}-${i}`,
		value: 10 + i,
	};
}

/** The personal values an error message must not repeat. */
const personal = (p: Person) => [p.email, p.email.toLowerCase(), p.phone, p.firstName, p.lastName];

interface Case {
	label: string;
	/** One run: items, where some have one field replaced by a poison value. */
	run(ctx: {
		items: Person[];
		poisoned: Map<number, [string, unknown]>;
		continueOnFail: boolean;
	}): Promise<INodeExecutionData[]>;
	/** Fields the fuzzer may poison. */
	fields: string[];
	/** How many outputs a run gives: one per item, or one summary. */
	shape: 'perItem' | 'summary';
}

type Value = IDataObject[string];

function poisonedValue(p: Map<number, [string, unknown]>, i: number, field: string, clean: Value): Value {
	const hit = p.get(i);
	return (hit && hit[0] === field ? hit[1] : clean) as Value;
}

describe('node input fuzzing: every item gets a clear, paired, PII-free outcome', () => {
	let relay: TestRelay;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let audiences: AudiencesDouble;
	let hubspot: HubSpotDouble;
	let audienceId: string;
	const relayCredential = new ConversionRelayApi();

	beforeAll(async () => {
		meta = await startMetaDouble();
		audiences = await startAudiencesDouble({ token: 'EAAB-fuzz', account: '555' });
		audienceId = audiences.seed('Fuzz audience');
		hubspot = await startHubSpotDouble({ token: 'pat-fuzz' });
		relay = await startRelay('pglite', { META_ACCESS_TOKEN: 'EAAB-relay', META_GRAPH_URL: meta.url });
	});
	afterAll(async () => {
		await relay?.close();
		await Promise.all([meta?.close(), audiences?.close(), hubspot?.close()]);
	});

	const eventParams = (items: Person[], p: Map<number, [string, unknown]>) => ({
		resource: 'event',
		operation: 'send',
		pixelId: (i: number) => poisonedValue(p, i, 'pixelId', '123456'),
		eventName: (i: number) => poisonedValue(p, i, 'eventName', 'Purchase'),
		customEventName: '',
		actionSource: (i: number) => poisonedValue(p, i, 'actionSource', 'system_generated'),
		eventTime: (i: number) => poisonedValue(p, i, 'eventTime', ''),
		eventId: (i: number) => poisonedValue(p, i, 'eventId', items[i].order),
		eventSourceUrl: (i: number) => poisonedValue(p, i, 'eventSourceUrl', ''),
		userData: (i: number) => ({
			email: poisonedValue(p, i, 'email', items[i].email),
			phone: poisonedValue(p, i, 'phone', items[i].phone),
			firstName: poisonedValue(p, i, 'firstName', items[i].firstName),
			lastName: poisonedValue(p, i, 'lastName', items[i].lastName),
			country: poisonedValue(p, i, 'country', 'US'),
		}),
		customData: (i: number) => ({
			value: poisonedValue(p, i, 'value', items[i].value),
			currency: poisonedValue(p, i, 'currency', 'usd'),
			contents: poisonedValue(p, i, 'contents', '[]'),
		}),
		options: {},
	});
	const EVENT_FIELDS = [
		'pixelId',
		'eventName',
		'actionSource',
		'eventTime',
		'eventId',
		'eventSourceUrl',
		'email',
		'phone',
		'firstName',
		'lastName',
		'country',
		'value',
		'currency',
		'contents',
	];

	const order = (items: Person[], p: Map<number, [string, unknown]>, i: number): IDataObject => {
		const base = items[i];
		const whole = poisonedValue(p, i, 'order', undefined);
		if (whole !== undefined) return whole as IDataObject;
		return {
			id: 450789469000 + i,
			admin_graphql_api_id: `gid://shopify/Order/${450789469000 + i}`,
			email: poisonedValue(p, i, 'email', base.email),
			total_price: poisonedValue(p, i, 'total_price', String(base.value)),
			currency: poisonedValue(p, i, 'currency', 'EUR'),
			processed_at: poisonedValue(p, i, 'processed_at', '2026-11-20T10:00:00Z'),
			updated_at: '2026-11-20T10:00:00Z',
			name: `#${1000 + i}`,
			line_items: poisonedValue(p, i, 'line_items', [
				{ id: 1, product_id: 7, title: 'Shirt', quantity: 1, price: String(base.value) },
			]),
			customer: poisonedValue(p, i, 'customer', {
				id: 7000 + i,
				email: base.email,
				first_name: base.firstName,
				last_name: base.lastName,
				orders_count: 2,
				total_spent: String(base.value * 2),
				phone: base.phone,
			}),
		};
	};
	const hubspotContext = (
		operation: string,
		resource: string,
		params: IDataObject,
		items: Person[],
		continueOnFail: boolean,
	) =>
		executeContext({
			items: items.map((json) => ({ json: json as unknown as IDataObject })),
			credentials: { accessToken: 'pat-fuzz', baseUrl: hubspot.url },
			continueOnFail,
			params: { resource, operation, ...params },
		});

	const cases: Case[] = [
		{
			label: 'Meta Conversions API → send (direct)',
			fields: EVENT_FIELDS,
			shape: 'perItem',
			run: async ({ items, poisoned, continueOnFail }) => {
				const ctx = executeContext({
					items: items.map(() => ({ json: {} })),
					credentials: { accessToken: 'EAAB-n8n', apiVersion: 'v25.0', baseUrl: meta.url, appSecret: '' },
					continueOnFail,
					params: { delivery: 'direct', ...eventParams(items, poisoned) },
				});
				return (await new MetaConversionsApi().execute.call(ctx))[0];
			},
		},
		{
			label: 'Meta Conversions API → send (Map Automatically: the items are the events)',
			fields: [
				'email',
				'phone',
				'first_name',
				'user_data',
				'custom_data',
				'value',
				'currency',
				'event_id',
				'event_time',
				'event_name',
				'action_source',
				'event_source_url',
			],
			shape: 'perItem',
			run: async ({ items, poisoned, continueOnFail }) => {
				const events = items.map((p, i) => {
					const event: IDataObject = {
						email: p.email,
						phone: p.phone,
						first_name: p.firstName,
						user_data: { ln: p.lastName, country: 'US' },
						custom_data: { order_id: p.order },
						value: p.value,
						currency: 'usd',
						event_id: p.order,
					};
					const hit = poisoned.get(i);
					if (hit) event[hit[0]] = hit[1] as Value;
					return { json: event };
				});
				const ctx = executeContext({
					items: events,
					credentials: { accessToken: 'EAAB-n8n', apiVersion: 'v25.0', baseUrl: meta.url, appSecret: '' },
					continueOnFail,
					params: {
						delivery: 'direct',
						resource: 'event',
						operation: 'send',
						mapping: 'auto',
						pixelId: '123456',
						eventName: 'Purchase',
						actionSource: 'system_generated',
						options: {},
					},
				});
				return (await new MetaConversionsApi().execute.call(ctx))[0];
			},
		},
		{
			label: 'Conversion Relay → send (real service)',
			fields: EVENT_FIELDS,
			shape: 'perItem',
			run: async ({ items, poisoned, continueOnFail }) => {
				const ctx = executeContext({
					items: items.map(() => ({ json: {} })),
					credentials: { baseUrl: relay.url, apiSecret: relay.apiSecret },
					authenticateRequest: relayCredential.authenticate,
					continueOnFail,
					params: eventParams(items, poisoned),
				});
				return (await new ConversionRelay().execute.call(ctx))[0];
			},
		},
		{
			label: 'Meta Custom Audiences → users add',
			fields: ['email', 'phone', 'firstName', 'lastName', 'audienceId'],
			shape: 'summary',
			run: async ({ items, poisoned, continueOnFail }) => {
				const ctx = executeContext({
					items: items.map(() => ({ json: {} })),
					credentials: { accessToken: 'EAAB-fuzz', apiVersion: 'v25.0', baseUrl: audiences.url, appSecret: '' },
					continueOnFail,
					params: {
						resource: 'users',
						operation: 'add',
						audienceId: (i: number) => poisonedValue(poisoned, i, 'audienceId', audienceId),
						schema: ['EMAIL', 'PHONE', 'FN', 'LN'],
						customer: (i: number) => ({
							email: poisonedValue(poisoned, i, 'email', items[i].email),
							phone: poisonedValue(poisoned, i, 'phone', items[i].phone),
							firstName: poisonedValue(poisoned, i, 'firstName', items[i].firstName),
							lastName: poisonedValue(poisoned, i, 'lastName', items[i].lastName),
						}),
						options: {},
					},
				});
				return (await new MetaCustomAudiences().execute.call(ctx))[0];
			},
		},
		{
			label: 'HubSpot → contact upsert',
			fields: ['email', 'firstname', 'propertiesJson'],
			shape: 'perItem',
			run: async ({ items, poisoned, continueOnFail }) => {
				const json = (i: number) => poisoned.has(i) && poisoned.get(i)![0] === 'propertiesJson';
				const params = {
					email: (i: number) => poisonedValue(poisoned, i, 'email', items[i].email),
					propertiesInput: (i: number) => (json(i) ? 'json' : 'fields'),
					propertiesJson: (i: number) => poisonedValue(poisoned, i, 'propertiesJson', '{}'),
					properties: (i: number) => ({
						property: [{ name: 'firstname', value: poisonedValue(poisoned, i, 'firstname', items[i].firstName) }],
					}),
				};
				return (
					await new HubSpotRelay().execute.call(hubspotContext('upsert', 'contact', params, items, continueOnFail))
				)[0];
			},
		},
		{
			label: 'HubSpot → record purchase (Shopify order)',
			fields: ['order', 'email', 'total_price', 'currency', 'processed_at', 'line_items', 'customer'],
			shape: 'perItem',
			run: async ({ items, poisoned, continueOnFail }) => {
				const params = {
					recordType: 'auto',
					writeDetails: true,
					keepLater: true,
					shopifyRecord: (i: number) => order(items, poisoned, i),
				};
				return (
					await new HubSpotRelay().execute.call(
						hubspotContext('recordPurchase', 'contact', params, items, continueOnFail),
					)
				)[0];
			},
		},
		{
			label: 'HubSpot → deal from order',
			fields: ['order', 'email', 'total_price', 'currency', 'processed_at', 'line_items', 'customer'],
			shape: 'perItem',
			run: async ({ items, poisoned, continueOnFail }) => {
				const params = {
					shopifyRecord: (i: number) => order(items, poisoned, i),
					pipeline: 'default',
					dealstage: 'closedwon',
					options: {},
				};
				return (
					await new HubSpotRelay().execute.call(
						hubspotContext('upsertFromOrder', 'deal', params, items, continueOnFail),
					)
				)[0];
			},
		},
	];

	it.each(cases.map((c) => [c.label, RUNS, c] as const))(
		'%s: %d runs of 20 items, a third poisoned',
		async (_label, _runs, c) => {
			let poisonedItems = 0;
			let errors = 0;
			for (let run = 0; run < RUNS; run++) {
				const items = Array.from({ length: ITEMS }, (_, i) => person(run, i));
				const poisoned = new Map<number, [string, unknown]>();
				for (let i = 0; i < ITEMS; i++) if (rnd.chance(0.33)) poisoned.set(i, [rnd.pick(c.fields), rnd.pick(POISON)]);
				poisonedItems += poisoned.size;
				const label = `${c.label}, run ${run}: ${JSON.stringify([...poisoned].map(([i, [f, v]]) => [i, f, typeof v === 'string' ? v.slice(0, 40) : v]))}`;

				let out: INodeExecutionData[];
				try {
					out = await c.run({ items, poisoned, continueOnFail: true });
				} catch (error) {
					throw new Error(`${label}: threw with continue on fail: ${(error as Error).stack}`);
				}
				const paired = new Set(
					out.flatMap((o) => [o.pairedItem].flat()).map((p) => (typeof p === 'object' && p ? p.item : p)),
				);
				for (let i = 0; i < ITEMS; i++)
					if (!paired.has(i)) throw new Error(`${label}: item ${i} has no output paired with it`);
				const messages: string[] = [];
				for (const o of out) {
					if (typeof o.json.error === 'string') messages.push(o.json.error);
					for (const s of (o.json.invalid_item_samples as Array<{ reason: string }> | undefined) ?? [])
						messages.push(s.reason);
				}
				errors += messages.length;
				for (const m of messages) {
					if (CRASH.test(m) || m.trim().length < 8) throw new Error(`${label}: unclear error "${m.slice(0, 300)}"`);
					if (m.length > 2000) throw new Error(`${label}: error of ${m.length} characters echoes the input`);
					for (const value of items.flatMap(personal))
						if (m.includes(value)) throw new Error(`${label}: error repeats personal data: "${m.slice(0, 300)}"`);
				}
				if (c.shape === 'perItem') {
					for (const o of out) {
						const item = (o.pairedItem as { item: number }).item;
						if (!poisoned.has(item) && typeof o.json.error === 'string')
							throw new Error(`${label}: clean item ${item} failed: ${o.json.error}`);
					}
				} else {
					const summary = out[0].json as { rows_sent: number; error?: string };
					const clean = ITEMS - poisoned.size;
					// The first item names the audience of the whole upload: when that is what was
					// poisoned, the upload fails as one, with the reason.
					const firstNamesAudience = poisoned.get(0)?.[0] === 'audienceId' && typeof summary.error === 'string';
					if (!firstNamesAudience && summary.rows_sent < clean)
						throw new Error(`${label}: ${summary.rows_sent} rows sent for ${clean} clean items`);
				}

				// The same items without continue on fail: a poisoned item may stop the run, but only
				// with the node's own error naming an item.
				try {
					await c.run({ items, poisoned, continueOnFail: false });
				} catch (error) {
					if (!(error instanceof NodeOperationError || error instanceof NodeApiError))
						throw new Error(`${label}: stopped with ${(error as Error).stack}`);
					if (CRASH.test(error.message)) throw new Error(`${label}: stopped with an unclear error "${error.message}"`);
				}
			}
			expect(poisonedItems).toBeGreaterThan(RUNS * ITEMS * 0.2);
			// The poison is not all tolerated: some of it must have been refused with a reason.
			expect(errors).toBeGreaterThan(0);
		},
		300_000,
	);
});
