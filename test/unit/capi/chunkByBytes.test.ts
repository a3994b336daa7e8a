import {
	chunkByBytes,
	envelopeBytes,
	eventsRequestBody,
	MAX_EVENT_BYTES,
	MAX_EVENTS_PER_REQUEST,
	MAX_REQUEST_BYTES,
	utf8Bytes,
} from '../../../nodes/core/capi';

/** What a request of these items really weighs: the bound chunkByBytes promises. */
const bodyBytes = (items: readonly string[], fields: Record<string, unknown> = {}) =>
	utf8Bytes(JSON.stringify({ data: items.map((s) => JSON.parse(s) as unknown), ...fields }));

describe('chunkByBytes', () => {
	it('cuts by count like chunk when the items are small', () => {
		const items = Array.from({ length: 2500 }, (_, i) => i);
		const { batches, tooLarge } = chunkByBytes(items, () => 100);
		expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
		expect(batches.flat()).toEqual(items);
		expect(tooLarge).toEqual([]);
	});

	it('cuts by bytes: a request never passes MAX_REQUEST_BYTES, envelope and commas included', () => {
		// 60 KB events: 33 fit in 2,000,000 bytes, not 1,000.
		const event = JSON.stringify({ event_name: 'Purchase', custom_data: { note: 'x'.repeat(60_000) } });
		const items = Array.from({ length: 100 }, () => event);
		const { batches, tooLarge } = chunkByBytes(items, utf8Bytes);
		expect(tooLarge).toEqual([]);
		expect(batches.flat()).toHaveLength(100);
		for (const b of batches) expect(bodyBytes(b)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
		// Full: one more event would have passed the bound.
		expect(bodyBytes([...batches[0], event])).toBeGreaterThan(MAX_REQUEST_BYTES);
		expect(batches.map((b) => b.length)).toEqual([33, 33, 33, 1]);
	});

	it('fills a request exactly to the bound, counting the envelope the caller gives', () => {
		const fields = { test_event_code: 'TEST123', appsecret_proof: 'a'.repeat(64) };
		const envelope = envelopeBytes(fields);
		expect(envelope).toBe(bodyBytes([], fields));
		const maxBytes = envelope + 3 * 10 + 2;
		const ten = JSON.stringify('x'.repeat(8));
		const { batches } = chunkByBytes([ten, ten, ten, ten], utf8Bytes, { maxBytes, envelopeBytes: envelope });
		expect(batches.map((b) => b.length)).toEqual([3, 1]);
		expect(bodyBytes(batches[0], fields)).toBe(maxBytes);
	});

	it('counts UTF-8 bytes, not characters', () => {
		expect(utf8Bytes('é€😀')).toBe(2 + 3 + 4);
		// 202 UTF-16 code units, 402 bytes.
		const wide = JSON.stringify('😀'.repeat(100));
		const { batches } = chunkByBytes([wide, wide, wide], utf8Bytes, { maxBytes: envelopeBytes() + 2 * 402 + 1 });
		expect(batches.map((b) => b.length)).toEqual([2, 1]);
	});

	it('sets aside an event too large to be sent, alone, without holding back the others', () => {
		const small = 'a';
		const big = 'B';
		const items = [small, big, small, 'C', small];
		const sizes: Record<string, number> = { a: 1000, B: MAX_EVENT_BYTES + 1, C: 5_000_000 };
		const { batches, tooLarge } = chunkByBytes(items, (s) => sizes[s]);
		expect(tooLarge).toEqual([big, 'C']);
		expect(batches).toEqual([[small, small, small]]);
	});

	it('takes an item that fills a request alone, and refuses one that passes it', () => {
		const { batches, tooLarge } = chunkByBytes(
			['fits', 'over'],
			(s) => (s === 'fits' ? 100 - envelopeBytes() : 101 - envelopeBytes()),
			{ maxBytes: 100, maxItemBytes: 1000 },
		);
		expect(batches).toEqual([['fits']]);
		expect(tooLarge).toEqual(['over']);
	});

	it('treats a size that is not a number as too large', () => {
		expect(chunkByBytes(['x'], () => Number.NaN).tooLarge).toEqual(['x']);
	});

	it('keeps every request within Meta’s count and the byte bound on random sizes', () => {
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let run = 0; run < 100; run++) {
			const sizes = Array.from({ length: Math.floor(random() * 3000) }, () => Math.floor(random() ** 4 * 80_000));
			const maxBytes = 10_000 + Math.floor(random() * MAX_REQUEST_BYTES);
			const { batches, tooLarge } = chunkByBytes(
				sizes.map((size, i) => ({ i, size })),
				(x) => x.size,
				{ maxBytes },
			);
			const over = batches.filter(
				(b) =>
					b.length === 0 ||
					b.length > MAX_EVENTS_PER_REQUEST ||
					envelopeBytes() + b.reduce((n, x) => n + x.size, 0) + b.length - 1 > maxBytes,
			);
			expect(over).toEqual([]);
			// Nothing lost, nothing repeated, order kept.
			expect([...batches.flat(), ...tooLarge].map((x) => x.i).sort((a, b) => a - b)).toEqual(sizes.map((_, i) => i));
			const setAside = new Set(tooLarge.map((t) => t.i));
			expect(batches.flat().map((x) => x.i)).toEqual(sizes.map((_, i) => i).filter((i) => !setAside.has(i)));
			expect(tooLarge.filter((t) => t.size <= MAX_EVENT_BYTES && envelopeBytes() + t.size <= maxBytes)).toEqual([]);
		}
	});

	it('gives eventsRequestBody batches it accepts', () => {
		const one = { event_name: 'Lead', event_time: 1, action_source: 'chat' as const, user_data: {} };
		const { batches } = chunkByBytes(Array(2001).fill(one), (e) => utf8Bytes(JSON.stringify(e)));
		for (const b of batches) expect(() => eventsRequestBody(b)).not.toThrow();
	});
});
