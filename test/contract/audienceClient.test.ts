import { createHmac } from 'node:crypto';
import nock from 'nock';
import { audienceBatches, MAX_AUDIENCE_ROWS } from '../../nodes/core/audiences/rows';
import { SessionCounter, withSessions } from '../../nodes/core/audiences/session';
import type { AudiencePayload } from '../../nodes/core/audiences/types';
import { sha256Hex } from '../../nodes/core/normalize/hash';
import { uploadAudienceBatch, type AudienceClientSettings } from '../../service/src/meta/audienceClient';
import {
	AudienceSessionLost,
	DestinationRefused,
	DestinationUnavailable,
} from '../../service/src/usecases/jobs/destinationErrors';
import { startAudiencesDouble, type AudiencesDouble } from '../support/audiencesDouble';

const TOKEN = 'EAAB-audience-token';
const SECRET = 'app-secret-1';
const GRAPH = 'https://graph.test';

/** Waits recorded instead of slept: retries take no time and their lengths can be read. */
function recordingSleep() {
	const waits: number[] = [];
	return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const emailPayload = (emails: string[]): AudiencePayload => ({
	schema: ['EMAIL'],
	data: emails.map((e) => [sha256Hex(e)]),
});

describe('uploadAudienceBatch against the audiences double', () => {
	let meta: AudiencesDouble;
	let audienceId: string;
	const settings = (extra: Partial<AudienceClientSettings> = {}): AudienceClientSettings => ({
		graphUrl: meta.url,
		apiVersion: 'v25.0',
		accessToken: TOKEN,
		appSecret: SECRET,
		timeoutMs: 5_000,
		...extra,
	});

	beforeEach(async () => {
		meta = await startAudiencesDouble({ token: TOKEN, account: '555', sessionTtlMs: 60_000 });
		audienceId = meta.seed('Buyers');
	});
	afterEach(() => meta.close());

	it('adds to /{id}/users, removes by POST /{id}/users with method=DELETE, with the token in a header only', async () => {
		const added = await uploadAudienceBatch(
			settings(),
			audienceId,
			'add',
			emailPayload(['mary@example.com', 'bob@example.com']),
		);
		expect(added).toMatchObject({ num_received: 2, num_invalid_entries: 0, requests: 1 });
		const removed = await uploadAudienceBatch(settings(), audienceId, 'remove', emailPayload(['bob@example.com']));
		expect(removed).toMatchObject({ num_received: 1, num_invalid_entries: 0 });
		expect(meta.memberValues(audienceId, 'EMAIL')).toEqual([sha256Hex('mary@example.com')]);

		const [add, remove] = meta.received;
		expect([add.method, add.path]).toEqual(['POST', `/v25.0/${audienceId}/users`]);
		expect([remove.method, remove.path]).toEqual(['POST', `/v25.0/${audienceId}/users`]);
		expect(add.body).not.toHaveProperty('method');
		expect(remove.body).toMatchObject({ method: 'DELETE', payload: { schema: ['EMAIL'] } });
		for (const req of meta.received) {
			expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
			expect(req.query.toString()).not.toContain(TOKEN);
			expect(req.raw).not.toContain(TOKEN);
			// appsecret_proof: hex HMAC-SHA256 of the token keyed with the app secret.
			expect((req.body as Record<string, unknown>).appsecret_proof).toBe(
				createHmac('sha256', SECRET).update(TOKEN).digest('hex'),
			);
			expect(req.raw).not.toContain('mary@example.com');
		}
		expect(meta.requestsPerEdge).toEqual({ users: 2 });
	});

	it('without an app secret sends no appsecret_proof', async () => {
		await uploadAudienceBatch(settings({ appSecret: undefined }), audienceId, 'add', emailPayload(['a@example.com']));
		expect(meta.received[0].body).not.toHaveProperty('appsecret_proof');
	});

	it('replaces in one usersreplace session numbered from 1, the members swapped at the last batch', async () => {
		await uploadAudienceBatch(settings(), audienceId, 'add', emailPayload(['old@example.com']));
		const records = Array.from({ length: 5 }, (_, i) => ({ EMAIL: `buyer${i}@example.com` }));
		const counter = new SessionCounter(4242, records.length);
		const sent = [];
		for (const { batch, session } of withSessions(audienceBatches(['EMAIL'], records, [], 2), counter)) {
			sent.push(session);
			const out = await uploadAudienceBatch(settings(), audienceId, 'replace', batch.payload, session);
			expect(out.num_received).toBe(batch.payload.data.length);
			// Until the last batch the audience keeps its old members.
			if (!session.last_batch_flag)
				expect(meta.memberValues(audienceId, 'EMAIL')).toEqual([sha256Hex('old@example.com')]);
		}
		expect(sent.map((s) => [s.batch_seq, s.last_batch_flag])).toEqual([
			[1, false],
			[2, false],
			[3, true],
		]);
		const replaces = meta.received.filter((r) => r.path.endsWith('/usersreplace'));
		expect(replaces.map((r) => (r.body as { session: unknown }).session)).toEqual(
			sent.map((s) => ({ ...s, session_id: 4242, estimated_num_total: 5 })),
		);
		expect(meta.memberValues(audienceId, 'EMAIL')).toEqual(records.map((r) => sha256Hex(r.EMAIL)).sort());
		expect(meta.requestsPerEdge).toEqual({ users: 1, usersreplace: 3 });
	});

	it('refuses locally what Meta would refuse: a replace without session, more than 10,000 rows, ragged rows', async () => {
		const one = emailPayload(['a@example.com']);
		await expect(uploadAudienceBatch(settings(), audienceId, 'replace', one)).rejects.toThrow(/^session: /);
		const big = { schema: ['EMAIL'], data: Array.from({ length: MAX_AUDIENCE_ROWS + 1 }, () => ['x']) };
		await expect(uploadAudienceBatch(settings(), audienceId, 'add', big as AudiencePayload)).rejects.toThrow(
			/^payload.data: needs 1..10000 rows, got 10001/,
		);
		const ragged = { schema: ['EMAIL', 'PHONE'], data: [['a', 'b'], ['a']] } as AudiencePayload;
		await expect(uploadAudienceBatch(settings(), audienceId, 'add', ragged)).rejects.toThrow(/^payload.data\[1\]: /);
		await expect(uploadAudienceBatch(settings(), 'act_1/x', 'add', one)).rejects.toThrow(/^audienceId: /);
		expect(meta.received).toHaveLength(0);
	});

	it('a session past its lifetime is lost (1870158), at once and without retrying', async () => {
		await meta.close();
		meta = await startAudiencesDouble({ token: TOKEN, account: '555', sessionTtlMs: 50 });
		audienceId = meta.seed('Buyers');
		const { sleep, waits } = recordingSleep();
		const s = settings({ retry: { sleep } });
		const counter = new SessionCounter(77);
		await uploadAudienceBatch(s, audienceId, 'replace', emailPayload(['a@example.com']), counter.next(false));
		await new Promise((resolve) => setTimeout(resolve, 120));
		const error = await uploadAudienceBatch(
			s,
			audienceId,
			'replace',
			emailPayload(['b@example.com']),
			counter.next(true),
		).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AudienceSessionLost);
		expect(error).toMatchObject({ subcode: 1870158, sessionId: 77 });
		expect((error as Error).message).toMatch(/timed out/);
		expect(waits).toEqual([]);
		expect(meta.requestsPerEdge.usersreplace).toBe(2);
	});

	it('a batch after the last one (1870159) and a session not starting at 1 (1870147) are lost sessions', async () => {
		const counter = new SessionCounter(88);
		await uploadAudienceBatch(settings(), audienceId, 'replace', emailPayload(['a@example.com']), counter.next(true));
		await expect(
			uploadAudienceBatch(settings(), audienceId, 'replace', emailPayload(['b@example.com']), counter.next(true)),
		).rejects.toMatchObject({ name: 'AudienceSessionLost', subcode: 1870159 });
		const late = { session_id: 99, batch_seq: 2, last_batch_flag: true };
		await expect(
			uploadAudienceBatch(settings(), audienceId, 'replace', emailPayload(['c@example.com']), late),
		).rejects.toMatchObject({ name: 'AudienceSessionLost', subcode: 1870147 });
		expect(meta.memberValues(audienceId, 'EMAIL')).toEqual([sha256Hex('a@example.com')]);
	});

	it('a refused token or an audience that does not exist is DestinationRefused, sent once', async () => {
		const { sleep, waits } = recordingSleep();
		const wrongToken = uploadAudienceBatch(
			settings({ accessToken: 'EAAB-wrong', retry: { sleep } }),
			audienceId,
			'add',
			emailPayload(['a@example.com']),
		);
		await expect(wrongToken).rejects.toBeInstanceOf(DestinationRefused);
		await expect(wrongToken).rejects.toMatchObject({ destination: 'audience', code: 190 });
		const missing = uploadAudienceBatch(
			settings({ retry: { sleep } }),
			'999999',
			'add',
			emailPayload(['a@example.com']),
		);
		await expect(missing).rejects.toMatchObject({ name: 'DestinationRefused', code: 100 });
		await expect(missing).rejects.toThrow(/does not exist/);
		expect(meta.received).toHaveLength(2);
		expect(waits).toEqual([]);
	});

	it('latencyMs delays every answer', async () => {
		await meta.close();
		meta = await startAudiencesDouble({ token: TOKEN, account: '555', latencyMs: 150 });
		audienceId = meta.seed('Slow');
		const started = Date.now();
		await uploadAudienceBatch(settings(), audienceId, 'add', emailPayload(['a@example.com']));
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});
});

describe('uploadAudienceBatch: retries and refusals (nock)', () => {
	const path = '/v25.0/123456/users';
	const base = (extra: Partial<AudienceClientSettings> = {}): AudienceClientSettings => ({
		graphUrl: GRAPH,
		apiVersion: 'v25.0',
		accessToken: TOKEN,
		timeoutMs: 2_000,
		...extra,
	});
	const graphError = (code: number, extra: Record<string, unknown> = {}) => ({
		error: { message: `(#${code}) error`, type: 'OAuthException', code, fbtrace_id: 'Trace1', ...extra },
	});
	const ok = { audience_id: '123456', num_received: 1, num_invalid_entries: 0, invalid_entry_samples: {} };
	const payload = emailPayload(['mary@example.com']);

	beforeAll(() => nock.disableNetConnect());
	afterAll(() => nock.enableNetConnect());
	afterEach(() => nock.cleanAll());

	it.each([
		['a 5xx', (s: nock.Interceptor) => s.reply(503, 'Service Unavailable')],
		['a network error', (s: nock.Interceptor) => s.replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })],
		['a transient Graph error (code 2)', (s: nock.Interceptor) => s.reply(500, graphError(2, { is_transient: true }))],
		['is_transient: true', (s: nock.Interceptor) => s.reply(400, graphError(999, { is_transient: true }))],
	])('retries %s with backoff, then succeeds', async (_name, fail) => {
		const { sleep, waits } = recordingSleep();
		fail(nock(GRAPH).post(path));
		fail(nock(GRAPH).post(path));
		nock(GRAPH).post(path).reply(200, ok);
		const out = await uploadAudienceBatch(base({ retry: { sleep } }), '123456', 'add', payload);
		expect(out).toMatchObject({ num_received: 1, requests: 3 });
		// 1 s then 2 s, each within the ±20 % jitter.
		expect(waits).toHaveLength(2);
		expect(waits[0]).toBeGreaterThanOrEqual(800);
		expect(waits[0]).toBeLessThanOrEqual(1200);
		expect(waits[1]).toBeGreaterThanOrEqual(1600);
		expect(waits[1]).toBeLessThanOrEqual(2400);
	});

	it('a request without an answer in timeoutMs is retried', async () => {
		const { sleep, waits } = recordingSleep();
		nock(GRAPH).post(path).delay(500).reply(200, ok);
		nock(GRAPH).post(path).reply(200, ok);
		const out = await uploadAudienceBatch(base({ timeoutMs: 100, retry: { sleep } }), '123456', 'add', payload);
		expect(out.requests).toBe(2);
		expect(waits).toHaveLength(1);
	});

	it("waits as long as Meta says: Retry-After, estimated_time_to_regain_access, 1870145's minute", async () => {
		const { sleep, waits } = recordingSleep();
		nock(GRAPH).post(path).reply(400, graphError(17), { 'Retry-After': '7' });
		nock(GRAPH)
			.post(path)
			.reply(400, graphError(80004), {
				'X-Business-Use-Case-Usage': JSON.stringify({
					'123': [{ type: 'custom_audience', call_count: 100, estimated_time_to_regain_access: 2 }],
				}),
			});
		nock(GRAPH)
			.post(path)
			.reply(400, graphError(2650, { error_subcode: 1870145, error_user_msg: 'Audience update in progress' }));
		nock(GRAPH).post(path).reply(200, ok);
		const out = await uploadAudienceBatch(base({ retry: { sleep } }), '123456', 'add', payload);
		expect(out.requests).toBe(4);
		expect(waits).toEqual([7_000, 120_000, 60_000]);
	});

	it('gives up with DestinationUnavailable once the bounded wait is spent', async () => {
		const { sleep, waits } = recordingSleep();
		nock(GRAPH)
			.post(path)
			.times(20)
			.reply(503, graphError(1, { message: 'An unknown error occurred' }));
		const error = await uploadAudienceBatch(
			base({ retry: { sleep, maxTotalWaitMs: 10_000 } }),
			'123456',
			'add',
			payload,
		).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DestinationUnavailable);
		expect((error as Error).message).toMatch(/An unknown error occurred .*gave up after 4 attempts/);
		expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
		nock.cleanAll();
		// A throttle asking for more than the budget is not slept on at all.
		const { sleep: sleep2, waits: waits2 } = recordingSleep();
		nock(GRAPH).post(path).reply(400, graphError(17), { 'Retry-After': '3600' });
		await expect(
			uploadAudienceBatch(base({ retry: { sleep: sleep2 } }), '123456', 'add', payload),
		).rejects.toMatchObject({ name: 'DestinationUnavailable', retryAfterMs: 3_600_000 });
		expect(waits2).toEqual([]);
	});

	it.each([
		['permission (200)', 403, graphError(200, { message: '(#200) Requires ads_management permission' })],
		['token expired (190)', 400, graphError(190, { error_subcode: 463 })],
		['invalid parameter (100)', 400, graphError(100, { message: '(#100) Invalid parameter' })],
		['health audience blocked', 400, graphError(100, { error_subcode: 1713230 })],
	])('%s is DestinationRefused, not retried', async (_name, status, body) => {
		const { sleep, waits } = recordingSleep();
		const scope = nock(GRAPH).post(path).reply(status, body);
		await expect(uploadAudienceBatch(base({ retry: { sleep } }), '123456', 'add', payload)).rejects.toBeInstanceOf(
			DestinationRefused,
		);
		expect(scope.isDone()).toBe(true);
		expect(waits).toEqual([]);
	});

	it("Meta's text is redacted and capped: no e-mail or phone of a row in the error", async () => {
		const quoting = `Invalid entries: mary@example.com, +1 (650) 555-1212 ${'x'.repeat(1_000_000)}`;
		nock(GRAPH)
			.post(path)
			.reply(400, graphError(100, { message: quoting }));
		const error = (await uploadAudienceBatch(base(), '123456', 'add', payload).catch((e: unknown) => e)) as Error & {
			reason: string;
		};
		expect(error).toBeInstanceOf(DestinationRefused);
		for (const text of [error.message, error.reason, String(error.stack)]) {
			expect(text).not.toContain('mary@example.com');
			expect(text).not.toContain('555-1212');
		}
		expect(error.reason).toContain('[redacted]');
		expect(error.message.length).toBeLessThan(500);
		// The session's end likewise.
		nock(GRAPH)
			.post('/v25.0/123456/usersreplace')
			.reply(400, graphError(2650, { error_subcode: 1870158, error_user_msg: 'timed out for bob@example.com' }));
		const lost = (await uploadAudienceBatch(base(), '123456', 'replace', payload, {
			session_id: 5,
			batch_seq: 2,
			last_batch_flag: false,
		}).catch((e: unknown) => e)) as Error;
		expect(lost).toBeInstanceOf(AudienceSessionLost);
		expect(lost.message).not.toContain('bob@example.com');
	});

	it("the caller's signal stops a call waiting to retry", async () => {
		nock(GRAPH).post(path).reply(503, 'down');
		const controller = new AbortController();
		const pending = uploadAudienceBatch(base(), '123456', 'add', payload, undefined, controller.signal);
		setTimeout(() => controller.abort(new Error('job cancelled')), 50);
		const started = Date.now();
		await expect(pending).rejects.toThrow('job cancelled');
		expect(Date.now() - started).toBeLessThan(700);
	});
});
