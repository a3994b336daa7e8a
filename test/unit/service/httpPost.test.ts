import { spawn } from 'node:child_process';
import { stat } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postText } from '../../../service/src/httpPost';

/** A loopback server whose answer each test chooses. */
async function server(handle: http.RequestListener) {
	const s = http.createServer(handle);
	await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/x`,
		close: () => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve()))),
	};
}

describe('postText', () => {
	// Whether sockets are reused is not asserted: in the full suite a contract test's nock (mswjs
	// interceptors) stays patched into node:http for the rest of the jest worker, which then opens
	// one socket per request. The keep-alive's gain is measured by the sync bench instead.
	it('sends the body with its length and headers, and reads any status with its headers', async () => {
		const seen: Array<{ body: string; length?: string; auth?: string }> = [];
		const s = await server((req, res) => {
			const parts: Buffer[] = [];
			req.on('data', (p: Buffer) => parts.push(p));
			req.on('end', () => {
				seen.push({
					body: Buffer.concat(parts).toString('utf8'),
					length: req.headers['content-length'],
					auth: req.headers.authorization,
				});
				res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
				res.end('{"é":1}');
			});
		});
		try {
			for (let i = 0; i < 3; i++) {
				const answer = await postText(s.url, '{"name":"Zoë"}', {
					headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
					timeoutMs: 5_000,
				});
				expect(answer).toEqual({
					status: 429,
					headers: expect.objectContaining({ 'retry-after': '3' }),
					text: '{"é":1}',
				});
			}
			expect(seen).toEqual(Array(3).fill({ body: '{"name":"Zoë"}', length: '15', auth: 'Bearer t' }));
		} finally {
			await s.close();
		}
	});

	it('fails with a coded network error when the answer breaks off, the server is gone or the time is up', async () => {
		const s = await server((req, res) => {
			if (req.url === '/x') {
				res.writeHead(200, { 'content-length': '100' });
				res.write('{"half":');
				setTimeout(() => res.destroy(), 20);
			}
		});
		const slow = await server(() => undefined);
		try {
			await expect(postText(s.url, '{}', { headers: {}, timeoutMs: 5_000 })).rejects.toMatchObject({
				code: 'ECONNRESET',
			});
			await expect(postText(slow.url, '{}', { headers: {}, timeoutMs: 100 })).rejects.toMatchObject({
				code: 'ETIMEDOUT',
			});
		} finally {
			await s.close();
			await slow.close();
		}
		await expect(postText(s.url, '{}', { headers: {}, timeoutMs: 5_000 })).rejects.toMatchObject({
			code: 'ECONNREFUSED',
		});
	});

	it("rejects with the caller's reason when aborted, before or during the exchange", async () => {
		const slow = await server(() => undefined);
		try {
			const before = AbortSignal.abort(new Error('stopping'));
			await expect(postText(slow.url, '{}', { headers: {}, timeoutMs: 5_000, signal: before })).rejects.toThrow(
				'stopping',
			);
			const controller = new AbortController();
			const pending = postText(slow.url, '{}', { headers: {}, timeoutMs: 5_000, signal: controller.signal });
			setTimeout(() => controller.abort(new Error('cancelled')), 50);
			await expect(pending).rejects.toThrow('cancelled');
		} finally {
			await slow.close();
		}
	});

	// A contract test's nock, left patched into node:http for the rest of this jest worker, delivers
	// answers through its own ticks, which no client can tell from a late answer: the case is only
	// meaningful on node:http itself (as in the service), so it runs when the worker has no such patch.
	const patched = http.request.toString().includes('[native code]');
	(patched ? it.skip : it)(
		'keeps an answer that arrived while the event loop was stalled past the timeout',
		async () => {
			// The server in a process of its own, so that it answers while this one is blocked.
			const child = spawn(
				process.execPath,
				[
					'-e',
					`require('http').createServer((q, s) => { q.resume(); q.on('end', () => setTimeout(() => s.end('{"ok":true}'), 30)); })
					.listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
				],
				{ stdio: ['ignore', 'pipe', 'inherit'] },
			);
			try {
				const port = await new Promise<string>((resolve) =>
					child.stdout.once('data', (d: Buffer) => resolve(String(d).trim())),
				);
				const pending = postText(`http://127.0.0.1:${port}/x`, '{}', { headers: {}, timeoutMs: 200 });
				// Once the request is out, stall this process for longer than the timeout, inside an I/O
				// callback (as a database driver's would): the next loop turn runs timers before reading.
				await new Promise((resolve) => setTimeout(resolve, 20));
				stat(__filename, () => {
					const until = Date.now() + 400;
					while (Date.now() < until);
				});
				await expect(pending).resolves.toMatchObject({ status: 200, text: '{"ok":true}' });
			} finally {
				child.kill();
			}
		},
	);
});
