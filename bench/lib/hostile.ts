import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { signRelayRequest } from '../../nodes/core/signatures/relay';
import { signShopifyWebhook } from '../../nodes/core/signatures/shopify';
import { BENCH_SECRET } from './relayEnv';

/**
 * A client as the service's Keep-Alive: timeout=5 header asks: an idle socket is dropped after 4 s,
 * before the server closes it (Node's Agent does not read that header; a socket reused just as the
 * server closes it is reset, which a sender would retry).
 */
export const keepAliveAgent = (maxSockets: number) => new Agent({ keepAlive: true, maxSockets, timeout: 4_000 });
import { SHOPIFY_SECRET } from './shopify';

/**
 * What an attacker or an unlucky integration sends beside normal traffic: slow uploads,
 * oversized events, replayed signed requests and storms of one delivery. Each generator records
 * the event ids that should reach Meta exactly once, so the soak can check that none is lost
 * and none is sent twice.
 */
export interface HostileTraffic {
	/** (event_name, event_id) pairs that must reach Meta, each once. */
	expected: Set<string>;
	counts: Record<string, number>;
	stop(): Promise<void>;
}

const key = (name: string, id: string) => `${name}\u0000${id}`;

function send(
	agent: Agent,
	port: number,
	path: string,
	headers: Record<string, string>,
	body: string,
): Promise<number> {
	return new Promise((resolve) => {
		const req = request(
			{
				host: '127.0.0.1',
				port,
				method: 'POST',
				path,
				agent,
				headers: { ...headers, 'content-length': Buffer.byteLength(body) },
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('error', () => resolve(0));
		req.end(body);
	});
}

/** Sockets that announce a large body and send it a byte at a time; reopened when cut off. */
function slowUploads(port: number, sockets: number, tally: (what: string) => void): () => void {
	let stopped = false;
	const open = new Set<Socket>();
	const start = (authenticated: boolean) => {
		if (stopped) return;
		const socket = connect(port, '127.0.0.1', () => {
			const auth = authenticated
				? `Authorization: Bearer ${BENCH_SECRET}\r\n`
				: 'Authorization: Bearer not-the-secret\r\n';
			socket.write(
				`POST /v1/events HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nContent-Length: 4000000\r\n${auth}\r\n{"data":[`,
			);
		});
		open.add(socket);
		const drip = setInterval(() => socket.writable && socket.write(' '), 1_000);
		socket.on('error', () => undefined);
		socket.on('close', () => {
			clearInterval(drip);
			open.delete(socket);
			tally(authenticated ? 'slow upload cut (authenticated)' : 'slow upload refused (unauthenticated)');
			setTimeout(() => start(authenticated), 200);
		});
	};
	for (let i = 0; i < sockets; i++) start(i % 2 === 0);
	return () => {
		stopped = true;
		open.forEach((s) => s.destroy());
	};
}

export function startHostileTraffic(
	port: number,
	options: { slowSockets?: number; everyMs?: number } = {},
): HostileTraffic {
	const agent = keepAliveAgent(16);
	const expected = new Set<string>();
	const counts: Record<string, number> = {};
	const tally = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);
	const stopSlow = slowUploads(port, options.slowSockets ?? 40, tally);
	const bearer = { authorization: `Bearer ${BENCH_SECRET}`, 'content-type': 'application/json' };
	let round = 0;
	const inflight = new Set<Promise<unknown>>();
	const track = (p: Promise<unknown>) => {
		inflight.add(p);
		void p.finally(() => inflight.delete(p));
	};

	const tick = () => {
		const r = round++;
		// An event too large to ever send beside a normal one: the normal one is kept.
		const normal = { event_name: 'Lead', event_id: `hostile-normal-${r}`, email: `h${r}@example.com` };
		const huge = {
			event_name: 'Lead',
			event_id: `hostile-huge-${r}`,
			email: `huge${r}@example.com`,
			custom_data: { note: 'x'.repeat(200_000) },
		};
		expected.add(key('Lead', normal.event_id));
		track(
			send(agent, port, '/v1/events', bearer, JSON.stringify({ data: [huge, normal] })).then((s) =>
				tally(`oversized beside normal → ${s}`),
			),
		);
		// A signed request replayed five times: one event.
		const signedBody = JSON.stringify({ event_name: 'Contact', email: `replay${r}@example.com` });
		const signature = signRelayRequest(signedBody, BENCH_SECRET);
		const replays = Array.from({ length: 6 }, () =>
			send(
				agent,
				port,
				'/v1/events',
				{ 'content-type': 'application/json', 'x-relay-signature': signature },
				signedBody,
			),
		);
		track(Promise.all(replays).then((s) => s.forEach((x) => tally(`signed request and replays → ${x}`))));
		counts['signed requests (one event each expected)'] = r + 1;
		// One Shopify delivery twenty times at once.
		const order = JSON.stringify({
			id: 8_000_000_000 + r,
			email: `storm${r}@example.com`,
			total_price: '10.00',
			currency: 'EUR',
			financial_status: 'paid',
			created_at: new Date().toISOString(),
			processed_at: new Date().toISOString(),
			line_items: [],
		});
		const headers = {
			'content-type': 'application/json',
			'x-shopify-hmac-sha256': signShopifyWebhook(order, SHOPIFY_SECRET),
			'x-shopify-topic': 'orders/paid',
			'x-shopify-shop-domain': 'bench.myshopify.com',
			'x-shopify-webhook-id': `storm-${r}`,
		};
		expected.add(key('Purchase', String(8_000_000_000 + r)));
		const storm = Array.from({ length: 20 }, () => send(agent, port, '/v1/webhooks/shopify', headers, order));
		track(Promise.all(storm).then((s) => s.forEach((x) => tally(`storm delivery → ${x}`))));
	};
	const timer = setInterval(tick, options.everyMs ?? 1_000);
	return {
		expected,
		counts,
		stop: async () => {
			clearInterval(timer);
			stopSlow();
			await Promise.all(inflight);
			agent.destroy();
		},
	};
}

/** GET `path` (/health) every `everyMs`: its latency while everything else goes on. */
export function probeHealth(port: number, everyMs = 100, path = '/health'): { latencies: number[]; stop(): void } {
	const latencies: number[] = [];
	const agent = keepAliveAgent(1);
	const timer = setInterval(() => {
		const started = process.hrtime.bigint();
		const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
			res.resume();
			res.on('end', () => latencies.push(Number(process.hrtime.bigint() - started) / 1e6));
		});
		req.setTimeout(10_000, () => req.destroy());
		req.on('error', () => latencies.push(10_000));
		req.end();
	}, everyMs);
	return {
		latencies,
		stop: () => {
			clearInterval(timer);
			agent.destroy();
		},
	};
}

/** The same probes in a child process (bench/workers/probe): what a monitoring system would see. */
export function probeInChild(port: number, paths: string[]): { stop(): Promise<Record<string, number[]>> } {
	const child = spawn(process.execPath, [join(__dirname, '..', 'workers', 'probe.js')], {
		env: { ...process.env, PROBE_PORT: String(port), PROBE_PATHS: paths.join(',') },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let out = '';
	child.stdout?.on('data', (chunk: Buffer) => (out += String(chunk)));
	let stopping: Promise<Record<string, number[]>> | undefined;
	return {
		stop: () =>
			(stopping ??= new Promise((resolve) => {
				child.once('exit', () => resolve(JSON.parse(out || '{}') as Record<string, number[]>));
				child.kill('SIGTERM');
			})),
	};
}
