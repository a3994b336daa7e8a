import pino from 'pino';
import { Leases } from '../../../service/src/usecases/leases';

describe('Leases', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
	afterEach(() => jest.useRealTimers());

	/** A 10 s lease (a beat every 2 s) whose renewals answer at once; each renewal's ids recorded. */
	function leases() {
		const renewals: string[][] = [];
		const l = new Leases(
			async (ids) => {
				renewals.push([...ids].sort());
				return ids.length;
			},
			10_000,
			pino({ level: 'silent' }),
		);
		l.start();
		return { l, renewals };
	}
	const advance = async (ms: number) => {
		await jest.advanceTimersByTimeAsync(ms);
	};

	it('renews only claims confirmed at least half a beat before; a younger one waits for the next beat', async () => {
		const { l, renewals } = leases();
		l.take(['a'], Date.now());
		await advance(1_500);
		l.take(['b'], Date.now()); // 0.5 s before the beat at 2 s: not yet
		await advance(100);
		l.take(['c'], Date.now()); // 0.4 s before it
		await advance(400);
		expect(renewals).toEqual([['a']]);
		await advance(2_000);
		expect(renewals).toEqual([['a'], ['a', 'b', 'c']]);
		await l.stop();
	});

	it('a claim marked within half a beat is never renewed, even when a beat falls while it is held', async () => {
		const { l, renewals } = leases();
		await advance(1_700);
		for (let i = 0; i < 10; i++) {
			const lease = l.take([`e${i}`], Date.now());
			await advance(400); // the beat comes 300 ms after the claim
			l.drop(lease);
			await advance(1_600);
		}
		expect(renewals).toEqual([]);
		await l.stop();
	});

	it('a claim held across many beats stays sendable while renewals succeed, and is first renewed by 1.5 beats', async () => {
		const { l, renewals } = leases();
		await advance(900);
		const lease = l.take(['slow'], Date.now()); // 1.1 s before the beat at 2 s: renewed there
		await advance(1_100);
		expect(renewals).toEqual([['slow']]);
		await advance(30_000);
		expect(l.holds(lease)).toBe(true);
		expect(renewals.length).toBe(16);
		await l.stop();
	});
});
