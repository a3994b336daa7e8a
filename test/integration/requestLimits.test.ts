import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { startRelay, type TestRelay } from '../support/relayServer';

/** What a connection can cost the service before anyone is authenticated. */
describe('requests: checked before their bodies, bounded per route and in time; answers carry security headers', () => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startRelay(
			'pglite',
			{
				META_PIXEL_ID: '123456',
				CHATWOOT_WEBHOOK_SECRET: 'chatwoot-secret',
				SHOPIFY_WEBHOOK_SECRETS: 'shopify-secret',
				SUPABASE_WEBHOOK_SECRET: 'supabase-secret',
			},
			undefined,
			{
				http: { headersTimeoutMs: 1_000, requestTimeoutMs: 1_500, maxConnections: 40 },
			},
		);
	});
	afterAll(() => relay.close());

	/** A raw connection: what a slow or hostile client sends, byte by byte. */
	function raw(): Promise<{ socket: Socket; answer: Promise<{ text: string; closedAfterMs: number }> }> {
		return new Promise((resolve, reject) => {
			const started = Date.now();
			const socket = connect(relay.port, '127.0.0.1', () => {
				let text = '';
				socket.on('data', (chunk) => (text += chunk.toString('latin1')));
				const answer = new Promise<{ text: string; closedAfterMs: number }>((done) =>
					socket.on('close', () => done({ text, closedAfterMs: Date.now() - started })),
				);
				socket.on('error', () => undefined);
				resolve({ socket, answer });
			});
			socket.once('error', reject);
		});
	}

	const upload = (path: string, headers: string, length: number) =>
		`POST ${path} HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${headers}\r\n`;

	it('refuses an unauthenticated 4 MB upload from its headers, without waiting for the body', async () => {
		const { socket, answer } = await raw();
		socket.write(upload('/v1/events', 'Authorization: Bearer wrong-secret-wrong-secret\r\n', 4_000_000));
		socket.write('{"data":[');
		const { text, closedAfterMs } = await answer;
		expect(text).toMatch(/^HTTP\/1\.1 401/);
		expect(text).toMatch(/connection: close/i);
		// Closed at once, not after the request timeout that waiting for 4 MB would end in.
		expect(closedAfterMs).toBeLessThan(1_000);
	});

	it('refuses an unauthenticated upload to each webhook from its headers', async () => {
		const uploads: Array<[string, string]> = [
			['/v1/webhooks/shopify', 'X-Shopify-Topic: orders/paid\r\n'],
			['/v1/webhooks/shopify', 'X-Shopify-Hmac-Sha256: not-base64-of-32-bytes\r\n'],
			['/v1/webhooks/supabase', 'Authorization: Bearer wrong-secret\r\n'],
			['/v1/webhooks/chatwoot', 'X-Chatwoot-Token: wrong-secret\r\n'],
			['/v1/webhooks/chatwoot', `X-Chatwoot-Signature: sha256=${'ab'.repeat(32)}\r\nX-Chatwoot-Timestamp: 1\r\n`],
		];
		for (const [path, headers] of uploads) {
			const { socket, answer } = await raw();
			socket.write(upload(path, headers, 900_000));
			socket.write('{"id":');
			const { text, closedAfterMs } = await answer;
			expect([path, text.slice(0, 12)]).toEqual([path, 'HTTP/1.1 401']);
			expect(closedAfterMs).toBeLessThan(1_000);
		}
	});

	it('refuses a stale or malformed request signature from its headers too', async () => {
		for (const signature of ['t=1,v1=' + 'ab'.repeat(32), 'nonsense']) {
			const { socket, answer } = await raw();
			socket.write(upload('/v1/events', `X-Relay-Signature: ${signature}\r\n`, 2_000_000));
			const { text, closedAfterMs } = await answer;
			expect(text).toMatch(/^HTTP\/1\.1 401/);
			expect(closedAfterMs).toBeLessThan(1_000);
		}
	});

	it('bounds each route’s body: a webhook takes 1 MB, a read or a retry an empty object', async () => {
		const big = JSON.stringify({ event: 'conversation_created', padding: 'x'.repeat(1_200_000) });
		const webhook = await fetch(`${relay.url}/v1/webhooks/chatwoot?token=chatwoot-secret`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: big,
		});
		expect(webhook.status).toBe(413);
		expect(((await webhook.json()) as { error: { message: string } }).error.message).toBe(
			'request body is too large (at most 1048576 bytes here)',
		);
		const retry = await fetch(`${relay.url}/v1/events/00000000-0000-4000-8000-000000000000/retry`, {
			method: 'POST',
			headers: { authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' },
			body: JSON.stringify({ padding: 'x'.repeat(2_000) }),
		});
		expect(retry.status).toBe(413);
		const empty = await fetch(`${relay.url}/v1/events/00000000-0000-4000-8000-000000000000/retry`, {
			method: 'POST',
			headers: { authorization: `Bearer ${relay.apiSecret}`, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(empty.status).toBe(404);
	});

	it('cuts off a client that sends its headers or its body too slowly', async () => {
		const slowHeaders = await raw();
		slowHeaders.socket.write('GET /health HTTP/1.1\r\nHost: relay\r\n');
		const drip = setInterval(() => slowHeaders.socket.write('X-Slow: 1\r\n'), 200);
		const headersCut = await slowHeaders.answer;
		clearInterval(drip);
		expect(headersCut.closedAfterMs).toBeLessThan(4_000);

		const slowBody = await raw();
		slowBody.socket.write(upload('/v1/events', `Authorization: Bearer ${relay.apiSecret}\r\n`, 1_000));
		const dripBody = setInterval(() => slowBody.socket.write(' '), 200);
		const bodyCut = await slowBody.answer;
		clearInterval(dripBody);
		expect(bodyCut.text).toMatch(/^HTTP\/1\.1 408/);
		expect(bodyCut.closedAfterMs).toBeLessThan(4_000);
	});

	it('refuses connections beyond its limit and serves again once they close', async () => {
		const held = await Promise.all(Array.from({ length: 60 }, () => raw()));
		const closedSoon = await Promise.all(
			held.map(({ answer }) =>
				Promise.race([answer.then(() => true), new Promise((r) => setTimeout(() => r(false), 500))]),
			),
		);
		expect(closedSoon.filter(Boolean).length).toBeGreaterThanOrEqual(20);
		held.forEach(({ socket }) => socket.destroy());
		await new Promise((r) => setTimeout(r, 100));
		expect((await fetch(`${relay.url}/health`)).status).toBe(200);
	});

	it('sends a strict Content-Security-Policy and the other security headers on every answer', async () => {
		const page = await fetch(`${relay.url}/`, { headers: { authorization: `Bearer ${relay.apiSecret}` } });
		const html = await page.text();
		const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
		const hash = createHash('sha256').update(style).digest('base64');
		for (const res of [page, await fetch(`${relay.url}/health`), await fetch(`${relay.url}/v1/events`)]) {
			const csp = res.headers.get('content-security-policy') ?? '';
			expect(csp).toContain("default-src 'none'");
			expect(csp).toContain("frame-ancestors 'none'");
			expect(csp).not.toContain('unsafe-inline');
			expect(res.headers.get('x-frame-options')).toBe('DENY');
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('referrer-policy')).toBe('no-referrer');
		}
		expect(page.headers.get('content-security-policy')).toContain(`style-src 'sha256-${hash}'`);
	});
});
