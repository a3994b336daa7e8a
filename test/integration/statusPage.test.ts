import { Client } from 'pg';
import { estimateMatchQuality } from '../../service/src/usecases/matchQuality';
import { startRelay, type TestRelay } from '../support/relayServer';

const READ_TOKEN = 'status-read-only-token-1';

describe('status page', () => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startRelay('postgres', { META_PIXEL_ID: '123456', RELAY_STATUS_TOKEN: READ_TOKEN });
		const headers = { authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' };
		const data = [
			{ event_name: 'Lead', email: 'a@example.com', phone: '+1 650 555 1212', event_id: 'a' },
			{ event_name: 'Lead', email: 'b@example.com', event_id: 'b' },
			{ event_name: 'Purchase', email: 'c@example.com', value: 5, currency: 'USD', event_id: 'c' },
		];
		await fetch(`${relay.url}/v1/events`, { method: 'POST', headers, body: JSON.stringify({ data }) });
		const db = new Client({ connectionString: relay.databaseUrl });
		await db.connect();
		await db.query(
			"update relay_events set status = 'dead', last_error = 'invalid 100: <script>alert(1)</script>' where event_id = 'c'",
		);
		await db.end();
	});
	afterAll(() => relay.close());

	it('shows configuration, counts, failures (escaped) and match quality, and no raw identifiers', async () => {
		const res = await fetch(`${relay.url}/`, { headers: { authorization: `Bearer ${relay.apiSecret}` } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/html/);
		const html = await res.text();
		expect(html).toContain(
			'Meta access token: <strong class="off">not configured</strong> — events are stored and held until META_ACCESS_TOKEN is set; nothing is lost',
		);
		expect(html).toMatch(/<td>\d{4}-\d\d-\d\d \d\d:00<\/td><td>2<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>1<\/td>/);
		expect(html).toContain('invalid 100: &lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).not.toContain('<script>');
		expect(html).toContain(
			`<tr><td>Lead</td><td>2</td><td>${estimateMatchQuality(2, { em: 2, ph: 1, external_id: 0 }).toFixed(1)}</td><td>100%</td><td>50%</td>`,
		);
		expect(html).not.toContain('example.com');
	});

	it('asks a browser to log in; takes the secret or the read-only token; the token cannot write', async () => {
		const anonymous = await fetch(`${relay.url}/`);
		expect(anonymous.status).toBe(401);
		expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="Conversion Relay", charset="UTF-8"');
		expect(await anonymous.text()).not.toContain('Lead');
		const basic = (password: string) => ({
			authorization: `Basic ${Buffer.from(`anyone:${password}`).toString('base64')}`,
		});
		expect((await fetch(`${relay.url}/`, { headers: basic(READ_TOKEN) })).status).toBe(200);
		expect((await fetch(`${relay.url}/`, { headers: basic(relay.apiSecret) })).status).toBe(200);
		expect((await fetch(`${relay.url}/`, { headers: basic(READ_TOKEN.slice(0, -1)) })).status).toBe(401);
		expect(
			(await fetch(`${relay.url}/v1/events?limit=1`, { headers: { authorization: `Bearer ${READ_TOKEN}` } })).status,
		).toBe(200);
		const write = await fetch(`${relay.url}/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${READ_TOKEN}`, 'content-type': 'application/json' },
			body: '{"event_name":"Lead","email":"w@example.com"}',
		});
		expect(write.status).toBe(401);
	});

	it('estimates match quality from coverage: e-mail on every event beats phone on half', () => {
		expect(estimateMatchQuality(10, { em: 10 })).toBeGreaterThan(estimateMatchQuality(10, { ph: 10 }));
		expect(
			estimateMatchQuality(
				4,
				Object.fromEntries(
					[
						'em',
						'ph',
						'fbc',
						'external_id',
						'fbp',
						'client_ip_address',
						'client_user_agent',
						'fn',
						'ln',
						'zp',
						'ct',
						'st',
						'country',
						'db',
						'ge',
					].map((k) => [k, 4]),
				),
			),
		).toBe(10);
		expect(estimateMatchQuality(0, {})).toBe(0);
	});
});
