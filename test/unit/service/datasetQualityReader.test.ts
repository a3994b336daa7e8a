import pino from 'pino';
import type { DatasetQualityRow } from '../../../nodes/core/capi/datasetQuality';
import type { Classified } from '../../../nodes/core/errors';
import type { QualityAnswer } from '../../../service/src/meta/datasetQualityClient';
import type { GraphSettings } from '../../../service/src/meta/graphClient';
import {
	DatasetQualityReader,
	deliveredPixels,
	type QualityReaderOptions,
} from '../../../service/src/usecases/datasetQuality';

const MIN = 60_000;
const HOUR = 60 * MIN;
const SETTINGS: GraphSettings = { graphUrl: 'https://graph.test', apiVersion: 'v25.0', accessToken: 'EAAB-token' };

const row = (event_name: string, composite_score: number): DatasetQualityRow => ({
	event_name,
	composite_score,
	match_keys: { email: 100 },
	event_coverage: null,
	event_coverage_goal: null,
	dedupe_keys: {},
	data_freshness: 'real_time',
	acr: null,
	diagnostics: [],
});
const ok = (score = 7.2, maxPercent = 0, regainAfterMs?: number): QualityAnswer => ({
	ok: true,
	rows: [row('Purchase', score)],
	usage: { maxPercent, ...(regainAfterMs ? { regainAfterMs } : {}) },
});
const failed = (error: Partial<Classified> & Pick<Classified, 'class'>): QualityAnswer => ({
	ok: false,
	error: { retryable: error.class === 'retry' || error.class === 'throttle', message: 'Meta says no', ...error },
});
const throttled = (code = 17, retryAfterMs?: number) => failed({ class: 'throttle', code, retryAfterMs });

/**
 * A reader on a clock the test moves: read() records (time, pixel) and answers from a script;
 * random() is 0.5 (no jitter) unless given.
 */
function harness(
	options: Partial<QualityReaderOptions> = {},
	{
		pixels = ['111', '222'] as string[] | (() => Promise<string[]>),
		answer = ((): QualityAnswer => ok()) as (pixel: string, n: number) => QualityAnswer,
		random = (() => 0.5) as () => number,
		token = true,
		pausedUntil = undefined as (() => number | undefined) | undefined,
	} = {},
) {
	const start = Date.now();
	const clock = { now: start };
	const reads: Array<{ at: number; pixel: string }> = [];
	const reader = new DatasetQualityReader(
		{
			settings: token ? SETTINGS : undefined,
			pixels: typeof pixels === 'function' ? pixels : async () => pixels,
			read: async (_settings, pixel) => {
				reads.push({ at: clock.now - start, pixel });
				return answer(pixel, reads.length);
			},
			pausedUntil,
			clock: () => clock.now,
			random,
			log: pino({ level: 'silent' }),
		},
		{ intervalMs: 6 * HOUR, initialDelayMs: MIN, gapMs: 10_000, ...options },
	);
	let next = 0;
	/** Ticks at `at` (ms after start); answers the next step's time, after start too. */
	const tickAt = async (at: number) => {
		clock.now = start + at;
		next = (await reader.tick()) - start;
		return next;
	};
	/** Follows the reader's own schedule, from where it last said, until `until` (ms after start). */
	const runUntil = async (until: number) => {
		for (let steps = 0; next <= until; steps++) {
			if (steps > 10_000) throw new Error('the reader does not move on');
			await tickAt(next);
		}
	};
	return { reader, reads, tickAt, runUntil, start, clock };
}

const readTimes = (reads: Array<{ at: number; pixel: string }>, pixel: string) =>
	reads.filter((r) => r.pixel === pixel).map((r) => r.at);

describe('DatasetQualityReader: its schedule', () => {
	it('reads nothing before the first read, then each pixel once per interval, requests at least gapMs apart', async () => {
		const h = harness();
		expect(await h.tickAt(0)).toBe(MIN);
		expect(await h.tickAt(59_999)).toBe(MIN);
		expect(h.reads).toEqual([]);

		expect(await h.tickAt(MIN)).toBe(MIN + 10_000);
		// The second pixel is due, but not before the gap since the last request.
		expect(await h.tickAt(MIN + 5_000)).toBe(MIN + 10_000);
		expect(h.reads).toEqual([{ at: MIN, pixel: '111' }]);
		await h.tickAt(MIN + 10_000);
		expect(h.reads).toEqual([
			{ at: MIN, pixel: '111' },
			{ at: MIN + 10_000, pixel: '222' },
		]);

		await h.runUntil(24 * HOUR);
		expect(readTimes(h.reads, '111')).toEqual([MIN, 6 * HOUR + MIN, 12 * HOUR + MIN, 18 * HOUR + MIN]);
		expect(readTimes(h.reads, '222')).toEqual([0, 6, 12, 18].map((n) => n * HOUR + MIN + 10_000));
		const gaps = h.reads.slice(1).map((r, i) => r.at - h.reads[i].at);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10_000);

		const view = h.reader.view();
		expect(view).toMatchObject({ state: 'on', pixels: [{ pixelId: '111', status: 'ok' }, { pixelId: '222' }] });
		if (view.state !== 'on') throw new Error('off');
		expect(view.pixels[0].rows).toEqual([row('Purchase', 7.2)]);
		expect(view.pixels[0].readAt).toBe(h.start + 18 * HOUR + MIN);
		expect(view.pixels[0].nextAt).toBe(h.start + 24 * HOUR + MIN);
	});

	it('moves each read by up to ±10% of the interval (replicas and restarts spread out)', async () => {
		for (const [random, factor] of [
			[() => 0, 0.9],
			[() => 0.999999, 1.1],
		] as const) {
			const h = harness({ initialDelayMs: 0 }, { pixels: ['111'], random });
			await h.runUntil(8 * HOUR);
			const [first, second] = readTimes(h.reads, '111');
			expect(second - first).toBeCloseTo(6 * HOUR * factor, -3);
		}
	});

	it('after throttling (4, 17, 613) pauses every read, 15 min doubling while it lasts, at least what Meta asks, at most the interval; a success resets it', async () => {
		const script: QualityAnswer[] = [
			throttled(17),
			throttled(613),
			throttled(4),
			throttled(17, 3 * HOUR), // Meta asks for more than the doubling would wait
			throttled(17),
			throttled(17),
			ok(),
			ok(),
			throttled(17),
			ok(),
		];
		const h = harness({ initialDelayMs: 0 }, { answer: () => script.shift() ?? ok() });
		await h.runUntil(24 * HOUR);
		const times = h.reads.map((r) => r.at);
		const waits = times.slice(1, 7).map((t, i) => t - times[i]);
		// 15, 30, 60 min; Meta's 3 h (the doubling's 2 h is less); 4 h; 8 h capped at the 6 h interval.
		expect(waits).toEqual([15 * MIN, 30 * MIN, 60 * MIN, 3 * HOUR, 4 * HOUR, 6 * HOUR]);
		// While throttled the same pixel stays first; after the success the other one follows a gap later.
		expect(h.reads.slice(0, 7).every((r) => r.pixel === '111')).toBe(true);
		expect(h.reads[7]).toEqual({ at: times[6] + 10_000, pixel: '222' });
		// A throttle after successes waits 15 min again.
		expect(times[9] - times[8]).toBe(15 * MIN);
		expect(h.reader.view()).toMatchObject({ state: 'on' });
	});

	it('a pixel Meta refuses (no permission 200, 10; token 190) says so and is tried again one interval later, not sooner', async () => {
		let refuse = true;
		const h = harness(
			{ initialDelayMs: 0 },
			{
				pixels: ['111'],
				answer: () =>
					refuse ? failed({ class: 'auth', code: 200, message: '(#200) Requires ads_read permission' }) : ok(8.1),
			},
		);
		await h.runUntil(6 * HOUR - 1);
		expect(h.reads.map((r) => r.at)).toEqual([0]);
		let view = h.reader.view();
		expect(view).toMatchObject({
			state: 'on',
			pixels: [
				{
					pixelId: '111',
					status: 'refused',
					rows: [],
					error: { class: 'auth', code: 200, message: '(#200) Requires ads_read permission' },
				},
			],
		});
		refuse = false;
		await h.runUntil(6 * HOUR);
		expect(h.reads.map((r) => r.at)).toEqual([0, 6 * HOUR]);
		view = h.reader.view();
		expect(view).toMatchObject({ pixels: [{ status: 'ok', rows: [row('Purchase', 8.1)], error: undefined }] });
	});

	it('a transient failure retries that pixel after 5 min, doubling, and keeps the last answer on the page', async () => {
		const script: QualityAnswer[] = [ok(6.5), failed({ class: 'retry', code: 2 }), failed({ class: 'retry' }), ok(6.9)];
		const h = harness({ initialDelayMs: 0 }, { pixels: ['111'], answer: () => script.shift() ?? ok() });
		await h.runUntil(6 * HOUR + 16 * MIN);
		expect(h.reads.map((r) => r.at)).toEqual([0, 6 * HOUR, 6 * HOUR + 5 * MIN, 6 * HOUR + 15 * MIN]);
		const h2 = harness(
			{ initialDelayMs: 0 },
			{ pixels: ['111'], answer: () => (h2.reads.length > 1 ? failed({ class: 'retry' }) : ok(6.5)) },
		);
		await h2.runUntil(6 * HOUR + MIN);
		expect(h2.reader.view()).toMatchObject({
			pixels: [{ status: 'failed', rows: [row('Purchase', 6.5)], readAt: h2.start, error: { class: 'retry' } }],
		});
	});

	it("waits when Meta's usage headers pass 90% or the dispatcher pauses for Meta's rate limit", async () => {
		const h = harness({ initialDelayMs: 0 }, { answer: (_p, n) => (n === 1 ? ok(7, 95, 20 * MIN) : ok()) });
		await h.runUntil(30 * MIN);
		expect(h.reads.map((r) => r.at)).toEqual([0, 20 * MIN]);

		let dispatcherPaused = 0;
		const d = harness({ initialDelayMs: 0 }, { pausedUntil: () => dispatcherPaused });
		dispatcherPaused = d.start + 45 * MIN;
		await d.runUntil(HOUR);
		expect(d.reads.map((r) => r.at)).toEqual([45 * MIN, 45 * MIN + 10_000]);
	});

	it('reads the pixel list again every 10 minutes: a new pixel is read, one gone from it is dropped, a failed list keeps the known ones', async () => {
		let listed: string[] | Error = ['111'];
		const h = harness(
			{ initialDelayMs: 0 },
			{
				pixels: async () => {
					if (listed instanceof Error) throw listed;
					return listed;
				},
			},
		);
		await h.runUntil(9 * MIN);
		listed = ['111', '333', 'not-a-pixel'];
		await h.runUntil(11 * MIN);
		expect(h.reads).toEqual([
			{ at: 0, pixel: '111' },
			{ at: 10 * MIN, pixel: '333' },
		]);
		listed = new Error('database unreachable');
		await h.runUntil(21 * MIN);
		expect(h.reader.view()).toMatchObject({ pixels: [{ pixelId: '111' }, { pixelId: '333' }] });
		listed = ['333'];
		await h.runUntil(31 * MIN);
		expect(h.reader.view()).toMatchObject({ pixels: [{ pixelId: '333' }] });
	});

	it('reads nothing without a token or with the interval 0, and says why', async () => {
		const none = harness({}, { token: false });
		expect(await none.reader.tick()).toBe(Infinity);
		expect(none.reader.view()).toEqual({ state: 'off', reason: 'META_ACCESS_TOKEN is not set' });
		const off = harness({ intervalMs: 0 });
		expect(await off.reader.tick()).toBe(Infinity);
		expect(off.reader.view()).toEqual({ state: 'off', reason: 'META_QUALITY_INTERVAL_MINUTES is 0' });
		expect([...none.reads, ...off.reads]).toEqual([]);
	});

	it('lists the default pixel first, then the recent ones without repeats', async () => {
		const repo = { recentPixels: async (limit: number) => ['222', '111', String(limit)] };
		expect(await deliveredPixels(repo, '111', 50)()).toEqual(['111', '222', '50']);
		expect(await deliveredPixels(repo, undefined, 7)()).toEqual(['222', '111', '7']);
	});
});

describe('DatasetQualityReader: its timer', () => {
	afterEach(() => jest.useRealTimers());

	it('start() reads at the first read time and on; stop() ends it (fake timers: no real waiting)', async () => {
		jest.useFakeTimers();
		const reads: number[] = [];
		const reader = new DatasetQualityReader(
			{
				settings: SETTINGS,
				pixels: async () => ['111'],
				read: async () => {
					reads.push(Date.now());
					return ok();
				},
				random: () => 0.5,
				log: pino({ level: 'silent' }),
			},
			{ intervalMs: HOUR, initialDelayMs: MIN },
		);
		const start = Date.now();
		reader.start();
		await jest.advanceTimersByTimeAsync(MIN - 1);
		expect(reads).toEqual([]);
		await jest.advanceTimersByTimeAsync(1);
		expect(reads.map((t) => t - start)).toEqual([MIN]);
		await jest.advanceTimersByTimeAsync(HOUR);
		expect(reads.map((t) => t - start)).toEqual([MIN, HOUR + MIN]);
		await reader.stop();
		await jest.advanceTimersByTimeAsync(3 * HOUR);
		expect(reads).toHaveLength(2);
	});
	it('stop() ends a read still waiting for Meta instead of waiting for its answer', async () => {
		jest.useFakeTimers();
		const errors: string[] = [];
		const log = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
		let started = false;
		const reader = new DatasetQualityReader(
			{
				settings: SETTINGS,
				pixels: async () => ['111'],
				read: (_settings, _pixel, _agent, signal) =>
					new Promise<QualityAnswer>((_resolve, reject) => {
						started = true;
						signal?.addEventListener('abort', () => reject(signal.reason));
					}),
				random: () => 0.5,
				log,
			},
			{ intervalMs: HOUR, initialDelayMs: MIN },
		);
		reader.start();
		await jest.advanceTimersByTimeAsync(MIN);
		expect(started).toBe(true);
		await reader.stop();
		expect(errors).toEqual([]);
	});
});
