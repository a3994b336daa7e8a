import pino from 'pino';
import type { ServerEvent } from '../../../nodes/core/capi/types';
import { MAX_REQUEST_BYTES } from '../../../nodes/core/capi/limits';
import type { ClaimedEvent, OutboxRepository } from '../../../service/src/db/repository';
import { sendEventTexts } from '../../../service/src/meta/graphClient';
import { Dispatcher } from '../../../service/src/usecases/dispatcher';
import { startMetaDouble } from '../../support/metaDouble';

const event = (id: string, extra: Record<string, unknown> = {}): ServerEvent => ({
	event_name: 'Lead',
	event_time: 1_700_000_000,
	action_source: 'chat',
	event_id: id,
	user_data: { external_id: ['a'.repeat(64)] },
	...extra,
});

/** An outbox in memory: the claimed events once, then nothing; records every mark. */
function fakeOutbox(events: ClaimedEvent[]) {
	const marks: Array<{ kind: string; ids: string[]; reason?: string }> = [];
	let claimed = false;
	const outbox = {
		claim: async () => {
			if (claimed) return [];
			claimed = true;
			return events;
		},
		markSent: async (_w: string, ids: string[]) => (marks.push({ kind: 'sent', ids }), ids.length),
		markRetry: async (_w: string, ids: string[], reason: string) => (
			marks.push({ kind: 'retry', ids, reason }),
			ids.length
		),
		markDead: async (_w: string, ids: string[], reason: string) => (
			marks.push({ kind: 'dead', ids, reason }),
			ids.length
		),
		renew: async (_w: string, ids: string[]) => ids.length,
		release: async () => 0,
	};
	return { outbox: outbox as unknown as OutboxRepository, marks };
}

describe('building a request to Meta', () => {
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	beforeEach(async () => {
		meta = await startMetaDouble();
	});
	afterEach(() => meta.close());
	const settings = () => ({ graphUrl: meta.url, apiVersion: 'v25.0', accessToken: 'EAAB-test', timeoutMs: 2_000 });

	it('a body above MAX_REQUEST_BYTES is never sent', async () => {
		const big = Array.from({ length: 40 }, (_, i) => event(`e${i}`, { custom_data: { note: 'x'.repeat(60_000) } }));
		const result = await sendEventTexts(
			settings(),
			'123456',
			big.map((e) => JSON.stringify(e)),
		);
		expect(result).toMatchObject({ ok: false, error: { class: 'invalid', code: 'too_large' } });
		expect(!result.ok && result.error.message).toMatch(
			new RegExp(`above the ${MAX_REQUEST_BYTES.toLocaleString('en-US')} bytes`),
		);
		expect(meta.received).toHaveLength(0);
	});

	/** A dispatcher of one lane over these claimed events, run for one round. */
	async function roundOver(claimed: ClaimedEvent[]) {
		const { outbox, marks } = fakeOutbox(claimed);
		const dispatcher = new Dispatcher(outbox, settings(), pino({ level: 'silent' }), {
			baseDelayMs: 10,
			idleMs: 10,
			concurrency: 1,
		});
		await dispatcher.round();
		return marks;
	}
	const claimedAs = (id: string, payloadText: string): ClaimedEvent => ({
		id,
		pixel_id: '123456',
		test_event_code: null,
		attempts: 1,
		storedBytes: Buffer.byteLength(payloadText),
		payloadText,
	});
	/** JSON as Postgres writes a jsonb value: a space after each colon and comma. */
	const spaced = (e: ServerEvent) =>
		JSON.stringify(e).replace(/":/g, '": ').replace(/,"/g, ', "').replace(/},{/g, '}, {');

	it('the dispatcher dead-letters the event at fault alone and sends the others', async () => {
		const big = event('b', { custom_data: { content_name: 'x'.repeat(70_000) } });
		const marks = await roundOver(
			['a', 'b', 'c'].map((id) => claimedAs(id, JSON.stringify(id === 'b' ? big : event(id)))),
		);
		expect(
			marks
				.filter((m) => m.kind === 'sent')
				.flatMap((m) => m.ids)
				.sort(),
		).toEqual(['a', 'c']);
		const dead = marks.filter((m) => m.kind === 'dead');
		expect(dead).toHaveLength(1);
		expect(dead[0].ids).toEqual(['b']);
		expect(dead[0].reason).toMatch(
			/^too_large: the event is 70,\d{3} bytes as sent, above the 64,000 bytes one event may have/,
		);
		expect(marks.filter((m) => m.kind === 'retry')).toEqual([]);
		expect(meta.received.flatMap((r) => r.body.data.map((e) => e.event_id))).toEqual(['a', 'c']);
	});

	it('the dispatcher sends stored texts as they are, and compacts one that fits only without the spaces', async () => {
		const contents = Array.from({ length: 2_500 }, () => ({ id: '1', quantity: 1 }));
		const wide = event('c', { custom_data: { contents } });
		expect(Buffer.byteLength(JSON.stringify(wide))).toBeLessThan(64_000);
		expect(Buffer.byteLength(spaced(wide))).toBeGreaterThan(64_000);
		const marks = await roundOver([claimedAs('a', spaced(event('a'))), claimedAs('c', spaced(wide))]);
		expect(marks.map((m) => m.kind)).toEqual(['sent']);
		expect(meta.received).toHaveLength(1);
		expect(meta.received[0].body.data).toEqual([event('a'), wide]);
	});
});
