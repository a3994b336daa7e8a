import { createHmac } from 'node:crypto';
import nock from 'nock';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { DATASET_QUALITY_FIELDS } from '../../nodes/core/capi/datasetQuality';
import { MetaConversionsApi } from '../../nodes/MetaConversionsApi/MetaConversionsApi.node';
import { NO_PERMISSION, QUALITY_ANSWER, QUALITY_ROWS, USER_THROTTLED } from '../support/datasetQualityAnswers';
import { executeContext } from '../support/executeContext';

const GRAPH = 'https://graph.test';

function context(
	params: Record<string, unknown>,
	extra: { items?: number; continueOnFail?: boolean; appSecret?: string } = {},
) {
	return executeContext({
		items: Array.from({ length: extra.items ?? 1 }, () => ({ json: {} })),
		credentials: { accessToken: 'TOKEN', apiVersion: 'v25.0', baseUrl: `${GRAPH}/`, appSecret: extra.appSecret ?? '' },
		continueOnFail: extra.continueOnFail,
		params: { resource: 'dataset', operation: 'getQuality', options: {}, ...params },
	});
}

const run = (ctx: ReturnType<typeof context>) => new MetaConversionsApi().execute.call(ctx);

/** One read, exactly: the path, the query asked and the token in the header only. */
const qualityRead = (query: Record<string, string>) =>
	nock(GRAPH, { reqheaders: { authorization: 'Bearer TOKEN' } })
		.get('/v25.0/dataset_quality')
		.query((q) => {
			expect(q).toEqual({ ...query, fields: DATASET_QUALITY_FIELDS });
			return true;
		});

afterEach(() => nock.cleanAll());
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('Meta Conversions API node → Dataset → Get Quality (GET /{version}/dataset_quality)', () => {
	it('gives one item per event name: the scores flattened, Meta’s entry as it came under raw', async () => {
		const scope = qualityRead({ dataset_id: '123456' }).reply(200, QUALITY_ANSWER);
		const [out] = await run(context({ datasetId: ' 123456 ' }));
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual(
			QUALITY_ROWS.map((row, k) => ({
				json: { dataset_id: '123456', ...row, raw: QUALITY_ANSWER.web[k] },
				pairedItem: { item: 0 },
			})),
		);
	});

	it('reads each item’s dataset, with agent_name when set and appsecret_proof with an app secret', async () => {
		const proof = createHmac('sha256', 'app-secret').update('TOKEN').digest('hex');
		const scope = qualityRead({ dataset_id: '111', agent_name: 'myplatform', appsecret_proof: proof })
			.reply(200, { web: [QUALITY_ANSWER.web[1]] })
			.get('/v25.0/dataset_quality')
			.query((q) => q.dataset_id === '222' && !('agent_name' in q) && q.appsecret_proof === proof)
			.reply(200, { web: [] });
		const [out] = await run(
			context(
				{
					datasetId: (i: number) => ['111', '222'][i],
					options: (i: number) => (i === 0 ? { agentName: ' myplatform ' } : {}),
				},
				{ items: 2, appSecret: 'app-secret' },
			),
		);
		expect(scope.isDone()).toBe(true);
		// The second dataset has no events Meta scores: no item for it.
		expect(out.map((o) => [o.json.dataset_id, o.json.event_name, o.pairedItem])).toEqual([
			['111', 'Lead', { item: 0 }],
		]);
	});

	it("fails on a token without the permission with Meta's message and code, or under continue on fail carries it and goes on", async () => {
		qualityRead({ dataset_id: '111' }).reply(400, NO_PERMISSION);
		const error = await run(context({ datasetId: '111' })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error).toMatchObject({
			message: '(#200) Requires ads_read permission to manage the object',
			description: 'code 200, fbtrace_id AbCdEfPermission',
			httpCode: '400',
		});

		const scope = qualityRead({ dataset_id: '111' })
			.reply(400, NO_PERMISSION)
			.get('/v25.0/dataset_quality')
			.query((q) => q.dataset_id === '222')
			.reply(200, QUALITY_ANSWER);
		const [out] = await run(
			context({ datasetId: (i: number) => ['111', '222'][i] }, { items: 2, continueOnFail: true }),
		);
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => [o.json.error ?? o.json.event_name, o.pairedItem])).toEqual([
			['(#200) Requires ads_read permission to manage the object', { item: 0 }],
			['Purchase', { item: 1 }],
			['Lead', { item: 1 }],
		]);
	});

	it('waits out throttling (17) as Meta asks and reads again', async () => {
		const scope = qualityRead({ dataset_id: '111' })
			.reply(400, USER_THROTTLED, { 'retry-after': '0' })
			.get('/v25.0/dataset_quality')
			.query((q) => q.dataset_id === '111')
			.reply(200, QUALITY_ANSWER);
		const [out] = await run(context({ datasetId: '111' }));
		expect(scope.isDone()).toBe(true);
		expect(out.map((o) => o.json.composite_score)).toEqual([7.2, 6.2]);
	});

	it('refuses a dataset id that is not digits before asking Meta', async () => {
		const error = await run(context({ datasetId: '111/events?x=' })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('Dataset ID must be digits only, not "111/events?x="');
		expect(nock.pendingMocks()).toEqual([]);
	});
});
