import nock from 'nock';
import { SHOPIFY_HUBSPOT_PROPERTIES } from '../../nodes/core/shopify/hubspot';
import {
	ensureContactProperties,
	upsertContacts,
	type HubSpotSettings,
} from '../../service/src/hubspot/contactsClient';
import { DestinationRefused, DestinationUnavailable } from '../../service/src/usecases/jobs/destinationErrors';
import { startHubSpotDouble, type HubSpotDouble } from '../support/hubspotDouble';

const TOKEN = 'pat-na1-contacts';

function recordingSleep() {
	const waits: number[] = [];
	return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('upsertContacts against the HubSpot double', () => {
	let hubspot: HubSpotDouble;
	const settings = (extra: Partial<HubSpotSettings> = {}): HubSpotSettings => ({
		apiUrl: hubspot.url,
		accessToken: TOKEN,
		timeoutMs: 5_000,
		requestsPerTenSeconds: 100,
		...extra,
	});
	afterEach(() => hubspot.close());

	it('upserts by e-mail in one request; contacts without a valid e-mail are counted, not sent', async () => {
		hubspot = await startHubSpotDouble({ token: TOKEN });
		const out = await upsertContacts(settings(), [
			{ email: ' Ann@Example.com ', firstname: 'Ann' },
			{ firstname: 'No mail' },
			{ email: 'not-an-address', firstname: 'Bad' },
			{ email: 'ann@example.com', lastname: 'Smith' },
			{ email: 'bo@example.org' },
		]);
		expect(out).toEqual({
			upserted: 3,
			requests: 1,
			invalid: [
				{ index: 1, reason: 'email: missing' },
				{ index: 2, reason: 'email: not a valid e-mail address' },
			],
		});
		expect(hubspot.received).toHaveLength(1);
		const [req] = hubspot.received;
		expect([req.method, req.path]).toEqual(['POST', '/crm/v3/objects/contacts/batch/upsert']);
		expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
		// One input per e-mail (HubSpot refuses duplicate ids in a batch), the later contact's properties winning.
		expect(req.body).toEqual({
			inputs: [
				{
					idProperty: 'email',
					id: 'ann@example.com',
					properties: { email: 'ann@example.com', firstname: 'Ann', lastname: 'Smith' },
					objectWriteTraceId: '0',
				},
				{ idProperty: 'email', id: 'bo@example.org', properties: { email: 'bo@example.org' }, objectWriteTraceId: '1' },
			],
		});
		expect(hubspot.contactByEmail('ann@example.com')?.properties).toMatchObject({
			firstname: 'Ann',
			lastname: 'Smith',
		});
	});

	it('refuses more than 100 contacts a call before sending anything', async () => {
		hubspot = await startHubSpotDouble({ token: TOKEN });
		const many = Array.from({ length: 101 }, (_, i) => ({ email: `c${i}@example.com` }));
		await expect(upsertContacts(settings(), many)).rejects.toThrow(/^contacts: at most 100 a request, got 101/);
		expect(hubspot.received).toHaveLength(0);
	});

	it('a contact too large or with a value that is not text is invalid, naming the property', async () => {
		hubspot = await startHubSpotDouble({ token: TOKEN });
		const out = await upsertContacts(settings(), [
			{ email: 'a@example.com', note: 'x'.repeat(70_000) },
			{ email: 'b@example.com', shopify_order_count: 3 as unknown as string },
			{ email: 'c@example.com' },
		]);
		expect(out.upserted).toBe(1);
		expect(out.invalid).toEqual([
			{
				index: 0,
				reason: expect.stringMatching(/^properties: 70,0\d\d bytes, above the 64,000 one contact may carry$/),
			},
			{ index: 1, reason: 'property shopify_order_count: not text' },
		]);
	});

	it('pacing: 300 concurrent calls against a double limited to 100 per window meet no 429', async () => {
		const windowMs = 500;
		hubspot = await startHubSpotDouble({ token: TOKEN, rateLimit: { perTenSeconds: 100, windowMs }, latencyMs: 5 });
		const started = Date.now();
		const results = await Promise.all(
			Array.from({ length: 300 }, (_, i) =>
				upsertContacts(settings({ windowMs }), [{ email: `buyer${i}@example.com` }]),
			),
		);
		expect(hubspot.limits.tenSecondly).toBe(0);
		expect(hubspot.limits.accepted).toBe(300);
		expect(hubspot.limits.maxInWindow).toBeLessThanOrEqual(100);
		expect(results.every((r) => r.upserted === 1 && r.requests === 1)).toBe(true);
		expect(hubspot.contacts.size).toBe(300);
		// Three windows' worth of requests need at least two full windows.
		expect(Date.now() - started).toBeGreaterThanOrEqual(2 * windowMs);
		// The double's headers, as HubSpot documents them.
		const last = await fetch(`${hubspot.url}/crm/v3/objects/contacts/1001`, {
			headers: { authorization: `Bearer ${TOKEN}` },
		});
		expect(last.headers.get('x-hubspot-ratelimit-max')).toBe('100');
		expect(last.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe(String(windowMs));
		expect(Number(last.headers.get('x-hubspot-ratelimit-remaining'))).toBeLessThan(100);
	});

	it('calls with different settings objects for one app share its window; an abort leaves the queue', async () => {
		const windowMs = 400;
		hubspot = await startHubSpotDouble({ token: TOKEN, rateLimit: { perTenSeconds: 20, windowMs } });
		const controller = new AbortController();
		const calls = Array.from({ length: 60 }, (_, i) =>
			upsertContacts(
				{ ...settings({ windowMs, requestsPerTenSeconds: 20 }), timeoutMs: 4_000 + i },
				[{ email: `shared${i}@example.com` }],
				i === 59 ? controller.signal : undefined,
			),
		);
		controller.abort(new Error('job cancelled'));
		const settled = await Promise.allSettled(calls);
		expect(settled[59]).toMatchObject({ status: 'rejected', reason: new Error('job cancelled') });
		expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(59);
		expect(hubspot.limits).toMatchObject({ tenSecondly: 0, accepted: 59 });
	});

	it('control: the same 300 requests unpaced get 429 TEN_SECONDLY_ROLLING from the double', async () => {
		hubspot = await startHubSpotDouble({ token: TOKEN, rateLimit: { perTenSeconds: 100, windowMs: 10_000 } });
		const answers = await Promise.all(
			Array.from({ length: 300 }, (_, i) =>
				fetch(`${hubspot.url}/crm/v3/objects/contacts/batch/upsert`, {
					method: 'POST',
					headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
					body: JSON.stringify({ inputs: [{ idProperty: 'email', id: `u${i}@example.com`, properties: {} }] }),
				}).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })),
			),
		);
		expect(answers.filter((a) => a.status === 200)).toHaveLength(100);
		const limited = answers.filter((a) => a.status === 429);
		expect(limited).toHaveLength(200);
		expect(limited[0].body).toMatchObject({
			status: 'error',
			errorType: 'RATE_LIMIT',
			policyName: 'TEN_SECONDLY_ROLLING',
			message: 'You have reached your ten_secondly_rolling limit.',
		});
		expect(hubspot.limits.tenSecondly).toBe(200);
	});

	it('a TEN_SECONDLY 429 (the budget shared with another app) is waited out for the window and retried', async () => {
		const windowMs = 300;
		hubspot = await startHubSpotDouble({ token: TOKEN, rateLimit: { perTenSeconds: 3, windowMs } });
		// The pacer believes in 10 a window; HubSpot allows 3.
		const results = await Promise.all(
			Array.from({ length: 8 }, (_, i) =>
				upsertContacts(settings({ windowMs, requestsPerTenSeconds: 10 }), [{ email: `late${i}@example.com` }]),
			),
		);
		expect(hubspot.limits.tenSecondly).toBeGreaterThan(0);
		expect(results.every((r) => r.upserted === 1)).toBe(true);
		expect(hubspot.contacts.size).toBe(8);
	});

	it("the DAILY limit stops at once with HubSpot's message, unretried", async () => {
		hubspot = await startHubSpotDouble({ token: TOKEN, rateLimit: { perTenSeconds: 100, daily: 2 } });
		const { sleep, waits } = recordingSleep();
		const s = settings({ retry: { sleep } });
		await upsertContacts(s, [{ email: 'one@example.com' }]);
		await upsertContacts(s, [{ email: 'two@example.com' }]);
		const error = await upsertContacts(s, [{ email: 'three@example.com' }]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DestinationRefused);
		expect(error).toMatchObject({ destination: 'hubspot', code: 'DAILY' });
		expect((error as Error).message).toMatch(/^HubSpot refused: You have reached your daily limit\..*policy DAILY/);
		expect((error as Error).message).not.toContain('three@example.com');
		expect(hubspot.received).toHaveLength(3);
		expect(hubspot.limits.daily).toBe(1);
		expect(waits).toEqual([]);
	});

	it('a wrong token is DestinationRefused', async () => {
		hubspot = await startHubSpotDouble({ token: TOKEN });
		await expect(
			upsertContacts(settings({ accessToken: 'pat-wrong' }), [{ email: 'a@example.com' }]),
		).rejects.toMatchObject({
			name: 'DestinationRefused',
			code: 401,
			message: expect.stringMatching(/Authentication credentials not found/),
		});
	});

	it('ensureContactProperties creates the Shopify group and properties once; 409 counts as there', async () => {
		hubspot = await startHubSpotDouble({ token: TOKEN, strictProperties: true });
		const contact = { email: 'ann@example.com', shopify_order_count: '2', shopify_total_spent: '19.90' };
		// Before: HubSpot refuses the batch whole, and two levels of halves alike: the job stops.
		const eight = Array.from({ length: 8 }, (_, i) => ({ ...contact, email: `buyer${i}@example.com` }));
		await expect(upsertContacts(settings(), eight)).rejects.toThrow(
			/every part of the batch was refused alike: VALIDATION_ERROR: Property values were not valid/,
		);
		const first = await ensureContactProperties(settings());
		expect(first.created).toEqual([
			'contacts/groups/shopify',
			...SHOPIFY_HUBSPOT_PROPERTIES.map((p) => `contacts/${p.name}`),
		]);
		expect(first.existed).toEqual([]);
		const again = await ensureContactProperties(settings());
		expect(again.created).toEqual([]);
		expect(again.existed).toHaveLength(1 + SHOPIFY_HUBSPOT_PROPERTIES.length);
		expect(hubspot.definitions.get('contacts/groups')).toEqual(new Set(['shopify']));
		const out = await upsertContacts(settings(), [contact]);
		expect(out).toMatchObject({ upserted: 1, invalid: [] });
	});
});

describe('upsertContacts: answers and failures (nock)', () => {
	const HUB = 'https://hubspot.test';
	const path = '/crm/v3/objects/contacts/batch/upsert';
	const settings = (extra: Partial<HubSpotSettings> = {}): HubSpotSettings => ({
		apiUrl: HUB,
		accessToken: TOKEN,
		timeoutMs: 2_000,
		requestsPerTenSeconds: 100,
		windowMs: 200,
		...extra,
	});
	type Input = { id: string; objectWriteTraceId: string };
	const result = (input: Input) => ({
		id: '1',
		properties: { email: input.id },
		objectWriteTraceId: input.objectWriteTraceId,
		new: true,
	});

	beforeAll(() => nock.disableNetConnect());
	afterAll(() => nock.enableNetConnect());
	afterEach(() => nock.cleanAll());

	it("a 207 counts its errors per contact with HubSpot's reason, without the e-mail or phone", async () => {
		nock(HUB)
			.post(path)
			.reply(207, (_uri, body) => {
				const inputs = (body as { inputs: Input[] }).inputs;
				return {
					status: 'COMPLETE',
					results: [result(inputs[0]), result(inputs[2])],
					numErrors: 2,
					errors: [
						{
							status: 'error',
							category: 'VALIDATION_ERROR',
							message: 'Property values were not valid: phone "+44 20 7946 0958" of bob@example.com is invalid',
							context: { objectWriteTraceId: [inputs[1].objectWriteTraceId] },
						},
						{
							status: 'error',
							category: 'VALIDATION_ERROR',
							message: `Email BoB.Tail@Example.com is invalid`,
							context: { ids: ['bob.tail@example.com'] },
						},
					],
				};
			});
		const out = await upsertContacts(settings(), [
			{ email: 'ann@example.com' },
			{ email: 'bob@example.com', phone: '+44 20 7946 0958' },
			{ email: 'cy@example.com' },
			{ email: 'bob.tail@example.com' },
		]);
		expect(out.upserted).toBe(2);
		expect(out.invalid.map((i) => i.index)).toEqual([1, 3]);
		for (const { reason } of out.invalid) {
			expect(reason).toMatch(/^VALIDATION_ERROR: /);
			expect(reason.toLowerCase()).not.toContain('bob');
			expect(reason).not.toContain('7946');
		}
	});

	it('a 400 for the whole batch is split until the contact at fault is alone', async () => {
		const bodies: Input[][] = [];
		nock(HUB)
			.post(path)
			.times(20)
			.reply((_uri, body) => {
				const inputs = (body as { inputs: Input[] }).inputs;
				bodies.push(inputs);
				if (inputs.some((i) => i.id === 'bad@example.com'))
					return [
						400,
						{ status: 'error', category: 'VALIDATION_ERROR', message: 'Property "x" of bad@example.com is invalid' },
					];
				return [200, { status: 'COMPLETE', results: inputs.map(result) }];
			});
		const contacts = Array.from({ length: 8 }, (_, i) => ({
			email: i === 5 ? 'bad@example.com' : `c${i}@example.com`,
		}));
		const out = await upsertContacts(settings(), contacts);
		expect(out.upserted).toBe(7);
		expect(out.invalid).toEqual([{ index: 5, reason: 'VALIDATION_ERROR: Property "x" of [redacted] is invalid' }]);
		expect(out.requests).toBe(bodies.length);
		expect(bodies[0]).toHaveLength(8);
	});

	it('5xx and network failures are retried with backoff', async () => {
		const { sleep, waits } = recordingSleep();
		nock(HUB).post(path).reply(502, 'Bad Gateway');
		nock(HUB).post(path).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
		nock(HUB)
			.post(path)
			.reply(200, (_uri, body) => ({ status: 'COMPLETE', results: (body as { inputs: Input[] }).inputs.map(result) }));
		const out = await upsertContacts(settings({ retry: { sleep } }), [{ email: 'a@example.com' }]);
		expect(out).toMatchObject({ upserted: 1, requests: 3 });
		expect(waits).toHaveLength(2);
	});

	it('a TEN_SECONDLY 429 waits as Retry-After says, else one window', async () => {
		const { sleep, waits } = recordingSleep();
		const limited = {
			status: 'error',
			message: 'You have reached your ten_secondly_rolling limit.',
			errorType: 'RATE_LIMIT',
			correlationId: 'c-1',
			policyName: 'TEN_SECONDLY_ROLLING',
		};
		nock(HUB).post(path).reply(429, limited);
		nock(HUB).post(path).reply(429, limited, { 'Retry-After': '1' });
		nock(HUB)
			.post(path)
			.reply(200, (_uri, body) => ({ status: 'COMPLETE', results: (body as { inputs: Input[] }).inputs.map(result) }));
		const started = Date.now();
		const out = await upsertContacts(settings({ retry: { sleep } }), [{ email: 'a@example.com' }]);
		expect(out).toMatchObject({ upserted: 1, requests: 3 });
		expect(waits).toEqual([200, 1_000]);
		// Held by the shared window too, so that other callers do not send meanwhile.
		expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
	});

	it('403 is DestinationRefused; a 5xx that never ends is DestinationUnavailable', async () => {
		nock(HUB).post(path).reply(403, {
			status: 'error',
			category: 'MISSING_SCOPES',
			message: "This app hasn't been granted all required scopes",
		});
		await expect(upsertContacts(settings(), [{ email: 'a@example.com' }])).rejects.toMatchObject({
			name: 'DestinationRefused',
			code: 403,
			message: expect.stringMatching(/required scopes.*check the private app token/),
		});
		const { sleep } = recordingSleep();
		nock(HUB).post(path).times(10).reply(503, { message: 'down' });
		await expect(
			upsertContacts(settings({ retry: { sleep, maxAttempts: 3 } }), [{ email: 'a@example.com' }]),
		).rejects.toBeInstanceOf(DestinationUnavailable);
	});
});
