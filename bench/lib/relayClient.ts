import { BENCH_SECRET } from './relayEnv';
import { simpleEvents } from './events';

const headers = { authorization: `Bearer ${BENCH_SECRET}`, 'content-type': 'application/json' };

/** Stores `count` events through POST /v1/events, 1,000 a request (set-up, not measured). */
export async function fill(port: number, tag: string, count: number): Promise<void> {
	for (let start = 0; start < count; start += 1000) {
		const res = await fetch(`http://127.0.0.1:${port}/v1/events`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ data: simpleEvents(tag, start, Math.min(1000, count - start)) }),
		});
		if (res.status !== 202) throw new Error(`fill: HTTP ${res.status} ${await res.text()}`);
	}
}

export async function sentCount(port: number): Promise<number> {
	const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { dispatcher: { sent?: number } };
	return health.dispatcher.sent ?? 0;
}
