import nock from 'nock';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IBinaryData, IDataObject, INodeProperties } from 'n8n-workflow';
import { ConversionRelayApi } from '../../credentials/ConversionRelayApi.credentials';
import { ConversionRelay } from '../../nodes/ConversionRelay/ConversionRelay.node';
import { RELAY_SIGNATURE_HEADER, verifyRelaySignature } from '../../nodes/core/signatures/relay';
import { executeContext } from '../support/executeContext';

// Conversion Relay → Sync Job against the service's jobs API as the lead engineer specified it
// (POST /v1/jobs, GET /v1/jobs/{id}, POST /v1/jobs/{id}/cancel), answered by nock: the exact
// requests (path, query, body, content type, authentication) and what the node makes of the answers.

const BASE = 'http://relay.jobs.test';
const SECRET = 'relay-jobs-secret-0123456789abcdef';
const JOB_ID = '5b1f7a52-3c1e-4d7a-9f0e-2a6c8e4b1d90';
const OTHER_ID = '0d6c2e44-8a0b-4f51-b3c7-61e2f9a0c7d3';
const credential = new ConversionRelayApi();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A job as GET /v1/jobs/{id} answers it, times relative to now. */
function job(state: string, extra: IDataObject = {}): IDataObject {
	const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
	const final = ['done', 'failed', 'cancelled'].includes(state);
	return {
		id: JOB_ID,
		state,
		spec: { source: 'shopify_customers', audience: { id: '23850000000000001', mode: 'replace', schema: ['EMAIL'] } },
		counters: { read: final ? 1200 : 300, audience: { sent: 300, invalid: 2, requests: 1 } },
		progress: { records: 300, total: 1200, fraction: 0.25, rate_per_second: 150, eta_seconds: 6 },
		error: null,
		attempts: 1,
		cancel_requested: false,
		created_at: at(60_000),
		updated_at: at(1_000),
		started_at: at(50_000),
		finished_at: final ? at(0) : null,
		...extra,
	};
}

interface Seen {
	path: string;
	body: string;
	headers: Record<string, string | string[] | undefined>;
}

function context(
	params: Record<string, unknown>,
	extra: {
		continueOnFail?: boolean;
		items?: Array<{ json: IDataObject; binary?: Record<string, IBinaryData> }>;
		binaryFiles?: Record<string, string>;
		cancelSignal?: AbortSignal;
	} = {},
) {
	return executeContext({
		items: extra.items ?? [{ json: {} }],
		credentials: { baseUrl: `${BASE}/`, apiSecret: SECRET },
		authenticateRequest: credential.authenticate,
		continueOnFail: extra.continueOnFail,
		binaryFiles: extra.binaryFiles,
		cancelSignal: extra.cancelSignal,
		params: { resource: 'job', ...params },
	});
}

/** Signed as the credential signs (HMAC over the exact body), the secret itself not sent. */
function expectSigned(seen: Seen) {
	const header = seen.headers[RELAY_SIGNATURE_HEADER] as string;
	expect(verifyRelaySignature({ rawBody: seen.body, header, secrets: [SECRET] })).toMatchObject({ ok: true });
	expect(JSON.stringify(seen.headers)).not.toContain(SECRET);
}

const run = async (ctx: ReturnType<typeof context>) => (await new ConversionRelay().execute.call(ctx))[0];

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

/** Records every request to `path` (and method) and answers each with the next of `answers` (the last one repeats). */
function serve(method: 'GET' | 'POST', path: string | RegExp, answers: Array<[number, IDataObject]>) {
	const seen: Seen[] = [];
	nock(BASE)
		.intercept(path, method)
		.query(true)
		.times(1000)
		.reply(function (uri, body) {
			seen.push({ path: uri, body: typeof body === 'string' ? body : JSON.stringify(body), headers: this.req.headers });
			return answers[Math.min(seen.length - 1, answers.length - 1)];
		});
	return seen;
}

describe('Sync Job → Start', () => {
	const customers = {
		operation: 'start',
		jobSource: 'shopify_customers',
		toAudience: true,
		audienceId: '23850000000000001',
		audienceMode: 'replace',
		audienceSchema: ['EMAIL', 'PHONE', 'EXTERN_ID'],
		audienceSegment: 'all',
		toHubSpot: true,
	};

	it('Shopify customers → audience replace + HubSpot: the spec as JSON, signed; the output is the job as answered', async () => {
		const answer = job('queued');
		const seen = serve('POST', '/v1/jobs', [[202, answer]]);
		const out = await run(context(customers));
		expect(seen).toHaveLength(1);
		expect(seen[0].path).toBe('/v1/jobs');
		expect(JSON.parse(seen[0].body)).toEqual({
			source: 'shopify_customers',
			audience: { id: '23850000000000001', mode: 'replace', schema: ['EMAIL', 'PHONE', 'EXTERN_ID'] },
			hubspot: true,
		});
		expect(seen[0].headers['content-type']).toBe('application/json');
		expectSigned(seen[0]);
		expect(out).toEqual([{ json: answer, pairedItem: { item: 0 } }]);
	});

	it('a segment goes with the audience for Shopify customers; one job per item', async () => {
		const seen = serve('POST', '/v1/jobs', [[202, job('queued')]]);
		const out = await run(
			context(
				{ ...customers, audienceSegment: (i: number) => ['new', 'engaged'][i], toHubSpot: false },
				{ items: [{ json: {} }, { json: {} }] },
			),
		);
		expect(seen.map((s) => JSON.parse(s.body))).toEqual([
			{ source: 'shopify_customers', audience: expect.objectContaining({ segment: 'new' }) },
			{ source: 'shopify_customers', audience: expect.objectContaining({ segment: 'engaged' }) },
		]);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('Shopify orders → Purchase events for the pixel (with a test code) and HubSpot; no segment for orders', async () => {
		const seen = serve('POST', '/v1/jobs', [[202, job('queued')]]);
		await run(
			context({
				...customers,
				jobSource: 'shopify_orders',
				toAudience: false,
				audienceSegment: 'new',
				toPurchaseEvents: true,
				jobPixelId: ' 1234567890 ',
				jobTestEventCode: 'TEST4242',
			}),
		);
		expect(JSON.parse(seen[0].body)).toEqual({
			source: 'shopify_orders',
			hubspot: true,
			events: { pixel_id: '1234567890', test_event_code: 'TEST4242' },
		});
		expectSigned(seen[0]);
	});

	it("Purchase events without a pixel ID: the service's META_PIXEL_ID (the events key alone)", async () => {
		const seen = serve('POST', '/v1/jobs', [[202, job('queued')]]);
		await run(
			context({
				...customers,
				jobSource: 'shopify_orders',
				toAudience: false,
				toHubSpot: false,
				toPurchaseEvents: true,
				jobPixelId: '',
				jobTestEventCode: '',
			}),
		);
		expect(JSON.parse(seen[0].body)).toEqual({ source: 'shopify_orders', events: {} });
	});

	it('refuses what the service would refuse before sending anything: no destination, an audience ID or pixel that is not digits, no schema', async () => {
		const seen = serve('POST', '/v1/jobs', [[202, job('queued')]]);
		await expect(run(context({ ...customers, toAudience: false, toHubSpot: false }))).rejects.toThrow(
			'The job has nowhere to send the customers: turn on Meta Custom Audience or HubSpot Contacts',
		);
		await expect(run(context({ ...customers, audienceId: 'act_123' }))).rejects.toThrow(
			'Audience ID must be digits only, not "act_123"',
		);
		await expect(run(context({ ...customers, audienceSchema: [] }))).rejects.toThrow('Schema: choose at least one key');
		await expect(
			run(
				context({
					...customers,
					jobSource: 'shopify_orders',
					toAudience: false,
					toHubSpot: false,
					toPurchaseEvents: true,
					jobPixelId: 'px-1',
				}),
			),
		).rejects.toThrow('Pixel (Dataset) ID must be digits only, not "px-1"');
		expect(seen).toHaveLength(0);
	});

	it("a 4xx from the service fails the item with the service's message; with continue on fail the item carries it", async () => {
		serve('POST', '/v1/jobs', [
			[
				409,
				{ error: { code: 'conflict', message: 'a job for this audience is already running', field: 'audience.id' } },
			],
		]);
		await expect(run(context(customers))).rejects.toMatchObject({
			message: 'a job for this audience is already running',
			description: 'field: audience.id',
			httpCode: '409',
		});
		const out = await run(context(customers, { continueOnFail: true, items: [{ json: {} }, { json: {} }] }));
		expect(out).toEqual([
			{ json: { error: 'a job for this audience is already running' }, pairedItem: { item: 0 } },
			{ json: { error: 'a job for this audience is already running' }, pairedItem: { item: 1 } },
		]);
	});

	describe('Customer File', () => {
		let dir: string;
		let ndjson: string;
		let bytes: Buffer;
		beforeAll(() => {
			dir = mkdtempSync(join(tmpdir(), 'relay-jobs-'));
			// About 3 MB (many of the 64 KiB chunks n8n's stream reads), non-ASCII and CRLF line ends,
			// no final newline: anything re-encoded, re-joined or cut would change its hash.
			const lines: string[] = [];
			for (let i = 0, length = 0; length < 3_000_000; i++) {
				lines.push(JSON.stringify({ email: `kunde.${i}@example.com`, first_name: 'Zoë', city: 'Köln ✓' }));
				length += lines[i].length + 2;
			}
			bytes = Buffer.from(lines.join('\r\n'), 'utf8');
			ndjson = join(dir, 'customers.ndjson');
			writeFileSync(ndjson, bytes);
		});
		afterAll(() => rmSync(dir, { recursive: true, force: true }));

		const fileParams = {
			operation: 'start',
			jobSource: 'file',
			binaryPropertyName: 'data',
			fileFormat: 'detect',
			toAudience: true,
			audienceId: '23850000000000009',
			audienceMode: 'add',
			audienceSchema: ['EMAIL', 'PHONE'],
			audienceSegment: 'new',
			toHubSpot: true,
		};
		const onDisk = (binary: Partial<IBinaryData>) => ({
			json: {},
			binary: {
				data: { data: 'filesystem-v2', mimeType: 'application/octet-stream', id: 'filesystem-v2:1', ...binary },
			},
		});

		it('streams the file from n8n binary data as the raw body, byte-identical: the spec in the query, NDJSON content type, the secret as Bearer', async () => {
			const answer = job('queued', { spec: { source: 'file', file: { format: 'ndjson', records: 1, chunks: 1 } } });
			const seen = serve('POST', '/v1/jobs', [[202, answer]]);
			const ctx = context(fileParams, {
				items: [onDisk({ fileName: 'customers.ndjson', fileExtension: 'ndjson' })],
				binaryFiles: { 'filesystem-v2:1': ndjson },
			});
			const out = await run(ctx);
			expect(out).toEqual([{ json: answer, pairedItem: { item: 0 } }]);
			expect(seen).toHaveLength(1);
			const url = new URL(seen[0].path, BASE);
			expect(url.pathname).toBe('/v1/jobs');
			expect(Object.fromEntries(url.searchParams)).toEqual({
				source: 'file',
				format: 'ndjson',
				audience_id: '23850000000000009',
				audience_mode: 'add',
				schema: 'EMAIL,PHONE',
				hubspot: 'true',
			});
			expect(seen[0].headers['content-type']).toBe('application/x-ndjson');
			expect(seen[0].headers['content-length']).toBe(String(bytes.length));
			expect(seen[0].headers.authorization).toBe(`Bearer ${SECRET}`);
			expect(seen[0].headers[RELAY_SIGNATURE_HEADER]).toBeUndefined();
			const received = Buffer.from(seen[0].body, 'utf8');
			expect(received.length).toBe(bytes.length);
			expect(sha(received)).toBe(sha(bytes));
			// Streamed: the node opened n8n's stream and never asked for the file as one buffer.
			expect(ctx.binaryCalls).toEqual(['getBinaryMetadata:filesystem-v2:1', 'getBinaryStream:filesystem-v2:1']);
			expect(typeof (ctx.requests[0].options.body as { pipe?: unknown }).pipe).toBe('function');
		});

		it('detects CSV from the extension, NDJSON from the MIME type alone; a chosen format wins; no segment in a file job', async () => {
			const seen = serve('POST', '/v1/jobs', [[202, job('queued')]]);
			const csv = join(dir, 'export.CSV');
			writeFileSync(csv, 'email,phone\r\nana@example.com,+4930123456\r\n');
			await run(
				context(fileParams, {
					items: [onDisk({ fileName: 'export.CSV', mimeType: 'application/vnd.ms-excel' })],
					binaryFiles: { 'filesystem-v2:1': csv },
				}),
			);
			await run(
				context(fileParams, {
					items: [onDisk({ fileName: 'upload', mimeType: 'application/x-ndjson; charset=utf-8' })],
					binaryFiles: { 'filesystem-v2:1': ndjson },
				}),
			);
			await run(
				context(
					{ ...fileParams, fileFormat: 'csv' },
					{
						items: [onDisk({ fileName: 'customers.txt', mimeType: 'text/plain' })],
						binaryFiles: { 'filesystem-v2:1': csv },
					},
				),
			);
			const formats = seen.map((s) => [new URL(s.path, BASE).searchParams.get('format'), s.headers['content-type']]);
			expect(formats).toEqual([
				['csv', 'text/csv'],
				['ndjson', 'application/x-ndjson'],
				['csv', 'text/csv'],
			]);
			expect(seen.every((s) => !new URL(s.path, BASE).searchParams.has('segment'))).toBe(true);
			expect(Buffer.from(seen[0].body, 'utf8')).toEqual(readFileSync(csv));
		});

		it('cannot tell the format: fails naming the binary field, the extension and the MIME type (not the file name), nothing sent', async () => {
			const seen = serve('POST', '/v1/jobs', [[202, job('queued')]]);
			const error = await run(
				context(fileParams, {
					items: [onDisk({ fileName: 'anna-schmidt.txt', mimeType: 'text/plain' })],
					binaryFiles: { 'filesystem-v2:1': ndjson },
				}),
			).catch((e: Error) => e);
			expect(error).toMatchObject({
				message:
					'Cannot tell whether the file in binary field "data" is NDJSON or CSV (extension .txt, MIME type text/plain)',
				description: 'Choose NDJSON or CSV under File Format.',
			});
			expect(JSON.stringify(error)).not.toContain('anna');
			await expect(run(context(fileParams, { items: [{ json: {} }] }))).rejects.toThrow(
				"expects the node's input data to contain a binary file 'data'",
			);
			expect(seen).toHaveLength(0);
		});

		it('a file n8n holds in memory goes as its bytes, with its length', async () => {
			const seen = serve('POST', '/v1/jobs', [[202, job('queued')]]);
			const small = Buffer.from('{"email":"lea@example.com"}\n{"email":"tom@example.com"}\n', 'utf8');
			const ctx = context(
				{ ...fileParams, toAudience: false },
				{
					items: [
						{
							json: {},
							binary: {
								data: { data: small.toString('base64'), mimeType: 'application/x-ndjson', fileName: 'a.jsonl' },
							},
						},
					],
				},
			);
			await run(ctx);
			expect(Object.fromEntries(new URL(seen[0].path, BASE).searchParams)).toEqual({
				source: 'file',
				format: 'ndjson',
				hubspot: 'true',
			});
			expect(Buffer.from(seen[0].body, 'utf8')).toEqual(small);
			expect(seen[0].headers['content-length']).toBe(String(small.length));
			expect(seen[0].headers.authorization).toBe(`Bearer ${SECRET}`);
			expect(ctx.binaryCalls).toEqual(['getBinaryDataBuffer:in-memory']);
		});

		it("a bad line: the service's 400 names the line, and the item fails with it", async () => {
			serve('POST', '/v1/jobs', [
				[400, { error: { code: 'invalid_file', message: 'line 3: not a JSON object', field: 'body' } }],
			]);
			const out = await run(
				context(fileParams, {
					continueOnFail: true,
					items: [onDisk({ fileName: 'customers.ndjson' })],
					binaryFiles: { 'filesystem-v2:1': ndjson },
				}),
			);
			expect(out).toEqual([{ json: { error: 'line 3: not a JSON object' }, pairedItem: { item: 0 } }]);
		});
	});
});

describe('Sync Job → Get and Cancel', () => {
	it('Get: GET /v1/jobs/{id}, signed; the output is the job', async () => {
		const answer = job('sending');
		const seen = serve('GET', `/v1/jobs/${JOB_ID}`, [[200, answer]]);
		const out = await run(context({ operation: 'get', jobId: ` ${JOB_ID.toUpperCase()} ` }));
		expect(out).toEqual([{ json: answer, pairedItem: { item: 0 } }]);
		expect(seen).toHaveLength(1);
		expect(seen[0].body).toBe('');
		expectSigned(seen[0]);
	});

	it("Get: an ID that is not a UUID fails before any request; the service's 404 with its message", async () => {
		const seen = serve('GET', /\/v1\/jobs\/.*/, [
			[404, { error: { code: 'not_found', message: 'no job with this id' } }],
		]);
		await expect(run(context({ operation: 'get', jobId: '../events' }))).rejects.toThrow(
			'Job ID must be the ID Start returned (a UUID), not "../events"',
		);
		expect(seen).toHaveLength(0);
		await expect(run(context({ operation: 'get', jobId: OTHER_ID }))).rejects.toThrow('no job with this id');
		expect(seen.map((s) => s.path)).toEqual([`/v1/jobs/${OTHER_ID}`]);
	});

	it('Cancel: POST /v1/jobs/{id}/cancel, signed; the output is the job', async () => {
		const answer = job('sending', { cancel_requested: true });
		const seen = serve('POST', `/v1/jobs/${JOB_ID}/cancel`, [[200, answer]]);
		const out = await run(context({ operation: 'cancel', jobId: JOB_ID }));
		expect(out).toEqual([{ json: answer, pairedItem: { item: 0 } }]);
		expectSigned(seen[0]);
	});
});

describe('Sync Job → Get Many', () => {
	const THIRD_ID = '9e3b51c0-7d2a-4c8e-a1f6-3b0d5e7c9a24';
	const jobs = (state: string, ids: string[]) => ids.map((id) => job(state, { id }));
	const queryOf = (seen: Seen) => Object.fromEntries(new URL(seen.path, BASE).searchParams);

	it('Return All: GET /v1/jobs 100 a page along next_cursor, signed; one item per job, in the order answered', async () => {
		const first = jobs('done', [JOB_ID, OTHER_ID]);
		const second = jobs('failed', [THIRD_ID]);
		const seen = serve('GET', '/v1/jobs', [
			[200, { data: first, next_cursor: 'cursor-page-2' }],
			[200, { data: second, next_cursor: null }],
		]);
		const out = await run(context({ operation: 'list', jobState: '', returnAll: true }));
		expect(out).toEqual([...first, ...second].map((json) => ({ json, pairedItem: { item: 0 } })));
		expect(seen.map((s) => new URL(s.path, BASE).pathname)).toEqual(['/v1/jobs', '/v1/jobs']);
		expect(seen.map(queryOf)).toEqual([{ limit: '100' }, { limit: '100', cursor: 'cursor-page-2' }]);
		for (const s of seen) {
			expect(s.body).toBe('');
			expectSigned(s);
		}
	});

	it('a limit and a state: the state as the filter, each page asks for what is left, nothing past the limit', async () => {
		const seen = serve('GET', '/v1/jobs', [
			[200, { data: jobs('failed', [JOB_ID, OTHER_ID]), next_cursor: 'cursor-page-2' }],
			[200, { data: jobs('failed', [THIRD_ID]), next_cursor: 'cursor-page-3' }],
		]);
		const out = await run(context({ operation: 'list', jobState: 'failed', returnAll: false, limit: 3 }));
		expect(out.map((o) => o.json.id)).toEqual([JOB_ID, OTHER_ID, THIRD_ID]);
		expect(seen.map(queryOf)).toEqual([
			{ limit: '3', state: 'failed' },
			{ limit: '1', state: 'failed', cursor: 'cursor-page-2' },
		]);
		// No job in that state: no item, after one request.
		nock.cleanAll();
		const none = serve('GET', '/v1/jobs', [[200, { data: [], next_cursor: null }]]);
		expect(await run(context({ operation: 'list', jobState: 'sending', returnAll: true }))).toEqual([]);
		expect(none.map(queryOf)).toEqual([{ limit: '100', state: 'sending' }]);
	});

	it("a refused query fails the item with the service's message; with continue on fail the item carries it", async () => {
		serve('GET', '/v1/jobs', [
			[400, { error: { code: 'invalid_query', message: 'state: not one of the job states', field: 'state' } }],
		]);
		await expect(run(context({ operation: 'list', jobState: 'queued', returnAll: true }))).rejects.toThrow(
			'state: not one of the job states',
		);
		const out = await run(
			context({ operation: 'list', jobState: 'queued', returnAll: true }, { continueOnFail: true }),
		);
		expect(out).toEqual([{ json: { error: 'state: not one of the job states' }, pairedItem: { item: 0 } }]);
	});
});

describe('Sync Job → Wait', () => {
	const wait = { operation: 'wait', jobId: JOB_ID, pollInterval: 0.02, maxWaitMinutes: 1 };

	it('polls until the job is done and outputs it', async () => {
		const done = job('done');
		const seen = serve('GET', `/v1/jobs/${JOB_ID}`, [
			[200, job('queued')],
			[200, job('exporting')],
			[200, job('sending')],
			[200, done],
		]);
		const started = Date.now();
		const out = await run(context(wait));
		expect(out).toEqual([{ json: done, pairedItem: { item: 0 } }]);
		expect(seen).toHaveLength(4);
		expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 20 - 5);
		seen.forEach(expectSigned);
	});

	it("a failed job fails the item with the job's reason; with continue on fail that item carries it and the next is waited for", async () => {
		serve('GET', `/v1/jobs/${JOB_ID}`, [
			[200, job('sending')],
			[200, job('failed', { error: 'Meta refused the audience: (#2650) audience deleted', attempts: 2 })],
		]);
		const other = job('done', { id: OTHER_ID });
		serve('GET', `/v1/jobs/${OTHER_ID}`, [[200, other]]);
		await expect(run(context(wait))).rejects.toMatchObject({
			message: `Sync job ${JOB_ID} failed: Meta refused the audience: (#2650) audience deleted`,
			description: 'Read: 1200 records. Attempts: 2.',
		});
		const out = await run(
			context(
				{ ...wait, jobId: (i: number) => [JOB_ID, OTHER_ID][i] },
				{ continueOnFail: true, items: [{ json: {} }, { json: {} }] },
			),
		);
		expect(out).toEqual([
			{
				json: { error: `Sync job ${JOB_ID} failed: Meta refused the audience: (#2650) audience deleted` },
				pairedItem: { item: 0 },
			},
			{ json: other, pairedItem: { item: 1 } },
		]);
	});

	it('a cancelled job fails the item, saying so', async () => {
		serve('GET', `/v1/jobs/${JOB_ID}`, [[200, job('cancelled', { cancel_requested: true })]]);
		await expect(run(context(wait))).rejects.toThrow(`Sync job ${JOB_ID} was cancelled`);
	});

	it('waiting beyond the maximum fails naming the job and its last state; the job is left running', async () => {
		const seen = serve('GET', `/v1/jobs/${JOB_ID}`, [[200, job('sending')]]);
		const started = Date.now();
		// 0.003 minutes: 180 ms, polled every 50 ms.
		await expect(run(context({ ...wait, pollInterval: 0.05, maxWaitMinutes: 0.003 }))).rejects.toMatchObject({
			message: `Sync job ${JOB_ID} did not finish within 0.003 minutes: its last state was sending (300 records done)`,
			description: expect.stringContaining('The job goes on in the relay service'),
		});
		const took = Date.now() - started;
		expect(took).toBeGreaterThanOrEqual(175);
		expect(took).toBeLessThan(2_000);
		expect(seen.length).toBeGreaterThanOrEqual(3);
		expect(seen.length).toBeLessThanOrEqual(6);
	});

	it('an unknown job fails at once with the service message; a service briefly unavailable is waited out', async () => {
		const missing = serve('GET', `/v1/jobs/${OTHER_ID}`, [
			[404, { error: { code: 'not_found', message: 'no job with this id' } }],
		]);
		await expect(run(context({ ...wait, jobId: OTHER_ID }))).rejects.toThrow('no job with this id');
		expect(missing).toHaveLength(1);

		const seen = serve('GET', `/v1/jobs/${JOB_ID}`, [
			[503, { error: { code: 'unavailable', message: 'the service is starting' } }],
			[200, job('sending')],
			[503, { error: { code: 'unavailable', message: 'the service is starting' } }],
			[200, job('done')],
		]);
		const out = await run(context(wait));
		expect(out[0].json.state).toBe('done');
		expect(seen).toHaveLength(4);
	});

	it('gives up after three failed polls in a row, with the last error', async () => {
		serve('GET', `/v1/jobs/${JOB_ID}`, [[503, { error: { code: 'unavailable', message: 'the service is starting' } }]]);
		await expect(run(context(wait))).rejects.toThrow('the service is starting');
	});

	it('stopping the execution ends the wait at once, even with continue on fail', async () => {
		serve('GET', `/v1/jobs/${JOB_ID}`, [[200, job('sending')]]);
		const controller = new AbortController();
		const started = Date.now();
		setTimeout(() => controller.abort(), 100);
		await expect(
			run(
				context(
					{ ...wait, pollInterval: 30, maxWaitMinutes: 10 },
					{ continueOnFail: true, cancelSignal: controller.signal, items: [{ json: {} }, { json: {} }] },
				),
			),
		).rejects.toThrow('The execution was stopped while waiting for the sync job');
		expect(Date.now() - started).toBeLessThan(2_000);
	});
});

describe('Sync Job in the editor', () => {
	const properties = new ConversionRelay().description.properties;
	const shown = (operation: string) =>
		properties.filter(
			(p) => p.displayOptions?.show?.resource?.includes('job') && p.displayOptions.show.operation?.includes(operation),
		);
	const byName = (operation: string, name: string) => shown(operation).find((p) => p.name === name) as INodeProperties;

	it('is a resource with Start, Get, Get Many, Wait and Cancel', () => {
		const resource = properties.find((p) => p.name === 'resource')!;
		expect(resource.options).toContainEqual({ name: 'Sync Job', value: 'job' });
		const operation = properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'job',
		)!;
		expect((operation.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'cancel',
			'get',
			'list',
			'start',
			'wait',
		]);
	});

	it("Wait: the job from the previous node, every 10 s, up to 60 min, with a hint on n8n's execution timeout", () => {
		expect(byName('wait', 'jobId').default).toBe('={{ $json.id }}');
		expect(byName('wait', 'pollInterval').default).toBe(10);
		expect(byName('wait', 'maxWaitMinutes').default).toBe(60);
		expect(byName('wait', 'maxWaitMinutes').hint).toMatch(/execution timeout/);
	});

	it('Start: Purchase events only for orders, the segment only for Shopify customers, the file fields only for a file', () => {
		expect(byName('start', 'toPurchaseEvents').displayOptions?.show?.jobSource).toEqual(['shopify_orders']);
		expect(byName('start', 'audienceSegment').displayOptions?.show?.jobSource).toEqual(['shopify_customers']);
		expect(byName('start', 'binaryPropertyName').displayOptions?.show?.jobSource).toEqual(['file']);
		expect(byName('start', 'fileFormat').displayOptions?.show?.jobSource).toEqual(['file']);
	});
});
