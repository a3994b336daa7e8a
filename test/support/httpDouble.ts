import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One request a double received, as it arrived. */
export interface Recorded {
	method: string;
	/** Path without the query string. */
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	raw: string;
	/** The parsed JSON body, or undefined when there is none or it is not JSON. */
	body: unknown;
}

export interface Answer {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type Handler = (req: Recorded) => Answer | Promise<Answer>;

export interface HttpDouble {
	url: string;
	received: Recorded[];
	close(): Promise<void>;
}

/**
 * A loopback HTTP server standing in for an outside API: it records every request and answers
 * with what the handler returns (JSON). The API doubles (Shopify, HubSpot, Graph) build on it.
 */
export async function startHttpDouble(handler: Handler): Promise<HttpDouble> {
	const received: Recorded[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body: unknown;
			try {
				body = raw ? JSON.parse(raw) : undefined;
			} catch {
				body = undefined;
			}
			const url = new URL(req.url ?? '/', 'http://double');
			const record: Recorded = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				raw,
				body,
			};
			received.push(record);
			Promise.resolve()
				.then(() => handler(record))
				.catch((error: Error): Answer => ({ status: 500, body: { message: `double failed: ${error.message}` } }))
				.then((answer) => {
					res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
					res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
				});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
