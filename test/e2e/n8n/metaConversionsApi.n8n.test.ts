import { createHash } from 'node:crypto';
import { startMetaDouble, type ReceivedRequest, type Responder } from '../../support/metaDouble';
import { startRealN8n, type RealN8n } from '../../support/realN8n';

// Meta's errors as a real n8n 2.x shows them: with Settings → On Error → Continue, the node's
// NodeApiError carrying Meta's own message becomes that item's output; throttling is waited out.

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const PEOPLE = [
	{ email: 'Anna@Example.com', phone: '+1 (650) 555-0101', country: 'US', value: 12.5, order: 'err-1' },
	{ email: 'bob@example.com', phone: '', country: 'DE', value: 20, order: 'err-2' },
	{ email: ' carol@example.org', phone: '+44 20 7946 0018', country: 'gb', value: 7, order: 'err-3' },
];
// What Meta must receive for each person: normalized, then SHA-256 (Meta's customer information parameters).
const HASHED: Record<string, Record<string, string[]>> = {
	'err-1': { em: [sha('anna@example.com')], ph: [sha('16505550101')], country: [sha('us')] },
	'err-2': { em: [sha('bob@example.com')], country: [sha('de')] },
	'err-3': { em: [sha('carol@example.org')], ph: [sha('442079460018')], country: [sha('gb')] },
};

const INVALID = {
	error: {
		message: 'Invalid parameter',
		type: 'OAuthException',
		code: 100,
		error_subcode: 2804003,
		error_user_msg: 'The event time is too far in the past for event err-2',
		fbtrace_id: 'AbCtrace1',
	},
};
const TOKEN = {
	error: {
		message: 'Error validating access token: Session has expired',
		type: 'OAuthException',
		code: 190,
		error_subcode: 463,
		fbtrace_id: 'AbCtrace2',
	},
};
const THROTTLED = {
	error: {
		message: '(#613) Calls to this api have exceeded the rate limit.',
		type: 'OAuthException',
		code: 613,
		fbtrace_id: 'AbCtrace3',
	},
};

function workflow(id: string, continueOnError: boolean) {
	return {
		id,
		name: `Meta errors (${continueOnError ? 'continue' : 'stop'})`,
		active: false,
		settings: {},
		nodes: [
			{
				id: `${id}-1`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-2`,
				name: 'Customers',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: `return ${JSON.stringify(PEOPLE.map((json) => ({ json })))};` },
			},
			{
				id: `${id}-3`,
				name: 'Meta',
				type: 'n8n-nodes-conversion-relay.metaConversionsApi',
				typeVersion: 1,
				position: [440, 0],
				credentials: { metaConversionRelayApi: { id: 'meta-errors', name: 'Meta double' } },
				// How n8n stores "On Error: Continue (using regular output)" on a node.
				...(continueOnError ? { onError: 'continueRegularOutput' } : {}),
				parameters: {
					resource: 'event',
					operation: 'send',
					pixelId: '987654',
					eventName: 'Purchase',
					actionSource: 'system_generated',
					eventId: '={{ $json.order }}',
					userData: { email: '={{ $json.email }}', phone: '={{ $json.phone }}', country: '={{ $json.country }}' },
					customData: { value: '={{ $json.value }}', currency: 'EUR' },
					options: {},
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
			Customers: { main: [[{ node: 'Meta', type: 'main', index: 0 }]] },
		},
	};
}

const ids = (r: ReceivedRequest) => r.body.data.map((e) => e.event_id);

describe('Meta Conversions API node: Meta errors in a real n8n', () => {
	let n8n: RealN8n;
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	const answered: Array<{ ids: Array<string | undefined>; status: number }> = [];
	const answer = (respond: Responder) =>
		meta.setResponder((r) => {
			const out = respond(r);
			answered.push({ ids: ids(r), status: out.status });
			return out;
		});
	const ok: Responder = (r) => ({
		status: 200,
		body: { events_received: r.body.data.length, messages: [], fbtrace_id: 'AbCok' },
	});
	const rejectErr2: Responder = (r) => (ids(r).includes('err-2') ? { status: 400, body: INVALID } : ok(r));

	beforeAll(async () => {
		meta = await startMetaDouble();
		// A cold cache installs n8n here (minutes); a failed install fails this suite with npm's message.
		n8n = await startRealN8n();
		await n8n.importCredentials([
			{
				id: 'meta-errors',
				name: 'Meta double',
				type: 'metaConversionRelayApi',
				data: { accessToken: 'EAAB-errors', appSecret: '', apiVersion: 'v25.0', baseUrl: meta.url },
			},
		]);
		// import:workflow takes an array: one CLI start (about 8 s) for both.
		await n8n.importWorkflow([workflow('e2eMetaErrCont1', true), workflow('e2eMetaErrStop1', false)]);
	}, 45 * 60_000);
	afterAll(async () => {
		await n8n?.close();
		await meta?.close();
	});
	beforeEach(() => {
		meta.received.length = 0;
		answered.length = 0;
	});

	it("every event is hashed exactly; Meta rejecting one: the others are accepted once, the bad one carries Meta's message (continue on error)", async () => {
		answer(rejectErr2);
		const run = await n8n.execute('e2eMetaErrCont1');
		expect(run.error).toBeUndefined();
		expect(run.status).toBe('success');
		for (const r of meta.received) {
			expect(r.path).toBe('/v25.0/987654/events');
			expect(r.headers.authorization).toBe('Bearer EAAB-errors');
			for (const e of r.body.data as unknown as Array<{ event_id: string; user_data: unknown }>)
				expect(e.user_data).toEqual(HASHED[e.event_id]);
		}
		// Halved until the invalid event is alone: [1,2,3] → [1,2] → [1], [2]; then [3].
		expect(answered).toEqual([
			{ ids: ['err-1', 'err-2', 'err-3'], status: 400 },
			{ ids: ['err-1', 'err-2'], status: 400 },
			{ ids: ['err-1'], status: 200 },
			{ ids: ['err-2'], status: 400 },
			{ ids: ['err-3'], status: 200 },
		]);
		const out = run.output.Meta;
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// err-1 and err-3 went in requests of their own, so each carries its request's count.
		expect(out[0].json).toMatchObject({
			received: true,
			event_id: 'err-1',
			batch: { events_sent: 1, events_received: 1 },
		});
		expect(out[1].json).toEqual({ error: INVALID.error.error_user_msg });
		expect(out[2].json).toMatchObject({
			received: true,
			event_id: 'err-3',
			batch: { events_sent: 1, events_received: 1 },
		});
	}, 180_000);

	it("an expired token (190): one request, not retried nor halved; every item carries Meta's message (continue on error)", async () => {
		answer(() => ({ status: 401, body: TOKEN }));
		const run = await n8n.execute('e2eMetaErrCont1');
		expect(run.error).toBeUndefined();
		expect(meta.received).toHaveLength(1);
		expect(run.output.Meta.map((i) => i.json)).toEqual([
			{ error: TOKEN.error.message },
			{ error: TOKEN.error.message },
			{ error: TOKEN.error.message },
		]);
		expect(run.output.Meta.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	}, 180_000);

	it("without continue on error, the run fails with Meta's message", async () => {
		answer(rejectErr2);
		const run = await n8n.execute('e2eMetaErrStop1');
		expect(run.status).toBe('error');
		expect(run.error).toBe(INVALID.error.error_user_msg);
	}, 180_000);

	it("an expired token (190) stops the run with Meta's message and is not retried", async () => {
		answer(() => ({ status: 401, body: TOKEN }));
		const run = await n8n.execute('e2eMetaErrStop1');
		expect(run.status).toBe('error');
		expect(run.error).toBe(TOKEN.error.message);
		expect(meta.received).toHaveLength(1);
	}, 180_000);

	it('throttled (429, code 613, Retry-After) once: waits, sends the same body again, succeeds', async () => {
		let calls = 0;
		answer((r) => (++calls === 1 ? { status: 429, body: THROTTLED, headers: { 'retry-after': '1' } } : ok(r)));
		const run = await n8n.execute('e2eMetaErrStop1');
		expect(run.error).toBeUndefined();
		expect(meta.received).toHaveLength(2);
		expect(meta.received[1].body).toEqual(meta.received[0].body);
		expect(ids(meta.received[1])).toEqual(['err-1', 'err-2', 'err-3']);
		expect(run.output.Meta.map((i) => [i.json.received, i.json.batch ?? null])).toEqual([
			[true, { events_sent: 3, events_received: 3, messages: [] }],
			[true, null],
			[true, null],
		]);
	}, 180_000);
});
