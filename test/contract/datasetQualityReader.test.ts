import { createHmac } from 'node:crypto';
import nock from 'nock';
import pino from 'pino';
import { DATASET_QUALITY_FIELDS } from '../../nodes/core/capi/datasetQuality';
import { MAX_QUALITY_ANSWER_BYTES, readDatasetQuality } from '../../service/src/meta/datasetQualityClient';
import type { GraphSettings } from '../../service/src/meta/graphClient';
import { DatasetQualityReader } from '../../service/src/usecases/datasetQuality';
import {
	NO_PERMISSION,
	QUALITY_ANSWER,
	QUALITY_ROWS,
	THROTTLED_USAGE_HEADER,
	TOKEN_EXPIRED,
	USER_THROTTLED,
} from '../support/datasetQualityAnswers';

const GRAPH = 'https://graph.test';
const TOKEN = 'EAAB-quality-token';
const SECRET = 'app-secret-1';
const settings: GraphSettings = {
	graphUrl: `${GRAPH}/`,
	apiVersion: 'v25.0',
	accessToken: TOKEN,
	appSecret: SECRET,
	timeoutMs: 5_000,
};
const proof = createHmac('sha256', SECRET).update(TOKEN).digest('hex');

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** The read of one dataset, exactly: its path, its query, the token in the header and nowhere else. */
const qualityRead = (datasetId: string, extra: Record<string, string> = {}) =>
	nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` }, badheaders: ['content-length'] })
		.get('/v25.0/dataset_quality')
		.query((q) => {
			expect(q).toEqual({ dataset_id: datasetId, fields: DATASET_QUALITY_FIELDS, appsecret_proof: proof, ...extra });
			expect(JSON.stringify(q)).not.toContain(TOKEN);
			return true;
		});

describe("the service's Dataset Quality client → GET /{version}/dataset_quality", () => {
	it('asks for every metric of one dataset and flattens the answer per event name', async () => {
		const scope = qualityRead('123456').reply(200, QUALITY_ANSWER);
		const answer = await readDatasetQuality(settings, '123456');
		expect(scope.isDone()).toBe(true);
		expect(answer).toEqual({
			ok: true,
			usage: { maxPercent: 0 },
			rows: QUALITY_ROWS,
		});
	});

	it('filters by agent_name when given, and checks the dataset id before asking', async () => {
		const scope = qualityRead('123456', { agent_name: 'conversionrelay' }).reply(200, { web: [] });
		expect(await readDatasetQuality(settings, '123456', { agentName: 'conversionrelay' })).toMatchObject({
			ok: true,
			rows: [],
		});
		expect(scope.isDone()).toBe(true);
		await expect(readDatasetQuality(settings, '123&fields=x')).rejects.toThrow(/datasetId/);
	});

	it('classifies a token without the permission (200) and an expired one (190) as auth, with Meta’s message', async () => {
		qualityRead('123456').reply(400, NO_PERMISSION);
		qualityRead('123456').reply(400, TOKEN_EXPIRED);
		expect(await readDatasetQuality(settings, '123456')).toEqual({
			ok: false,
			error: expect.objectContaining({
				class: 'auth',
				retryable: false,
				code: 200,
				message: '(#200) Requires ads_read permission to manage the object',
				traceId: 'AbCdEfPermission',
			}),
		});
		expect(await readDatasetQuality(settings, '123456')).toMatchObject({
			ok: false,
			error: { class: 'auth', code: 190, subcode: 463 },
		});
	});

	it("classifies throttling (17) with the wait Meta's usage header gives; usage on a success is passed on", async () => {
		qualityRead('123456').reply(400, USER_THROTTLED, { 'x-business-use-case-usage': THROTTLED_USAGE_HEADER });
		expect(await readDatasetQuality(settings, '123456')).toMatchObject({
			ok: false,
			error: { class: 'throttle', code: 17, retryAfterMs: 7 * 60_000 },
		});
		qualityRead('123456').reply(200, QUALITY_ANSWER, {
			'x-app-usage': JSON.stringify({ call_count: 93, total_cputime: 10, total_time: 12 }),
		});
		expect(await readDatasetQuality(settings, '123456')).toMatchObject({ ok: true, usage: { maxPercent: 93 } });
	});

	it('refuses an answer past its size bound instead of holding it (a network failure: tried again later)', async () => {
		qualityRead('123456').reply(200, `{"web":[${'{"event_name":"x"},'.repeat(MAX_QUALITY_ANSWER_BYTES / 18)}{}]}`);
		expect(await readDatasetQuality(settings, '123456')).toMatchObject({
			ok: false,
			error: { class: 'retry', code: 'E2BIG' },
		});
	});
});

describe('DatasetQualityReader over the real client (nock): what the status page is given', () => {
	it('keeps each pixel’s answer or its refusal, and backs off after throttling', async () => {
		let now = Date.now();
		const reader = new DatasetQualityReader(
			{
				settings,
				pixels: async () => ['111', '222'],
				clock: () => now,
				random: () => 0.5,
				log: pino({ level: 'silent' }),
			},
			{ intervalMs: 6 * 3_600_000, initialDelayMs: 0, gapMs: 10_000 },
		);
		qualityRead('111').reply(200, QUALITY_ANSWER);
		qualityRead('222').reply(403, NO_PERMISSION);
		now = await reader.tick();
		now = await reader.tick();
		expect(nock.isDone()).toBe(true);
		expect(reader.view()).toMatchObject({
			state: 'on',
			pixels: [
				{
					pixelId: '111',
					status: 'ok',
					rows: [{ event_name: 'Purchase', composite_score: 7.2 }, { event_name: 'Lead' }],
				},
				{ pixelId: '222', status: 'refused', rows: [], error: { class: 'auth', code: 200 } },
			],
		});

		// Six hours on, Meta throttles: no request for the 15 minutes after, then the same pixel again.
		now += 6 * 3_600_000;
		qualityRead('111').reply(400, USER_THROTTLED);
		const next = await reader.tick();
		expect(next - now).toBe(15 * 60_000);
		// A request now would find no answer here and turn the pixel from throttled to failed.
		now += 60_000;
		expect(await reader.tick()).toBeLessThanOrEqual(next);
		expect(reader.view()).toMatchObject({ pausedUntil: next, pixels: [{ pixelId: '111', status: 'throttled' }, {}] });
		now = next;
		qualityRead('111').reply(200, QUALITY_ANSWER);
		await reader.tick();
		expect(nock.isDone()).toBe(true);
		expect(reader.view()).toMatchObject({ pixels: [{ pixelId: '111', status: 'ok' }, { pixelId: '222' }] });
	});
});
