import { connect } from 'node:net';
import { Client } from 'pg';
import { signChatwootWebhook } from '../../nodes/core/signatures/chatwoot';
import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import { Random } from '../support/random';
import { startRelay, type TestRelay } from '../support/relayServer';

const SHOPIFY = 'fuzz-shopify-secret';
const CHATWOOT = 'fuzz-chatwoot-secret';
const SUPABASE = 'fuzz-supabase-secret';
const CASES = Number(process.env.FUZZ_CASES ?? 10_500);
const rnd = new Random(20261123);

interface Case {
	label: string;
	method: 'GET' | 'POST';
	path: string;
	headers: Array<[string, string]>;
	body?: Buffer;
}

// Bodies that are not a valid request for any endpoint, by construction.
const brokenJson = [
	'{',
	'[',
	'{"event_name":',
	'{"data":[{]}',
	'nul',
	'{"a":1}}',
	"{'a':1}",
	'\u0000',
	'{"data":[1,2,',
	'\ufeff{',
	'{"x":"\\ud800"',
	'{"x":01}',
	'NaN',
	'{"x":1,}',
];
const unicode = [
	'\u0000',
	'\u202e',
	'\u200b',
	'\ud800',
	'\uffff',
	'ｅｍａｉｌ',
	'١٢٣',
	'\u0085',
	'é'.normalize('NFD').repeat(3),
	'\u{1F600}'.repeat(50),
];
const nonString = [1, -1, 1e308, true, false, null, [], {}, [[]], { a: { b: {} } }];

/** A lone surrogate has no URI form: send the invalid UTF-8 bytes it would have. */
function enc(text: string): string {
	try {
		return encodeURIComponent(text);
	} catch {
		return '%ED%A0%80';
	}
}

function deep(depth: number, leaf = '1'): string {
	return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

function wrongEvent(): unknown {
	const base: Record<string, unknown> = {
		event_name: 'Lead',
		email: 'fuzz@example.com',
		event_id: `f-${rnd.int(0, 1e9)}`,
	};
	switch (rnd.int(0, 9)) {
		case 0:
			return { ...base, event_name: rnd.pick(nonString) };
		case 1:
			return { ...base, event_name: 'L'.repeat(rnd.int(101, 200_000)) };
		case 2:
			return { ...base, event_name: `Le${rnd.pick(['\u0000', '\u0007', '\n', '\u001b'])}ad` };
		case 3:
			return { ...base, pixel_id: rnd.pick(['１２３', '12a', '', ' 123', rnd.pick(unicode)]) };
		case 4:
			return { ...base, [`unknown_${rnd.int(0, 99)}`]: rnd.pick(nonString) };
		case 5:
			return { ...base, email: rnd.pick(nonString.filter((v) => typeof v !== 'number')) };
		case 6:
			return { event_name: 'Lead', email: rnd.pick(unicode), phone: rnd.pick(unicode) };
		case 7:
			return { ...base, action_source: rnd.pick(['web', 'WEBSITE', '', rnd.pick(unicode)]) };
		case 8:
			return { ...base, custom_data: JSON.parse(deep(rnd.int(2000, 4000))) };
		default:
			return { ...base, event_time: rnd.pick(['yesterday', -5, 1e15, '١٧٠٠٠٠٠٠٠٠', [], {}]) };
	}
}

function eventsBody(): Buffer {
	switch (rnd.int(0, 6)) {
		case 0:
			return Buffer.from(rnd.pick(brokenJson));
		case 1:
			return Buffer.from(
				JSON.stringify({ data: Array.from({ length: rnd.int(1001, 1100) }, () => ({ event_name: 'Lead' })) }),
			);
		case 2:
			return Buffer.from(JSON.stringify({ data: rnd.pick([[], 'x', 1, null, {}]) }));
		case 3:
			return Buffer.from(deep(rnd.int(5_000, 50_000)));
		case 4:
			return Buffer.from(JSON.stringify(rnd.pick([[], 'x', 1, null, true])));
		case 5:
			return Buffer.from(JSON.stringify({ data: Array.from({ length: rnd.int(1, 5) }, wrongEvent) }));
		default:
			return Buffer.from(JSON.stringify(wrongEvent()));
	}
}

function json(): Array<[string, string]> {
	return [['content-type', 'application/json']];
}

function nextCase(secret: string, i: number): Case {
	const auth: [string, string] = ['authorization', `Bearer ${secret}`];
	switch (rnd.int(0, 11)) {
		case 0:
		case 1:
		case 2:
			return {
				label: 'events: malformed body',
				method: 'POST',
				path: '/v1/events',
				headers: [auth, ...json()],
				body: eventsBody(),
			};
		case 3:
			return {
				label: 'events: auth',
				method: 'POST',
				path: '/v1/events',
				headers: [
					...json(),
					...rnd.pick<Array<[string, string]>>([
						[],
						[['authorization', `Bearer ${secret.slice(0, -1)}`]],
						[['authorization', secret]],
						[['authorization', `Basic ${secret}`]],
						[auth, ['authorization', 'Bearer other']],
						[['x-relay-signature', 't=1,v1=00']],
						[['x-relay-signature', 'garbage']],
					]),
				],
				body: Buffer.from(JSON.stringify({ event_name: 'Lead', email: 'fuzz@example.com' })),
			};
		case 4:
			return {
				label: 'events: content type',
				method: 'POST',
				path: '/v1/events',
				headers: [
					auth,
					[
						'content-type',
						rnd.pick([
							'text/plain',
							'application/x-www-form-urlencoded',
							'multipart/form-data; boundary=x',
							'application/xml',
						]),
					],
				],
				body: Buffer.from(JSON.stringify({ event_name: 'Lead', email: 'fuzz@example.com', event_id: `ct-${i}` })),
			};
		case 5:
			return {
				label: 'events: too large',
				method: 'POST',
				path: '/v1/events',
				headers: [auth, ...json()],
				body: Buffer.alloc(rnd.int(5 * 1024 * 1024 + 1, 6 * 1024 * 1024), 0x20),
			};
		case 6: {
			const body = Buffer.from(rnd.chance(0.5) ? rnd.pick(brokenJson) : JSON.stringify(rnd.pick(nonString)));
			const signed = rnd.chance(0.7);
			const headers: Array<[string, string]> = [
				...json(),
				['x-shopify-hmac-sha256', signed ? signShopifyWebhook(body, SHOPIFY) : signShopifyWebhook(body, 'wrong')],
				['x-shopify-topic', 'orders/paid'],
				['x-shopify-shop-domain', 'fuzz.myshopify.com'],
				['x-shopify-webhook-id', `fz-${i}`],
			];
			if (rnd.chance(0.2)) headers.splice(rnd.int(1, headers.length - 1), 1);
			return { label: 'shopify', method: 'POST', path: '/v1/webhooks/shopify', headers, body };
		}
		case 7: {
			const body = Buffer.from(
				rnd.chance(0.5)
					? rnd.pick(brokenJson)
					: JSON.stringify(
							rnd.pick([
								{ type: 'UPSERT', table: 'leads', record: {} },
								{ type: 'UPDATE', table: '', record: {} },
								{ type: 'UPDATE', table: 'leads', record: 'x' },
								{ type: 1 },
								[],
								{},
							]),
						),
			);
			return {
				label: 'supabase',
				method: 'POST',
				path: '/v1/webhooks/supabase',
				headers: [...json(), ['authorization', `Bearer ${rnd.chance(0.8) ? SUPABASE : 'nope-nope'}`]],
				body,
			};
		}
		case 8: {
			const body = Buffer.from(
				rnd.chance(0.5)
					? rnd.pick(brokenJson)
					: JSON.stringify(rnd.pick([{ event: 1 }, { nope: true }, [], 'x', null])),
			);
			const t = Math.floor(Date.now() / 1000) - (rnd.chance(0.2) ? 3600 : 0);
			return {
				label: 'chatwoot',
				method: 'POST',
				path: '/v1/webhooks/chatwoot',
				headers: [
					...json(),
					['x-chatwoot-signature', signChatwootWebhook(body, rnd.chance(0.8) ? CHATWOOT : 'wrong', t)],
					['x-chatwoot-timestamp', String(t)],
					['x-chatwoot-delivery', `cw-${i}`],
				],
				body,
			};
		}
		case 9:
			return {
				label: 'list: query',
				method: 'GET',
				path: `/v1/events?${rnd.pick(['status=nope', 'limit=0', 'limit=501', 'limit=-1', 'limit=abc', 'cursor=%FF%FE', `cursor=${'A'.repeat(300)}`, 'cursor=eyJ4IjoxfQ', `status=${enc(rnd.pick(unicode))}`])}`,
				headers: [auth],
			};
		case 10:
			return {
				label: 'get: id',
				method: 'GET',
				path: `/v1/events/${rnd.pick(['not-a-uuid', '00000000-0000-0000-0000-000000000000', '%00', enc(rnd.pick(unicode)), 'x'.repeat(500)])}`,
				headers: [auth],
			};
		default:
			return {
				label: 'retry: id',
				method: 'POST',
				path: `/v1/events/${rnd.pick(['not-a-uuid', '00000000-0000-0000-0000-000000000000', enc(rnd.pick(unicode))])}/retry`,
				headers: [auth, ...json()],
				body: Buffer.from('{}'),
			};
	}
}

/** A whole HTTP/1.1 answer read until the server closed the connection: its status and body. */
function parseAnswer(raw: Buffer): { status: number; body: string } {
	const end = raw.indexOf('\r\n\r\n');
	const head = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
	const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
	let body = end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4);
	if (/^transfer-encoding:\s*chunked/im.test(head)) {
		const parts: Buffer[] = [];
		for (let at = 0; at < body.length;) {
			const lineEnd = body.indexOf('\r\n', at);
			const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
			if (!size) break;
			parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
			at = lineEnd + 2 + size + 2;
		}
		body = Buffer.concat(parts);
	}
	return { status, body: body.toString('utf8') };
}

/**
 * Raw HTTP over a socket of its own, so that duplicated headers and exact bytes go out as built,
 * and so that no HTTP client patched by another test file in the same jest worker (nock 14
 * intercepts node:http for the whole process) sits between the test and the service.
 */
function send(port: number, c: Case): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const lines = [`${c.method} ${c.path} HTTP/1.1`, `host: 127.0.0.1:${port}`, 'connection: close'];
		for (const [k, v] of c.headers) lines.push(`${k}: ${v}`);
		if (c.body) lines.push(`content-length: ${c.body.length}`);
		const chunks: Buffer[] = [];
		const socket = connect(port, '127.0.0.1', () => {
			socket.write(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'));
			if (c.body) socket.write(c.body);
		});
		socket.on('data', (d: Buffer) => chunks.push(d));
		socket.on('end', () => resolve(parseAnswer(Buffer.concat(chunks))));
		// The server may answer 413 and close before the whole body is written.
		socket.on('error', (error: NodeJS.ErrnoException) => {
			if (chunks.length) return resolve(parseAnswer(Buffer.concat(chunks)));
			if (error.code === 'EPIPE' || error.code === 'ECONNRESET')
				return resolve({
					status: 413,
					body: '{"error":{"code":"payload_too_large","message":"closed while sending"}}',
				});
			reject(error);
		});
	});
}

describe('fuzz: malformed requests against every endpoint', () => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startRelay('postgres', {
			META_PIXEL_ID: '123456',
			SHOPIFY_WEBHOOK_SECRETS: SHOPIFY,
			CHATWOOT_WEBHOOK_SECRET: CHATWOOT,
			SUPABASE_WEBHOOK_SECRET: SUPABASE,
		});
	});
	afterAll(() => relay.close());

	it(`answers ${CASES.toLocaleString('en')} of them with a 4xx naming the problem, never crashes, writes nothing`, async () => {
		const wrong: string[] = [];
		const byLabel: Record<string, number> = {};
		for (let i = 0; i < CASES; i += 8) {
			const cases = Array.from({ length: Math.min(8, CASES - i) }, (_, k) => nextCase(relay.apiSecret, i + k));
			const answers = await Promise.all(cases.map((c) => send(relay.port, c)));
			answers.forEach((a, k) => {
				const c = cases[k];
				byLabel[c.label] = (byLabel[c.label] ?? 0) + 1;
				let message = '';
				try {
					message = (JSON.parse(a.body) as { error?: { message?: string } }).error?.message ?? '';
				} catch {
					// not JSON: wrong
				}
				if (a.status < 400 || a.status > 499 || message.length < 5)
					wrong.push(
						`${c.label} ${c.method} ${c.path.slice(0, 60)} → ${a.status} ${a.body.slice(0, 160)} | body: ${c.body?.subarray(0, 80).toString('utf8')}`,
					);
			});
		}
		expect(wrong.slice(0, 20)).toEqual([]);
		expect((await fetch(`${relay.url}/health`)).status).toBe(200);
		const db = new Client({ connectionString: relay.databaseUrl });
		await db.connect();
		const counts = (
			await db.query<{ events: string; receipts: string }>(
				'select (select count(*) from relay_events) as events, (select count(*) from relay_receipts) as receipts',
			)
		).rows[0];
		await db.end();
		expect({ events: Number(counts.events), receipts: Number(counts.receipts) }).toEqual({ events: 0, receipts: 0 });
		expect(relay.logs.join('\n')).not.toContain('fuzz@example.com');
		expect(Object.values(byLabel).reduce((a, b) => a + b, 0)).toBe(CASES);
	}, 600_000);
});
