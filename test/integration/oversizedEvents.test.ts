import { createHash } from 'node:crypto';
import { MAX_EVENT_BYTES, MAX_REQUEST_BYTES } from '../../nodes/core/capi/limits';
import type { ServerEvent } from '../../nodes/core/capi/types';
import { LIST_MAX_PAYLOAD_BYTES } from '../../service/src/db/repository';
import { startMetaDouble } from '../support/metaDouble';
import { eventually, startRelay, type TestRelay } from '../support/relayServer';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A valid event whose custom_data carries `padding` bytes of filler. */
function event(id: string, padding: number): ServerEvent {
	return {
		event_name: 'Purchase',
		event_time: Math.floor(Date.now() / 1000),
		action_source: 'system_generated',
		event_id: id,
		user_data: { em: [sha(`${id}@example.com`)] },
		custom_data: { value: 1, currency: 'USD', ...(padding ? { note: 'x'.repeat(padding) } : {}) },
	};
}

/**
 * Events too large to send, stored beside normal ones through the repository (ingest refuses
 * them; rows written before that refusal, or by hand, still exist): the normal ones are sent, no
 * request passes the byte bound, the oversized ones are dead-lettered alone, and the list stays
 * answerable.
 */
describe('oversized events stored beside normal ones (PGlite)', () => {
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	let relay: TestRelay;
	const huge = Array.from({ length: 3 }, (_, i) => `huge-${i}`); // 3 MB each: above the request bound
	const large = Array.from({ length: 3 }, (_, i) => `large-${i}`); // 200 KB: above one event's bound
	const medium = Array.from({ length: 40 }, (_, i) => `medium-${i}`); // 60 KB: sent, 33 to a request at most
	const normal = Array.from({ length: 100 }, (_, i) => `normal-${i}`);

	beforeAll(async () => {
		meta = await startMetaDouble();
		relay = await startRelay('pglite', {
			META_PIXEL_ID: '123456',
			META_ACCESS_TOKEN: 'EAAB-test-token',
			META_GRAPH_URL: meta.url,
		});
		// Interleaved, so one claim holds all kinds.
		const ids = [...huge, ...large, ...medium, ...normal].sort(() => Math.random() - 0.5);
		const padding = (id: string) =>
			id.startsWith('huge') ? 3_000_000 : id.startsWith('large') ? 200_000 : id.startsWith('medium') ? 60_000 : 0;
		await relay.repo.ingest(
			'api',
			null,
			ids.map((id) => ({ pixel_id: '123456', payload: event(id, padding(id)) })),
		);
		relay.dispatcher.nudge();
	}, 60_000);
	afterAll(async () => {
		await relay.close();
		await meta.close();
	});

	it('sends the others in requests within the byte bound and dead-letters each oversized event alone, with the reason', async () => {
		const sendable = medium.length + normal.length;
		const tooLarge = huge.length + large.length;
		await eventually(
			async () =>
				expect({ sent: relay.dispatcher.state.sent, dead: relay.dispatcher.state.dead }).toEqual({
					sent: sendable,
					dead: tooLarge,
				}),
			30_000,
		);
		const sizes = meta.received.map((r) => Number(r.headers['content-length']));
		expect(sizes.every((n) => n > 0 && n <= MAX_REQUEST_BYTES)).toBe(true);
		const delivered = meta.received.flatMap((r) => r.body.data.map((e) => String(e.event_id)));
		expect(delivered.sort()).toEqual([...medium, ...normal].sort());
		// 40 × 60 KB cannot go in one request; the normal ones fill the rest.
		expect(meta.received.length).toBeGreaterThanOrEqual(2);
		process.stdout.write(
			`oversized: ${meta.received.length} requests to Meta, largest ${Math.max(...sizes)} bytes, ${delivered.length} events sent, ${tooLarge} dead-lettered\n`,
		);
		const dead = await listAll('status=dead');
		expect(dead.map((e) => e.event_id).sort()).toEqual([...huge, ...large].sort());
		for (const e of dead) {
			expect(e.attempts).toBe(1);
			expect(e.last_error).toMatch(/^too_large: the event is [\d,]+ bytes/);
		}
		expect(
			dead
				.filter((e) => e.event_id.startsWith('huge'))
				.every((e) => e.last_error.includes(`${MAX_REQUEST_BYTES.toLocaleString('en-US')} bytes a request`)),
		).toBe(true);
		expect(
			dead
				.filter((e) => e.event_id.startsWith('large'))
				.every((e) => e.last_error.includes(`${MAX_EVENT_BYTES.toLocaleString('en-US')} bytes one event`)),
		).toBe(true);
	});

	async function page(query: string): Promise<{
		bytes: number;
		body: {
			data: Array<{ event_id: string; last_error: string; attempts: number; payload: unknown }>;
			next_cursor: string | null;
		};
	}> {
		const res = await fetch(`${relay.url}/v1/events?${query}`, {
			headers: { authorization: `Bearer ${relay.apiSecret}` },
		});
		expect(res.status).toBe(200);
		const text = await res.text();
		return { bytes: Buffer.byteLength(text), body: JSON.parse(text) };
	}

	async function listAll(filter: string) {
		const rows: Awaited<ReturnType<typeof page>>['body']['data'] = [];
		let cursor: string | null = null;
		do {
			const { body } = await page(`${filter}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
			rows.push(...body.data);
			cursor = body.next_cursor;
		} while (cursor);
		return rows;
	}

	it('answers GET /v1/events?limit=200 in pages bounded by payload bytes, and the cursor reaches every row once', async () => {
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const { bytes, body } = await page(`limit=200${cursor ? `&cursor=${cursor}` : ''}`);
			pages++;
			const payloadBytes = body.data.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e.payload)), 0);
			// A page stops before its payloads pass the bound; a row larger than the bound comes alone.
			if (body.data.length > 1) expect(payloadBytes).toBeLessThanOrEqual(LIST_MAX_PAYLOAD_BYTES);
			expect(bytes).toBeLessThan(Math.max(LIST_MAX_PAYLOAD_BYTES, payloadBytes) + 200 * 1000);
			seen.push(...body.data.map((e) => e.event_id));
			cursor = body.next_cursor;
		} while (cursor);
		expect(seen.length).toBe(146);
		expect(new Set(seen).size).toBe(146);
		expect(pages).toBeGreaterThan(4);
	});
});
