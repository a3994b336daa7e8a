import { Agent, request } from 'node:http';

export interface LoadRequest {
	path: string;
	headers: Record<string, string>;
	body: string;
}

export interface LoadResult {
	requests: number;
	seconds: number;
	perSecond: number;
	latenciesMs: number[];
	statuses: Record<number, number>;
}

function send(agent: Agent, port: number, r: LoadRequest): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port,
				method: 'POST',
				path: r.path,
				agent,
				headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('error', reject);
		req.end(r.body);
	});
}

/**
 * A closed loop: `concurrency` clients, each sending its next request when the last one is
 * answered, for `seconds` after a warm-up. The same client measures the baseline and the subject.
 */
export async function closedLoop(
	port: number,
	next: () => LoadRequest,
	options: { concurrency: number; seconds: number; warmupSeconds?: number },
): Promise<LoadResult> {
	const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
	const warmUntil = Date.now() + (options.warmupSeconds ?? 1) * 1000;
	const until = warmUntil + options.seconds * 1000;
	const latenciesMs: number[] = [];
	const statuses: Record<number, number> = {};
	let measuredFrom = 0n;
	let measuredTo = 0n;
	const client = async () => {
		while (Date.now() < until) {
			const started = process.hrtime.bigint();
			const status = await send(agent, port, next());
			const ended = process.hrtime.bigint();
			if (Date.now() < warmUntil) continue;
			if (measuredFrom === 0n) measuredFrom = started;
			measuredTo = ended;
			latenciesMs.push(Number(ended - started) / 1e6);
			statuses[status] = (statuses[status] ?? 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: options.concurrency }, client));
	agent.destroy();
	const seconds = Number(measuredTo - measuredFrom) / 1e9;
	return { requests: latenciesMs.length, seconds, perSecond: latenciesMs.length / seconds, latenciesMs, statuses };
}
