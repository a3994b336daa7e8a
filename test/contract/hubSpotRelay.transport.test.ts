import nock from 'nock';
import { NodeApiError, type ICredentialDataDecryptedObject, type IHttpRequestOptions } from 'n8n-workflow';
import { HubSpotRelayApi } from '../../credentials/HubSpotRelayApi.credentials';
import { HubSpotRelay } from '../../nodes/HubSpotRelay/HubSpotRelay.node';
import { HUBSPOT_MAX_ATTEMPTS } from '../../nodes/shared/transport/hubspot';
import { executeContext } from '../support/executeContext';

const HUB = 'https://hubspot.test';
const credential = new HubSpotRelayApi();

// Reading a contact by id: the smallest call through the transport.
function getContact(extra: { continueOnFail?: boolean; items?: number } = {}) {
	return executeContext({
		items: Array.from({ length: extra.items ?? 1 }, () => ({ json: {} })),
		credentials: { accessToken: 'pat-na1-TOKEN', baseUrl: `${HUB}/` },
		continueOnFail: extra.continueOnFail,
		params: { resource: 'contact', operation: 'get', findBy: 'id', contactId: '51', returnProperties: '' },
	});
}

const run = (ctx: ReturnType<typeof getContact>) => new HubSpotRelay().execute.call(ctx);

const rateLimited = (policyName: string) => ({
	status: 'error',
	message: `You have reached your ${policyName.toLowerCase()} limit.`,
	errorType: 'RATE_LIMIT',
	correlationId: 'c-429',
	policyName,
});

afterEach(() => {
	nock.cleanAll();
	jest.useRealTimers();
});
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

/** With fake timers: lets any request a fired timer started reach nock. */
async function flush() {
	for (let k = 0; k < 300; k++) await new Promise((resolve) => setImmediate(resolve));
}

/** With fake timers: lets I/O run until the transport has answered `calls` requests and sleeps on a timer. */
async function untilWaiting(calls: () => number, expected: number) {
	for (let k = 0; k < 5_000 && !(calls() === expected && jest.getTimerCount() > 0); k++)
		await new Promise((resolve) => setImmediate(resolve));
	expect(calls()).toBe(expected);
}

describe('HubSpot transport', () => {
	it('waits out a TEN_SECONDLY_ROLLING 429 for the ten-second window before trying again', async () => {
		jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
		let calls = 0;
		nock(HUB)
			.get('/crm/v3/objects/contacts/51')
			.times(2)
			.reply(() => (++calls === 1 ? [429, rateLimited('TEN_SECONDLY_ROLLING')] : [200, { id: '51', properties: {} }]));
		const pending = run(getContact());
		await untilWaiting(() => calls, 1);
		await jest.advanceTimersByTimeAsync(9_900);
		await flush();
		expect(calls).toBe(1);
		await jest.advanceTimersByTimeAsync(200);
		const [out] = await pending;
		expect(calls).toBe(2);
		expect(out[0].json).toEqual({ id: '51', properties: {} });
	});

	it('waits one second for a SECONDLY 429, and as long as Retry-After says otherwise', async () => {
		jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
		let calls = 0;
		nock(HUB)
			.get('/crm/v3/objects/contacts/51')
			.times(3)
			.reply(() => {
				calls++;
				if (calls === 1) return [429, rateLimited('SECONDLY')];
				if (calls === 2) return [429, rateLimited('TEN_SECONDLY_ROLLING'), { 'Retry-After': '3' }];
				return [200, { id: '51', properties: {} }];
			});
		const pending = run(getContact());
		await untilWaiting(() => calls, 1);
		await jest.advanceTimersByTimeAsync(1_050);
		await untilWaiting(() => calls, 2);
		await jest.advanceTimersByTimeAsync(2_900);
		await flush();
		expect(calls).toBe(2);
		await jest.advanceTimersByTimeAsync(200);
		await pending;
		expect(calls).toBe(3);
	});

	it('gives up after a bounded number of attempts with HubSpot’s message', async () => {
		const scope = nock(HUB)
			.get('/crm/v3/objects/contacts/51')
			.times(HUBSPOT_MAX_ATTEMPTS)
			.reply(429, rateLimited('TEN_SECONDLY_ROLLING'), { 'Retry-After': '0' });
		await expect(run(getContact())).rejects.toThrow('You have reached your ten_secondly_rolling limit.');
		expect(scope.isDone()).toBe(true);
	});

	it('surfaces a DAILY 429 at once, without retrying, per item with continue on fail', async () => {
		const scope = nock(HUB).get('/crm/v3/objects/contacts/51').times(2).reply(429, rateLimited('DAILY'));
		const [out] = await run(getContact({ continueOnFail: true, items: 2 }));
		expect(scope.isDone()).toBe(true);
		expect(out).toEqual([
			{ json: { error: 'You have reached your daily limit.' }, pairedItem: { item: 0 } },
			{ json: { error: 'You have reached your daily limit.' }, pairedItem: { item: 1 } },
		]);
		nock(HUB).get('/crm/v3/objects/contacts/51').reply(429, rateLimited('DAILY'));
		const error = (await run(getContact()).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.description).toBe(
			"policy DAILY, the daily limit resets at midnight in the account's time zone, correlationId c-429",
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('retries a 502 and then succeeds', async () => {
		const scope = nock(HUB)
			.get('/crm/v3/objects/contacts/51')
			.reply(502, '<html>Bad gateway</html>', { 'Retry-After': '0' })
			.get('/crm/v3/objects/contacts/51')
			.reply(200, { id: '51', properties: {} });
		const [out] = await run(getContact());
		expect(scope.isDone()).toBe(true);
		expect(out[0].json.id).toBe('51');
	});

	it('does not retry an expired token', async () => {
		const scope = nock(HUB).get('/crm/v3/objects/contacts/51').reply(401, {
			status: 'error',
			message: 'The OAuth token used to make this call expired 2 day(s) ago.',
			category: 'EXPIRED_AUTHENTICATION',
			correlationId: 'c-401',
		});
		await expect(run(getContact())).rejects.toThrow('The OAuth token used to make this call expired 2 day(s) ago.');
		expect(scope.isDone()).toBe(true);
	});
});

describe('HubSpot credential', () => {
	// n8n resolves each ={{ }} as a JavaScript expression with $credentials in scope.
	const resolve = (value: unknown, credentials: ICredentialDataDecryptedObject) =>
		typeof value === 'string' && value.startsWith('={{')
			? new Function('$credentials', `return (${value.slice(3, -2)});`)(credentials)
			: value;

	it('puts the token in a Bearer header', () => {
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
		});
		const token = credential.properties.find((p) => p.name === 'accessToken');
		expect(token?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://api.hubapi.com');
	});

	it('tests the connection by reading one contact at the base URL', async () => {
		const credentials = { accessToken: 'pat-na1-T', baseUrl: 'http://127.0.0.1:9/' };
		const request = credential.test.request as IHttpRequestOptions & { baseURL: string };
		const scope = nock('http://127.0.0.1:9', { reqheaders: { authorization: 'Bearer pat-na1-T' } })
			.get('/crm/v3/objects/contacts')
			.query({ limit: '1' })
			.reply(200, { results: [] });
		const url = new URL(`${resolve(request.baseURL, credentials)}${request.url}`);
		for (const [k, v] of Object.entries(request.qs ?? {})) url.searchParams.set(k, String(v));
		const response = await fetch(url, { headers: { authorization: `Bearer ${credentials.accessToken}` } });
		expect(response.status).toBe(200);
		expect(scope.isDone()).toBe(true);
	});
});
