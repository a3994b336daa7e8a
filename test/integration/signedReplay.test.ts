import { signRelayRequest } from '../../nodes/core/signatures/relay';
import { json } from '../support/http';
import { startRelay, type TestRelay } from '../support/relayServer';

/** A signed request captured and sent again within its five minutes stores and sends nothing new. */
describe('a replayed signed request', () => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startRelay('pglite', { META_PIXEL_ID: '123456' });
	});
	afterAll(() => relay.close());

	const post = (body: string, signature: string) =>
		fetch(`${relay.url}/v1/events`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-relay-signature': signature },
			body,
		});
	const stored = async () =>
		(
			await json(
				await fetch(`${relay.url}/v1/events?limit=200`, { headers: { authorization: `Bearer ${relay.apiSecret}` } }),
			)
		).data.length as number;

	it('is answered as the duplicate of what the first one stored, however its header is rewritten', async () => {
		const body = JSON.stringify({
			data: [
				{ event_name: 'Purchase', email: 'replay@example.com', value: 10, currency: 'EUR' },
				{ event_name: 'Lead', email: 'replay@example.com' },
			],
		});
		const signature = signRelayRequest(body, relay.apiSecret);
		const first = await json(await post(body, signature));
		expect(first.data.map((d: { duplicate: boolean }) => d.duplicate)).toEqual([false, false]);
		const before = await stored();
		const rewritten = [
			signature,
			signature,
			`${signature},v1=${'0'.repeat(64)}`,
			signature.split(',').reverse().join(','),
		];
		for (const header of rewritten) {
			const again = await post(body, header);
			expect(again.status).toBe(202);
			const answer = await json(again);
			expect(answer.data).toEqual(first.data.map((d: object) => ({ ...d, duplicate: true })));
		}
		expect(await stored()).toBe(before);
	});

	it('stores a new request with the same body signed at another second, and events that bring their own id as before', async () => {
		const body = JSON.stringify({ event_name: 'Lead', email: 'again@example.com' });
		const t = Math.floor(Date.now() / 1000);
		const a = await json(await post(body, signRelayRequest(body, relay.apiSecret, t - 1)));
		const b = await json(await post(body, signRelayRequest(body, relay.apiSecret, t)));
		expect([a.data[0].duplicate, b.data[0].duplicate]).toEqual([false, false]);
		expect(a.data[0].id).not.toBe(b.data[0].id);
		const own = JSON.stringify({ event_name: 'Lead', email: 'own@example.com', event_id: 'own-1' });
		await post(own, signRelayRequest(own, relay.apiSecret, t - 2));
		const event = await json(
			await fetch(`${relay.url}/v1/events/${b.data[0].id}`, {
				headers: { authorization: `Bearer ${relay.apiSecret}` },
			}),
		);
		expect(event.event_id).toMatch(/^signed:[0-9a-f]{40}:0$/);
		const second = await json(await post(own, signRelayRequest(own, relay.apiSecret, t)));
		expect(second.data[0].duplicate).toBe(true);
	});
});
