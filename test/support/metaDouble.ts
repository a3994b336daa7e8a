import { createServer, type IncomingMessage, type Server } from 'node:http';
import { record } from './privacy/record';

export interface ReceivedRequest {
	path: string;
	headers: IncomingMessage['headers'];
	body: { data: Array<{ event_id?: string; event_name: string }>; [key: string]: unknown };
}

/** `reset` drops the connection without an answer; `hang` never answers (the client times out). */
export type Responder = (req: ReceivedRequest) => {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
	action?: 'reset' | 'hang';
};

/**
 * A local stand-in for Meta's Conversions API (POST /{version}/{pixel}/events) built from its
 * documented request and response shapes; it records every request it receives.
 */
export async function startMetaDouble(respond: Responder = defaultResponder, options: { latencyMs?: number } = {}) {
	return startDouble(respond, options);
}

const defaultResponder: Responder = (r) => ({
	status: 200,
	body: {
		events_received: r.body.data.length,
		messages: [],
		fbtrace_id: `trace-${Math.random().toString(36).slice(2, 8)}`,
	},
});

async function startDouble(respond: Responder, options: { latencyMs?: number }) {
	const received: ReceivedRequest[] = [];
	let responder = respond;
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			let body: ReceivedRequest['body'];
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch {
				res
					.writeHead(400, { 'content-type': 'application/json' })
					.end(JSON.stringify({ error: { message: 'bad json', code: 100 } }));
				return;
			}
			if (req.method !== 'POST' || !/^\/v\d+\.\d+\/\d+\/events$/.test(req.url ?? '')) {
				res
					.writeHead(400, { 'content-type': 'application/json' })
					.end(JSON.stringify({ error: { message: 'Unsupported post request', code: 100, error_subcode: 33 } }));
				return;
			}
			const request = { path: req.url ?? '', headers: req.headers, body };
			received.push(request);
			// What reaches Meta must be hashed: part of the suite-wide privacy scan.
			record('meta', JSON.stringify(body));
			const out = responder(request);
			if (out.action === 'reset') {
				req.socket.destroy();
				return;
			}
			if (out.action === 'hang') return;
			// Meta answers in tens to hundreds of milliseconds; a configurable latency stands in for it.
			setTimeout(
				() =>
					res
						.writeHead(out.status, { 'content-type': 'application/json', ...out.headers })
						.end(JSON.stringify(out.body)),
				options.latencyMs ?? 0,
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		setResponder: (r: Responder) => {
			responder = r;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
