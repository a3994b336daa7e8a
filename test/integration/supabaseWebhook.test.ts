import { createHash } from 'node:crypto';
import { startRelay, type TestRelay } from '../support/relayServer';
import { json } from '../support/http';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SECRET = 'supabase-hook-secret';

describe('POST /v1/webhooks/supabase with the seeded conversion rules', () => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startRelay('pglite', { META_PIXEL_ID: '123456', SUPABASE_WEBHOOK_SECRET: SECRET });
	});
	afterAll(() => relay.close());

	const lead = (status: string, extra: object = {}) => ({
		id: 42,
		email: 'Lead.Person@Example.com',
		phone: '+1 415 555 0100',
		first_name: 'Lee',
		status,
		value: '1250.00',
		currency: 'eur',
		updated_at: new Date().toISOString(),
		...extra,
	});
	const post = (body: unknown, secret = SECRET) =>
		fetch(`${relay.url}/v1/webhooks/supabase`, {
			method: 'POST',
			headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	const stored = async (id: string) =>
		json(await fetch(`${relay.url}/v1/events/${id}`, { headers: { authorization: `Bearer ${relay.apiSecret}` } }));

	it('when a lead becomes qualified, then a Lead is stored, hashed, system_generated', async () => {
		const body = await json(
			await post({
				type: 'UPDATE',
				table: 'leads',
				schema: 'public',
				record: lead('qualified'),
				old_record: lead('new'),
			}),
		);
		expect(body).toMatchObject({ matched: 1, errors: [], data: [{ status: 'queued', duplicate: false }] });
		const event = await stored(body.data[0].id);
		expect(event).toMatchObject({ event_name: 'Lead', event_id: 'leads:42:Lead', source: 'supabase' });
		expect(event.payload.action_source).toBe('system_generated');
		expect(event.payload.user_data).toMatchObject({
			em: [sha('lead.person@example.com')],
			ph: [sha('14155550100')],
			external_id: [sha('42')],
		});
	});

	it('when it is won, then a Purchase carries the value and currency from the row', async () => {
		const body = await json(
			await post({ type: 'UPDATE', table: 'leads', record: lead('won'), old_record: lead('qualified') }),
		);
		const event = await stored(body.data[0].id);
		expect(event.payload.custom_data).toEqual({ value: 1250, currency: 'EUR' });
	});

	it('does nothing when the column did not change, for other tables, or for deletes', async () => {
		expect(
			await json(
				await post({ type: 'UPDATE', table: 'leads', record: lead('won', { note: 'x' }), old_record: lead('won') }),
			),
		).toEqual({ matched: 0, data: [], errors: [] });
		expect(
			(await json(await post({ type: 'UPDATE', table: 'invoices', record: lead('won'), old_record: lead('new') })))
				.matched,
		).toBe(0);
		expect(
			(await json(await post({ type: 'DELETE', table: 'leads', record: null, old_record: lead('won') }))).matched,
		).toBe(0);
	});

	it('stores the same transition once, however often the webhook fires', async () => {
		const again = await json(
			await post({
				type: 'UPDATE',
				table: 'leads',
				record: lead('qualified', { updated_at: new Date(Date.now() - 3_600_000).toISOString() }),
				old_record: lead('new'),
			}),
		);
		expect(again.data[0].duplicate).toBe(true);
	});

	it('refuses a wrong secret and names a malformed field', async () => {
		expect((await post({ type: 'UPDATE', table: 'leads', record: {} }, 'nope')).status).toBe(401);
		const bad = await post({ type: 'UPSERT', table: 'leads', record: {} });
		expect(bad.status).toBe(400);
		expect((await json(bad)).error.field).toBe('type');
	});
});
