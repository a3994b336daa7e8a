import { createHash } from 'node:crypto';
import { startMetaDouble } from '../../support/metaDouble';
import { startRealN8n, type N8nServer, type RealN8n } from '../../support/realN8n';
import { eventually, startRelay, type TestRelay } from '../../support/relayServer';
import { forImport } from '../../support/workflowFiles';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SECRET = 'Bearer supabase-hook-secret-123';
const lead = (status: string, extra: object = {}) => ({ id: 42, status, email: 'Lead.Person@Example.com', phone: '+1 415 555 0100', first_name: 'Lee', last_name: 'Person', value: '1250.00', currency: 'EUR', ...extra });

// workflows/crm-status-to-conversion.json, imported as shipped, live in a real n8n.
describe('workflow: CRM status change → Meta conversion', () => {
	let n8n: RealN8n;
	let server: N8nServer;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let relay: TestRelay;
	beforeAll(async () => {
		meta = await startMetaDouble();
		relay = await startRelay('pglite', { META_ACCESS_TOKEN: 'EAAB-relay-token', META_GRAPH_URL: meta.url });
		n8n = await startRealN8n();
		await n8n.importCredentials([
			{ id: 'relay-local', name: 'Conversion Relay', type: 'conversionRelayApi', data: { baseUrl: relay.url, apiSecret: relay.apiSecret } },
			{ id: 'sb-secret', name: 'Supabase webhook secret', type: 'httpHeaderAuth', data: { name: 'Authorization', value: SECRET } },
		]);
		await n8n.importWorkflow(forImport('crm-status-to-conversion.json', 'wfCrmStatus0001', { conversionRelayApi: 'relay-local', httpHeaderAuth: 'sb-secret' }));
		await n8n.publish('wfCrmStatus0001');
		server = await n8n.serve();
		await server.webhookLive('crm-status-change');
	}, 45 * 60_000);
	afterAll(async () => {
		await server?.stop();
		await n8n?.close();
		await relay?.close();
		await meta?.close();
	});

	const hook = (body: object, authorization = SECRET) => fetch(`${server.url}/webhook/crm-status-change`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });

	it('turns qualified into a Lead and won into a Purchase with value; a repeat, an unchanged row and a wrong secret send nothing more', async () => {
		expect((await hook({ type: 'UPDATE', table: 'leads', record: lead('qualified'), old_record: lead('new') })).status).toBe(200);
		expect((await hook({ type: 'UPDATE', table: 'leads', record: lead('won'), old_record: lead('qualified') })).status).toBe(200);
		expect((await hook({ type: 'UPDATE', table: 'leads', record: lead('won'), old_record: lead('qualified') })).status).toBe(200);
		expect((await hook({ type: 'UPDATE', table: 'leads', record: lead('won', { phone: '+1 415 555 0199' }), old_record: lead('won') })).status).toBe(200);
		expect((await hook({ type: 'UPDATE', table: 'leads', record: lead('qualified', { id: 43 }), old_record: lead('new', { id: 43 }) }, 'Bearer wrong')).status).toBe(403);

		const events = await eventually(async () => {
			const all = meta.received.flatMap((r) => r.body.data);
			expect(all).toHaveLength(2);
			return all;
		}, 30_000);
		const user = { em: [sha('lead.person@example.com')], ph: [sha('14155550100')], fn: [sha('lee')], ln: [sha('person')], external_id: [sha('42')] };
		expect(events).toEqual([
			expect.objectContaining({ event_name: 'Lead', event_id: 'leads:42:Lead', action_source: 'system_generated', user_data: user }),
			expect.objectContaining({ event_name: 'Purchase', event_id: 'leads:42:Purchase', action_source: 'system_generated', user_data: user, custom_data: { value: 1250, currency: 'EUR' } }),
		]);
		expect(events[0]).not.toHaveProperty('custom_data');
		// The repeated "won" reached the relay and was recognised there: still two events at Meta.
		await new Promise((r) => setTimeout(r, 1500));
		expect(meta.received.flatMap((r) => r.body.data)).toHaveLength(2);
	});
});
