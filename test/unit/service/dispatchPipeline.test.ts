import pino from 'pino';
import type { ClaimedEvent, OutboxRepository } from '../../../service/src/db/repository';
import { Dispatcher } from '../../../service/src/usecases/dispatcher';
import { startMetaDouble } from '../../support/metaDouble';

const claimed = (id: string): ClaimedEvent => {
	const payloadText = JSON.stringify({
		event_name: 'Lead',
		event_time: 1_700_000_000,
		action_source: 'chat',
		event_id: id,
		user_data: { external_id: ['a'.repeat(64)] },
	});
	return { id, pixel_id: '123456', test_event_code: null, attempts: 1, storedBytes: payloadText.length, payloadText };
};

/**
 * A backlog in memory, claimed in order; records each claim with how much was left and how far
 * the requests (Meta's) and marks had got when it began, and what was marked or given back.
 */
function backlog(ids: string[], requests: readonly string[]) {
	const queue = ids.map(claimed);
	const log: string[] = [];
	const sent: string[] = [];
	let released = 0;
	const outbox = {
		claim: async (_w: string, limit: number) => {
			log.push(`claim of ${queue.length} after ${requests.length} requests, ${sent.length} sent`);
			return queue.splice(0, limit);
		},
		markSent: async (_w: string, marked: string[]) => (sent.push(...marked), marked.length),
		markRetry: async () => 0,
		markDead: async () => 0,
		renew: async (_w: string, renewed: string[]) => renewed.length,
		release: async () => released++,
	};
	return { outbox: outbox as unknown as OutboxRepository, log, sent, released: () => released };
}

describe('a lane over a backlog', () => {
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	const requests: string[] = [];
	beforeEach(async () => {
		requests.length = 0;
		meta = await startMetaDouble(
			(r) => {
				requests.push(`request ${r.body.data.map((e) => e.event_id).join(',')}`);
				return { status: 200, body: { events_received: r.body.data.length, messages: [], fbtrace_id: 't' } };
			},
			{ latencyMs: 50 },
		);
	});
	afterEach(() => meta.close());

	const dispatcher = (outbox: OutboxRepository) =>
		new Dispatcher(
			outbox,
			{ graphUrl: meta.url, apiVersion: 'v25.0', accessToken: 'EAAB-test', timeoutMs: 2_000 },
			pino({ level: 'silent' }),
			{ claimLimit: 2, concurrency: 1, idleMs: 10_000 },
		);

	it('claims the next batch while Meta has the current one, after a full claim only; each event sent once', async () => {
		const { outbox, log, sent } = backlog(['a', 'b', 'c', 'd', 'e'], requests);
		const d = dispatcher(outbox);
		d.start();
		while (sent.length < 5) await new Promise((r) => setTimeout(r, 10));
		await d.stop();
		// The second claim began before the first request was answered and marked; the third
		// ("e" alone) was not full, so the claim after it waited for its request.
		expect(log.slice(0, 4)).toEqual([
			'claim of 5 after 0 requests, 0 sent',
			'claim of 3 after 0 requests, 0 sent',
			'claim of 1 after 1 requests, 2 sent',
			'claim of 0 after 3 requests, 5 sent',
		]);
		expect(sent).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(requests).toEqual(['request a,b', 'request c,d', 'request e']);
	});

	it('a claim taken ahead and not sent when the lane stops is given back, not sent', async () => {
		const { outbox, sent, released } = backlog(['a', 'b', 'c', 'd'], requests);
		const d = dispatcher(outbox);
		d.start();
		while (requests.length < 1) await new Promise((r) => setTimeout(r, 5));
		await d.stop();
		expect(sent).toEqual(['a', 'b']);
		expect(requests).toEqual(['request a,b']);
		expect(released()).toBe(1);
	});
});
