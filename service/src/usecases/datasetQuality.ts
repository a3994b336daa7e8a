import type { Logger } from 'pino';
import type { DatasetQualityRow } from '../../../nodes/core/capi/datasetQuality';
import type { Classified } from '../../../nodes/core/errors';
import { systemClock, type Clock } from '../clock';
import type { GraphSettings } from '../meta/graphClient';
import { readDatasetQuality, type QualityAnswer } from '../meta/datasetQualityClient';
import { USAGE_SLOWDOWN_PERCENT } from './dispatcher';

/**
 * Meta's own match quality for every pixel the service delivers to, read from the Dataset Quality
 * API on a schedule and kept in memory for the status page (nothing personal is in it; after a
 * restart it is read again within the first minute or two).
 *
 * Within Meta's limits: one read of a pixel per interval (6 h by default), one request at a time
 * and at least gapMs apart (a read costs 1 point; the development tier allows 60 in 300 s), never
 * while the dispatcher is paused near Meta's rate limit, and a pause of its own after a throttling
 * answer (codes 4, 17, 613, 80000…), doubling while Meta keeps throttling, at least as long as
 * Meta asks, at most one interval.
 */
export interface QualityReaderOptions {
	/** How often each pixel is read; 0: never. */
	intervalMs: number;
	/** The first read after start. */
	initialDelayMs?: number;
	/** Between two requests to Meta. */
	gapMs?: number;
	/** How often the pixel list is read again from the events. */
	discoverMs?: number;
	/** The first wait after a throttling answer; doubles while Meta keeps throttling. */
	throttleBaseMs?: number;
	/** The first wait after a transient failure (5xx, network); doubles per failure of that pixel. */
	retryBaseMs?: number;
	/** Each scheduled time is moved by up to this share of its wait, either way. */
	jitter?: number;
	maxPixels?: number;
	/** Only events sent with this partner_agent (Meta's agent_name); unset: all of the dataset's. */
	agentName?: string;
}

export interface QualityReaderDeps {
	/** Unset: no token, nothing is read. */
	settings: GraphSettings | undefined;
	/** The pixels to read, the busiest first (the default pixel and those of recent events). */
	pixels: () => Promise<string[]>;
	read?: (settings: GraphSettings, pixelId: string, agentName?: string, signal?: AbortSignal) => Promise<QualityAnswer>;
	/** When the dispatcher pauses near Meta's rate limit (ms since the epoch), the reader waits as well. */
	pausedUntil?: () => number | undefined;
	clock?: Clock;
	/** 0 ≤ x < 1. */
	random?: () => number;
	log: Logger;
}

export type PixelQualityStatus = 'pending' | 'ok' | 'refused' | 'throttled' | 'failed';

export interface PixelQuality {
	pixelId: string;
	status: PixelQualityStatus;
	/** The last answer read, per event name (kept through a later transient failure). */
	rows: DatasetQualityRow[];
	/** When that answer was read (ms since the epoch). */
	readAt?: number;
	/** The last failure: Meta's message (capped and redacted), its code and class. */
	error?: { message: string; code?: number | string; subcode?: number; class: Classified['class'] };
	/** The next read is due then (ms since the epoch). */
	nextAt: number;
}

export type QualityView =
	{ state: 'off'; reason: string } | { state: 'on'; pixels: PixelQuality[]; firstReadAt: number; pausedUntil?: number };

export const QUALITY_DEFAULTS = {
	initialDelayMs: 60_000,
	gapMs: 10_000,
	discoverMs: 10 * 60_000,
	throttleBaseMs: 15 * 60_000,
	retryBaseMs: 5 * 60_000,
	jitter: 0.1,
	maxPixels: 50,
} as const;

/** A regain time Meta did not give: this long after a usage header passed the slowdown mark. */
const USAGE_PAUSE_MS = 60 * 60_000;

/** The pixels the service delivers to: the default pixel, then those of the last week's events, the busiest first. */
export function deliveredPixels(
	repo: { recentPixels(limit: number): Promise<string[]> },
	defaultPixel: string | undefined,
	limit: number = QUALITY_DEFAULTS.maxPixels,
): () => Promise<string[]> {
	return async () => [...new Set([...(defaultPixel ? [defaultPixel] : []), ...(await repo.recentPixels(limit))])];
}

interface PixelState extends PixelQuality {
	failures: number;
}

export class DatasetQualityReader {
	private readonly options: Required<Omit<QualityReaderOptions, 'agentName'>> & { agentName?: string };
	private readonly clock: Clock;
	private readonly random: () => number;
	private readonly read: NonNullable<QualityReaderDeps['read']>;
	private readonly pixels = new Map<string, PixelState>();
	/** The first read after start (jittered: replicas started together do not read together). */
	private readonly firstReadAt: number;
	private discoverAt: number;
	private pausedUntil = 0;
	private throttles = 0;
	private lastRequestAt = -Infinity;
	private timer?: ReturnType<typeof setTimeout>;
	private step?: Promise<void>;
	private stopped = false;
	/** Ends a read in flight at stop, so shutting down does not wait for Meta's answer. */
	private readonly stopping = new AbortController();

	constructor(
		private readonly deps: QualityReaderDeps,
		options: QualityReaderOptions,
	) {
		this.options = { ...QUALITY_DEFAULTS, ...options };
		this.clock = deps.clock ?? systemClock;
		this.random = deps.random ?? Math.random;
		this.read =
			deps.read ??
			((settings, pixelId, agentName, signal) => readDatasetQuality(settings, pixelId, { agentName, signal }));
		this.firstReadAt = this.clock() + this.jittered(this.options.initialDelayMs);
		this.discoverAt = this.firstReadAt;
	}

	private get enabled(): boolean {
		return Boolean(this.deps.settings) && this.options.intervalMs > 0;
	}

	/** What the status page shows; never throws. */
	view(): QualityView {
		if (!this.deps.settings) return { state: 'off', reason: 'META_ACCESS_TOKEN is not set' };
		if (this.options.intervalMs <= 0) return { state: 'off', reason: 'META_QUALITY_INTERVAL_MINUTES is 0' };
		const pixels = [...this.pixels.values()].map((p): PixelQuality => ({
			pixelId: p.pixelId,
			status: p.status,
			rows: [...p.rows],
			readAt: p.readAt,
			error: p.error,
			nextAt: p.nextAt,
		}));
		return {
			state: 'on',
			pixels,
			firstReadAt: this.firstReadAt,
			...(this.pausedUntil > this.clock() ? { pausedUntil: this.pausedUntil } : {}),
		};
	}

	start(): void {
		if (!this.enabled || this.timer || this.stopped) return;
		this.schedule(this.firstReadAt);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.timer);
		this.stopping.abort();
		await this.step;
	}

	/**
	 * One step at the clock's time: reads the pixel list when it is due, then at most one pixel
	 * whose read is due (the longest due first), unless a pause holds. Answers when the next step
	 * is due. The timer calls it; tests call it with their own clock.
	 */
	async tick(): Promise<number> {
		if (!this.enabled) return Infinity;
		const now = this.clock();
		if (now >= this.discoverAt) await this.discover(now);
		const pause = Math.max(this.pausedUntil, this.deps.pausedUntil?.() ?? 0, this.lastRequestAt + this.options.gapMs);
		if (now < pause) return Math.min(pause, this.discoverAt);
		const due = [...this.pixels.values()].filter((p) => p.nextAt <= now).sort((a, b) => a.nextAt - b.nextAt)[0];
		if (!due) return this.nextDue();
		this.lastRequestAt = now;
		const answer = await this.read(
			this.deps.settings as GraphSettings,
			due.pixelId,
			this.options.agentName,
			this.stopping.signal,
		);
		this.apply(due, answer, now);
		return Math.max(now + this.options.gapMs, this.nextDue());
	}

	private nextDue(): number {
		let next = Math.max(this.discoverAt, this.pausedUntil);
		for (const p of this.pixels.values()) next = Math.min(next, Math.max(p.nextAt, this.pausedUntil));
		return next;
	}

	private async discover(now: number): Promise<void> {
		this.discoverAt = now + this.options.discoverMs;
		let listed: string[];
		try {
			listed = (await this.deps.pixels()).filter((id) => /^\d{1,32}$/.test(id)).slice(0, this.options.maxPixels);
		} catch (error) {
			this.deps.log.warn({ err: { message: (error as Error).message } }, 'dataset quality: pixel list not read');
			return;
		}
		for (const id of listed)
			if (!this.pixels.has(id))
				this.pixels.set(id, { pixelId: id, status: 'pending', rows: [], nextAt: now, failures: 0 });
		// A pixel without events for a week is no longer listed: its answer goes, the page stays bounded.
		for (const id of this.pixels.keys()) if (!listed.includes(id)) this.pixels.delete(id);
	}

	/** A wait moved by up to ±jitter of itself, so replicas and restarts spread their reads. */
	private jittered(ms: number): number {
		return Math.round(ms * (1 + this.options.jitter * (2 * this.random() - 1)));
	}

	private apply(pixel: PixelState, answer: QualityAnswer, now: number): void {
		const interval = this.options.intervalMs;
		if (answer.ok) {
			Object.assign(pixel, { status: 'ok', rows: answer.rows, readAt: now, error: undefined, failures: 0 });
			pixel.nextAt = now + this.jittered(interval);
			this.throttles = 0;
			if (answer.usage.maxPercent >= USAGE_SLOWDOWN_PERCENT)
				this.pausedUntil = now + (answer.usage.regainAfterMs ?? USAGE_PAUSE_MS);
			return;
		}
		const { message, code, subcode } = answer.error;
		pixel.error = { message, code, subcode, class: answer.error.class };
		if (answer.error.class === 'throttle') {
			// Meta throttles the token or the app, not one pixel: every read waits. This one stays due.
			this.throttles++;
			const backoff = this.options.throttleBaseMs * 2 ** (this.throttles - 1);
			this.pausedUntil = now + Math.min(interval, Math.max(answer.error.retryAfterMs ?? 0, this.jittered(backoff)));
			pixel.status = 'throttled';
		} else if (answer.error.class === 'retry') {
			pixel.failures++;
			pixel.status = 'failed';
			pixel.nextAt = now + Math.min(interval, this.jittered(this.options.retryBaseMs * 2 ** (pixel.failures - 1)));
		} else {
			// A token or a permission Meta refuses, or a request it calls invalid: a person must act;
			// the next read, one interval on, shows whether they did. What was read before is no longer
			// Meta's word for a token that may not see the pixel any more.
			pixel.status = answer.error.class === 'auth' ? 'refused' : 'failed';
			if (answer.error.class === 'auth') Object.assign(pixel, { rows: [], readAt: undefined });
			pixel.nextAt = now + this.jittered(interval);
		}
		this.deps.log.warn(
			{ pixel: pixel.pixelId, code, subcode, class: answer.error.class },
			'dataset quality: Meta did not answer the quality',
		);
	}

	private schedule(at: number): void {
		if (this.stopped || !Number.isFinite(at)) return;
		// setTimeout holds at most 2^31-1 ms; a longer wait is taken in parts.
		const delay = Math.min(Math.max(0, at - this.clock()), 2 ** 31 - 1);
		this.timer = setTimeout(() => {
			this.step = this.tick().then(
				(next) => this.schedule(next),
				(error: unknown) => {
					if (this.stopped) return;
					this.deps.log.error({ err: { message: (error as Error).message } }, 'dataset quality step failed');
					this.schedule(this.clock() + this.options.discoverMs);
				},
			);
		}, delay);
		this.timer.unref?.();
	}
}
