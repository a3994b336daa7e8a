import {
	chunk,
	dropDuplicateEvents,
	eventsRequestBody,
	MAX_EVENTS_PER_REQUEST,
	sendWithBisection,
	type SendOutcome,
} from '../../../nodes/core/capi';

describe('batching', () => {
	it('cuts 2,500 events into 1,000 + 1,000 + 500', () => {
		const batches = chunk(
			Array.from({ length: 2500 }, (_, i) => i),
			MAX_EVENTS_PER_REQUEST,
		);
		expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
		expect(batches.flat()).toEqual(Array.from({ length: 2500 }, (_, i) => i));
	});

	it('refuses an empty or oversized request body', () => {
		expect(() => eventsRequestBody([])).toThrow('1 to 1000 events');
		const one = { event_name: 'Lead', event_time: 1, action_source: 'chat' as const, user_data: {} };
		expect(() => eventsRequestBody(Array(1001).fill(one))).toThrow('not 1001');
		expect(eventsRequestBody([one], { testEventCode: 'TEST123' })).toEqual({ data: [one], test_event_code: 'TEST123' });
	});

	it('drops repeated (event_name, event_id) pairs, keeping the first', () => {
		const events = [
			{ event_name: 'Purchase', event_id: '1' },
			{ event_name: 'Lead', event_id: '1' },
			{ event_name: 'Purchase', event_id: '1' },
			{ event_name: 'Purchase' },
			{ event_name: 'Purchase' },
		];
		const { kept, duplicates } = dropDuplicateEvents(events);
		expect(duplicates).toEqual([2]);
		expect(kept).toEqual([events[0], events[1], events[3], events[4]]);
	});
});

describe('sendWithBisection', () => {
	// A fake Meta that rejects any batch containing a bad item, as the real one does.
	function metaRejecting(bad: Set<number>, calls: number[][]) {
		return async (batch: readonly number[]): Promise<SendOutcome<string>> => {
			calls.push([...batch]);
			const culprit = batch.find((n) => bad.has(n));
			return culprit === undefined
				? { ok: true, result: `ok:${batch.length}` }
				: { ok: false, invalid: true, error: `bad ${culprit}` };
		};
	}

	it('delivers everything in one call when nothing is invalid', async () => {
		const calls: number[][] = [];
		const out = await sendWithBisection([1, 2, 3, 4], metaRejecting(new Set(), calls));
		expect(calls).toEqual([[1, 2, 3, 4]]);
		expect(out.every((o) => o.ok && o.result === 'ok:4')).toBe(true);
	});

	it('isolates the one invalid item and lands the rest', async () => {
		const calls: number[][] = [];
		const items = Array.from({ length: 16 }, (_, i) => i);
		const out = await sendWithBisection(items, metaRejecting(new Set([11]), calls));
		expect(out.filter((o) => !o.ok)).toEqual([{ item: 11, ok: false, error: 'bad 11' }]);
		expect(out.filter((o) => o.ok).map((o) => o.item)).toEqual(items.filter((i) => i !== 11));
		// log2(16) levels, two calls per level below the first.
		expect(calls.length).toBe(1 + 2 * 4);
	});

	it('does not split on errors that are not about the content', async () => {
		const calls: number[][] = [];
		const out = await sendWithBisection([1, 2, 3], async (batch) => {
			calls.push([...batch]);
			return { ok: false, invalid: false, error: 'throttled' };
		});
		expect(calls).toEqual([[1, 2, 3]]);
		expect(out.map((o) => o.error)).toEqual(['throttled', 'throttled', 'throttled']);
	});

	it('finishes the first half down to its single items before sending the second', async () => {
		const calls: number[][] = [];
		await sendWithBisection([1, 2, 3, 4], metaRejecting(new Set([1, 3]), calls));
		expect(calls).toEqual([[1, 2, 3, 4], [1, 2], [1], [2], [3, 4], [3], [4]]);
	});

	describe('stopWhenHalvesFailAlike', () => {
		const alike = { levels: 2, same: (error: unknown, first: unknown) => error === first };

		it('gives up after two levels of halves failing like the whole batch; the rest fail with their parent’s error', async () => {
			const calls: number[][] = [];
			const out = await sendWithBisection(
				Array.from({ length: 8 }, (_, i) => i),
				async (batch): Promise<SendOutcome<string, string>> => {
					calls.push([...batch]);
					return { ok: false, invalid: true, error: 'no such property' };
				},
				{ stopWhenHalvesFailAlike: alike },
			);
			expect(calls.map((c) => c.length)).toEqual([8, 4, 4, 2, 2, 2, 2]);
			expect(out.map((o) => o.error)).toEqual(Array(8).fill('no such property'));
		});

		it('sends halves level by level, as the rule needs a whole level’s answers', async () => {
			const calls: number[][] = [];
			await sendWithBisection([1, 2, 3, 4], metaRejecting(new Set([1, 3]), calls), { stopWhenHalvesFailAlike: alike });
			expect(calls).toEqual([[1, 2, 3, 4], [1, 2], [3, 4], [1], [2], [3], [4]]);
		});

		it('keeps splitting when a half fails for another reason', async () => {
			const calls: number[][] = [];
			const out = await sendWithBisection(
				Array.from({ length: 8 }, (_, i) => i),
				async (batch): Promise<SendOutcome<string, string>> => {
					calls.push([...batch]);
					return {
						ok: false,
						invalid: true,
						error: batch.includes(7) && batch.length < 8 ? 'bad 7' : 'no such property',
					};
				},
				{ stopWhenHalvesFailAlike: alike },
			);
			expect(calls).toHaveLength(15);
			expect(out.map((o) => o.error)).toEqual([...Array(7).fill('no such property'), 'bad 7']);
		});
	});
});
