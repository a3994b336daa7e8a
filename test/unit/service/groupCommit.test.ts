import { GroupCommit } from '../../../service/src/db/groupCommit';

describe('GroupCommit', () => {
	it('puts what arrives together into one call, in order, and answers each caller', async () => {
		const groups: number[][] = [];
		const gc = new GroupCommit<number, string>(
			async (inputs) => {
				groups.push(inputs);
				return inputs.map((n) => `many:${n}`);
			},
			async (n) => {
				groups.push([n]);
				return `one:${n}`;
			},
		);
		const answers = await Promise.all([1, 2, 3, 4].map((n) => gc.submit(n)));
		expect(answers).toEqual(['many:1', 'many:2', 'many:3', 'many:4']);
		expect(groups).toEqual([[1, 2, 3, 4]]);
		expect(await gc.submit(5)).toBe('one:5');
	});

	it('when the group fails, retries each alone so only the bad one fails', async () => {
		const gc = new GroupCommit<number, number>(
			async () => {
				throw new Error('constraint violated');
			},
			async (n) => {
				if (n === 2) throw new Error(`bad ${n}`);
				return n * 10;
			},
		);
		const settled = await Promise.allSettled([1, 2, 3].map((n) => gc.submit(n)));
		expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
			10,
			'bad 2',
			30,
		]);
	});

	it('caps a group and keeps going while calls keep coming', async () => {
		const sizes: number[] = [];
		const gc = new GroupCommit<number, number>(
			async (inputs) => {
				sizes.push(inputs.length);
				return inputs;
			},
			async (n) => {
				sizes.push(1);
				return n;
			},
			{ maxCalls: 3 },
		);
		const all = await Promise.all(Array.from({ length: 7 }, (_, i) => gc.submit(i)));
		expect(all).toEqual([0, 1, 2, 3, 4, 5, 6]);
		expect(sizes).toEqual([3, 3, 1]);
	});

	it('bounds a group by weight, and runs a heavy call at once beside the group in flight', async () => {
		const calls: string[] = [];
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		const gc = new GroupCommit<number, number>(
			async (inputs) => {
				calls.push(`many:${inputs.join('+')}`);
				await held;
				return inputs;
			},
			async (n) => {
				calls.push(`one:${n}`);
				return n;
			},
			{ weight: (n) => n, maxWeight: 10, alone: 50, maxCalls: 200 },
		);
		const small = [4, 5, 3, 6].map((n) => gc.submit(n));
		await new Promise((r) => setImmediate(r));
		// The group 4+5 is held open in the database; the heavy call does not wait for it.
		expect(await gc.submit(60)).toBe(60);
		expect(calls).toEqual(['many:4+5', 'one:60']);
		release();
		expect(await Promise.all(small)).toEqual([4, 5, 3, 6]);
		expect(calls).toEqual(['many:4+5', 'one:60', 'many:3+6']);
	});
});
