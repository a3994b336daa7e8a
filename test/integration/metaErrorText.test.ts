import { startMetaDouble } from '../support/metaDouble';
import { eventually, startRelay, type TestRelay } from '../support/relayServer';

// What Meta's error text may quote: a customer's address and number, and a megabyte of it.
const QUOTED = 'the value mary.quoted@example.org, +1 650 555 0199 is not valid';
const HUGE = `${QUOTED} ${'x'.repeat(1_000_000)}`;

/**
 * Meta's error text goes into last_error, logs, the status page and /health: capped and redacted
 * as the nodes do (nodes/core/errors/redact.ts), and /health, which is open, says no more than
 * that Meta refused the token and its code.
 */
describe('Meta’s error text', () => {
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let relay: TestRelay | undefined;
	beforeEach(async () => {
		meta = await startMetaDouble();
	});
	afterEach(async () => {
		await relay?.close();
		relay = undefined;
		await meta.close();
	});

	const start = () =>
		startRelay('pglite', { META_PIXEL_ID: '123456', META_ACCESS_TOKEN: 'EAAB-test-token', META_GRAPH_URL: meta.url });
	const auth = (r: TestRelay) => ({ authorization: `Bearer ${r.apiSecret}` });
	async function send(r: TestRelay, ids: string[]): Promise<void> {
		const res = await fetch(`${r.url}/v1/events`, {
			method: 'POST',
			headers: { ...auth(r), 'content-type': 'application/json' },
			body: JSON.stringify({
				data: ids.map((id) => ({ event_name: 'Lead', email: `${id}@example.com`, event_id: id })),
			}),
		});
		expect(res.status).toBe(202);
	}
	const text = async (r: TestRelay, path: string, headers: Record<string, string> = auth(r)) =>
		(await fetch(`${r.url}${path}`, { headers })).text();

	it('is stored in last_error capped and redacted, and the dead letters list and the status page stay small', async () => {
		meta.setResponder((req) =>
			req.body.data.some((e) => String(e.event_id).startsWith('bad'))
				? {
						status: 400,
						body: {
							error: {
								message: 'Invalid parameter',
								type: 'OAuthException',
								code: 100,
								error_subcode: 2804009,
								error_user_msg: HUGE,
								fbtrace_id: 'Tbad',
							},
						},
					}
				: { status: 200, body: { events_received: req.body.data.length, fbtrace_id: 'Tok' } },
		);
		relay = await start();
		const bad = Array.from({ length: 20 }, (_, i) => `bad-${i}`);
		await send(relay, ['ok-1', ...bad, 'ok-2']);
		await eventually(async () => expect(relay?.dispatcher.state.dead).toBe(bad.length), 20_000);
		const dead = JSON.parse(await text(relay, '/v1/events?status=dead&limit=500')) as {
			data: Array<{ last_error: string }>;
		};
		expect(dead.data).toHaveLength(bad.length);
		for (const e of dead.data) {
			expect(e.last_error.length).toBeLessThanOrEqual(600);
			expect(e.last_error).toMatch(
				/^invalid 100\/2804009: the value \[redacted\], \[redacted\] is not valid x+… \(message cut at 500 characters\)$/,
			);
		}
		const list = await text(relay, '/v1/events?status=dead&limit=500');
		const page = await text(relay, '/');
		expect(list.length).toBeLessThan(50_000);
		expect(page.length).toBeLessThan(50_000);
		for (const out of [list, page, relay.logs.join('')]) {
			expect(out).not.toContain('mary.quoted');
			expect(out).not.toContain('555 0199');
			expect(out).not.toContain('x'.repeat(1_000));
		}
		process.stdout.write(
			`error text: dead letters list ${list.length} bytes, status page ${page.length} bytes for ${bad.length} dead events\n`,
		);
	});

	it('on /health is only that Meta refused the token and its code; the status page shows the reason, capped and redacted', async () => {
		meta.setResponder(() => ({
			status: 400,
			body: {
				error: {
					message: `Error validating access token: ${HUGE}`,
					type: 'OAuthException',
					code: 190,
					error_subcode: 463,
					fbtrace_id: 'Tauth',
				},
			},
		}));
		relay = await start();
		await send(relay, ['held-1']);
		const health = await eventually(async () => {
			const res = await fetch(`${(relay as TestRelay).url}/health`);
			expect(res.status).toBe(503);
			return (await res.json()) as { meta: { error: string } };
		});
		expect(health.meta.error).toBe('Meta refused the token (code 190)');
		expect(JSON.stringify(health)).not.toContain('validating');
		const page = await text(relay, '/');
		expect(page).toContain(
			'Meta refused the token: auth 190/463: Error validating access token: the value [redacted], [redacted] is not valid',
		);
		expect(page.length).toBeLessThan(50_000);
		expect(page).not.toContain('mary.quoted');
		expect(relay.logs.join('')).not.toContain('mary.quoted');
	});
});
