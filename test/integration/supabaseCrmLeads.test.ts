import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '../../service/src/db/migrate';
import { openPglite } from '../../service/src/db/pglite';
import { json } from '../support/http';
import { startMetaDouble } from '../support/metaDouble';
import { dumpDatabase } from '../support/privacy/dump';
import { record, scanning } from '../support/privacy/record';
import { eventually, startRelay, type Backend, type TestRelay } from '../support/relayServer';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SECRET = 'supabase-crm-hook-secret';

// A CRM of its own on Supabase: stages of a crm_leads table, the Lead Ads lead id in fb_lead_id.
// Converted gives two events: the CRM stage, and a Purchase with the deal's value that is no CRM event.
const RULES = `
insert into relay_conversion_rules
	(table_name, column_name, to_value, event_name, lead_id_column, lead_event_source, email_column, value_column, default_currency)
values
	('crm_leads', 'stage', 'Sales Opportunity', 'Sales Opportunity', 'fb_lead_id', 'In-house CRM', 'contact_email', null, null),
	('crm_leads', 'stage', 'Converted', 'Converted', 'fb_lead_id', 'In-house CRM', 'contact_email', null, null),
	('crm_leads', 'stage', 'Converted', 'Purchase', null, 'In-house CRM', 'contact_email', 'deal_value', 'EUR');`;

/**
 * The rules are edited in Supabase (SQL or the table editor): written here with SQL, on PGlite into
 * its folder before the service opens it, on Postgres (and behind PostgREST) into its database.
 */
async function startWithRules(backend: Backend, env: Record<string, string>) {
	if (backend !== 'pglite') {
		const relay = await startRelay(backend, env);
		const db = new Client({ connectionString: relay.databaseUrl });
		await db.connect();
		await db.query(RULES);
		await db.end();
		return { relay, cleanUp: async () => undefined };
	}
	const dir = mkdtempSync(join(tmpdir(), 'relay-crm-'));
	const db = await openPglite(dir);
	await migrate(db);
	await db.exec(RULES);
	await db.close();
	const relay = await startRelay('pglite', { ...env, RELAY_DATA_DIR: dir });
	return {
		relay,
		cleanUp: async () => {
			if (scanning()) record('database', await dumpDatabase({ dataDir: dir }));
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

describe.each<Backend>(['pglite', 'postgres', 'supabase'])('Supabase rules with a lead id column (%s)', (backend) => {
	let relay: TestRelay;
	let cleanUp: () => Promise<void>;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	beforeAll(async () => {
		meta = await startMetaDouble();
		({ relay, cleanUp } = await startWithRules(backend, {
			META_PIXEL_ID: '123456',
			SUPABASE_WEBHOOK_SECRET: SECRET,
			META_ACCESS_TOKEN: 'EAAB-crm-relay',
			META_GRAPH_URL: meta.url,
		}));
	}, 120_000);
	afterAll(async () => {
		await relay?.close();
		await cleanUp?.();
		await meta?.close();
	});

	const auth = () => ({ authorization: `Bearer ${relay.apiSecret}` });
	/** The body as text: a lead id past 2^53 must reach the service as the digits written here. */
	const post = (body: string) =>
		fetch(`${relay.url}/v1/webhooks/supabase`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
			body,
		});
	const change = (record: object, old: object, table = 'leads') =>
		JSON.stringify({ type: 'UPDATE', table, schema: 'public', record, old_record: old });
	const stored = async (id: string) => json(await fetch(`${relay.url}/v1/events/${id}`, { headers: auth() }));
	const storedCount = async (): Promise<number> =>
		(await json(await fetch(`${relay.url}/v1/events?limit=500`, { headers: auth() }))).data.length;
	const atMeta = (eventId: string) =>
		eventually(async () => {
			const found = meta.received.flatMap((r) => r.body.data).find((e) => e.event_id === eventId);
			expect(found).toBeDefined();
			return found as unknown as Record<string, unknown>;
		}, 20_000);

	const lead = (status: string, extra: object = {}) => ({
		id: 42,
		email: 'Lead.Person@Example.com',
		status,
		value: '1250.00',
		currency: 'eur',
		meta_lead_id: '1234567890123456',
		updated_at: new Date().toISOString(),
		...extra,
	});

	it('the seeded rules read meta_lead_id: a Lead and a Purchase that are CRM stages of the Lead Ads lead, its id unhashed', async () => {
		const qualified = await json(await post(change(lead('qualified'), lead('new'))));
		expect(qualified).toMatchObject({ matched: 1, errors: [], data: [{ status: 'queued', duplicate: false }] });
		const won = await json(await post(change(lead('won'), lead('qualified'))));
		expect((await stored(qualified.data[0].id)).payload).toEqual({
			event_name: 'Lead',
			event_time: expect.any(Number),
			event_id: 'leads:42:Lead',
			action_source: 'system_generated',
			user_data: { lead_id: '1234567890123456', em: [sha('lead.person@example.com')], external_id: [sha('42')] },
			custom_data: { event_source: 'crm', lead_event_source: 'Supabase' },
		});
		expect((await stored(won.data[0].id)).payload.custom_data).toEqual({
			event_source: 'crm',
			lead_event_source: 'Supabase',
			value: 1250,
			currency: 'EUR',
		});
		// What Meta receives: the lead id as the CRM holds it, next to the hashed identifiers.
		expect(await atMeta('leads:42:Lead')).toMatchObject({
			action_source: 'system_generated',
			user_data: { lead_id: '1234567890123456', em: [sha('lead.person@example.com')] },
			custom_data: { event_source: 'crm', lead_event_source: 'Supabase' },
		});
	});

	it('a row without a lead id (a lead from elsewhere) is sent as before: no lead_id, no CRM fields', async () => {
		for (const [id, meta_lead_id] of [
			[50, null],
			[51, ''],
			[52, '   '],
		] as const) {
			const body = await json(await post(change(lead('qualified', { id, meta_lead_id }), lead('new', { id }))));
			const event = await stored(body.data[0].id);
			expect(event.payload.user_data).toEqual({ em: [sha('lead.person@example.com')], external_id: [sha(String(id))] });
			expect(event.payload).not.toHaveProperty('custom_data');
		}
		// A table whose rows have no such column at all: the same.
		const body = await json(await post(change(lead('qualified', { id: 53, meta_lead_id: undefined }), lead('new'))));
		expect((await stored(body.data[0].id)).payload).not.toHaveProperty('custom_data');
	});

	const crmLead = (stage: string, extra: object = {}) => ({
		id: 'c-7',
		stage,
		contact_email: 'ana@example.com',
		deal_value: 980,
		updated_at: new Date().toISOString(),
		...extra,
	});

	it("a rule's own column and CRM name; a bigint lead id as a JSON number, exact past 2^53", async () => {
		const opportunity = await json(
			await post(change(crmLead('Sales Opportunity', { fb_lead_id: 123456789012345 }), crmLead('New'), 'crm_leads')),
		);
		const event = await stored(opportunity.data[0].id);
		expect(event).toMatchObject({ event_name: 'Sales Opportunity', event_id: 'crm_leads:c-7:Sales Opportunity' });
		expect(event.payload.user_data.lead_id).toBe('123456789012345');
		expect(event.payload.custom_data).toEqual({ event_source: 'crm', lead_event_source: 'In-house CRM' });
		// 12345678901234567 is not a double: JSON.parse alone would make it ...568, another lead.
		const raw = change(crmLead('Sales Opportunity', { id: 'c-8', fb_lead_id: 0 }), crmLead('New'), 'crm_leads').replace(
			'"fb_lead_id":0',
			'"fb_lead_id":12345678901234567',
		);
		const exact = await json(await post(raw));
		expect((await stored(exact.data[0].id)).payload.user_data.lead_id).toBe('12345678901234567');
	});

	it('one event per stage per lead: a repeated webhook is a duplicate, the next stage is new, and only the CRM rule of a stage carries the lead', async () => {
		const earlier = new Date(Date.now() - 3_600_000).toISOString();
		const again = await json(
			await post(
				change(
					crmLead('Sales Opportunity', { fb_lead_id: '123456789012345', updated_at: earlier }),
					crmLead('New'),
					'crm_leads',
				),
			),
		);
		expect(again.data).toEqual([expect.objectContaining({ duplicate: true })]);
		const converted = await json(
			await post(
				change(crmLead('Converted', { fb_lead_id: '123456789012345' }), crmLead('Sales Opportunity'), 'crm_leads'),
			),
		);
		expect(converted).toMatchObject({ matched: 2, errors: [] });
		const [stage, purchase] = await Promise.all(converted.data.map((d: { id: string }) => stored(d.id)));
		expect(stage).toMatchObject({ event_name: 'Converted', event_id: 'crm_leads:c-7:Converted' });
		expect(stage.payload.user_data.lead_id).toBe('123456789012345');
		expect(stage.payload.custom_data).toEqual({ event_source: 'crm', lead_event_source: 'In-house CRM' });
		expect(purchase).toMatchObject({ event_name: 'Purchase', event_id: 'crm_leads:c-7:Purchase' });
		expect(purchase.payload.user_data).toEqual({ em: [sha('ana@example.com')], external_id: [sha('c-7')] });
		expect(purchase.payload.custom_data).toEqual({ value: 980, currency: 'EUR' });
	});

	it('a lead id that is not one: 400 naming the column and why, nothing stored for any rule of the change', async () => {
		const cases: Array<[object, string, string]> = [
			[{ fb_lead_id: 'hubspot:5101' }, 'record.fb_lead_id', 'digits only (15 to 17 digits)'],
			[{ fb_lead_id: '12345678901234' }, 'record.fb_lead_id', 'has 14 digits; a Lead Ads lead id has 15 to 17 digits'],
			[{ fb_lead_id: { id: 1 } }, 'record.fb_lead_id', 'not object'],
			[{ fb_lead_id: 1.5 }, 'record.fb_lead_id', 'cannot hold a lead id exactly'],
		];
		const before = await storedCount();
		for (const [extra, field, reason] of cases) {
			// Converted matches two rules, one of them without a lead id: neither is stored.
			const res = await post(change(crmLead('Converted', { id: 'c-9', ...extra }), crmLead('New'), 'crm_leads'));
			const body = await json(res);
			expect({ status: res.status, code: body.error?.code, field: body.error?.field }).toEqual({
				status: 400,
				code: 'invalid_payload',
				field,
			});
			expect(body.error.message).toContain(reason);
			expect(body.error.message).not.toContain('hubspot:5101');
		}
		const seeded = await post(change(lead('qualified', { id: 60, meta_lead_id: '98765' }), lead('new')));
		expect({ status: seeded.status, field: (await json(seeded)).error?.field }).toEqual({
			status: 400,
			field: 'record.meta_lead_id',
		});
		expect(await storedCount()).toBe(before);
	});
});
