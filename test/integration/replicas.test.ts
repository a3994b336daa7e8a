import { startMetaDouble } from '../support/metaDouble';
import { eventually, startRelay, type TestRelay } from '../support/relayServer';

describe('two replicas on one Postgres', () => {
	it('send every event exactly once between them', async () => {
		const meta = await startMetaDouble(
			(req) => ({ status: 200, body: { events_received: req.body.data.length, fbtrace_id: 'T' } }),
			{ latencyMs: 30 },
		);
		const env = { META_PIXEL_ID: '123456', META_ACCESS_TOKEN: 'EAAB-test-token', META_GRAPH_URL: meta.url };
		const dispatch = { baseDelayMs: 50, idleMs: 20, claimLimit: 150 };
		const a: TestRelay = await startRelay('postgres', env, dispatch);
		const b: TestRelay = await startRelay('postgres', env, dispatch, { shared: { url: a.databaseUrl as string } });
		try {
			const total = 3000;
			const batches = Array.from({ length: total / 500 }, (_, k) =>
				Array.from({ length: 500 }, (_, i) => ({
					event_name: 'Lead',
					email: `r${k * 500 + i}@example.com`,
					event_id: `r${k * 500 + i}`,
				})),
			);
			// Ingest through both replicas at once, as a load balancer would.
			await Promise.all(
				batches.map((data, k) => {
					const r = k % 2 ? b : a;
					return fetch(`${r.url}/v1/events`, {
						method: 'POST',
						headers: { authorization: `Bearer ${r.apiSecret}`, 'content-type': 'application/json' },
						body: JSON.stringify({ data }),
					});
				}),
			);
			await eventually(async () => expect(a.dispatcher.state.sent + b.dispatcher.state.sent).toBe(total), 60_000);
			const ids = meta.received.flatMap((r) => r.body.data.map((e) => e.event_id));
			expect(ids.length).toBe(total);
			expect(new Set(ids).size).toBe(total);
			// Both took part.
			expect(a.dispatcher.state.sent).toBeGreaterThan(0);
			expect(b.dispatcher.state.sent).toBeGreaterThan(0);
		} finally {
			await b.close();
			await a.close();
			await meta.close();
		}
	}, 90_000);
});
