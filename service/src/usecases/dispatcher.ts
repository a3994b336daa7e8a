import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { chunk, MAX_EVENTS_PER_REQUEST } from '../../../nodes/core/capi/batch';
import { sendWithBisection } from '../../../nodes/core/capi/bisect';
import type { Classified } from '../../../nodes/core/errors';
import type { ClaimedEvent, OutboxRepository } from '../db/repository';
import type { Metrics } from '../metrics';
import { sendEvents, type GraphSettings } from '../meta/graphClient';

export interface DispatcherOptions {
	/** Events one lane claims at a time (at most 1,000: one request per pixel). */
	claimLimit?: number;
	/** Lanes: each claims, sends and marks on its own, so requests to Meta overlap. */
	concurrency?: number;
	maxAttempts?: number;
	baseDelayMs?: number;
	maxDelayMs?: number;
	staleAfterSeconds?: number;
	idleMs?: number;
}

export interface DispatcherState {
	running: boolean;
	/** Set when Meta refused the token or permissions: delivery stops until a person acts. */
	authError?: string;
	lastRoundAt?: string;
	/** Meta's usage headers said the rate limit is close: no new requests before this time. */
	pausedUntil?: string;
	sent: number;
	retried: number;
	dead: number;
}

type Outcome = { ok: true; fbtraceId: string | null; eventsReceived: number | null } | { ok: false; error: Classified };

/** Usage at or above this percentage slows the dispatcher down before Meta throttles it. */
export const USAGE_SLOWDOWN_PERCENT = 90;

/** Exponential backoff with full jitter, at least what Meta asked for. */
/** Tries of one request within a round, and the longest wait between them there. */
const INLINE_TRIES = 4;
const INLINE_MAX_WAIT_MS = 5_000;

export function backoffMs(attempt: number, base: number, max: number, atLeast = 0): number {
	const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
	return Math.max(atLeast, Math.floor(ceiling / 2 + Math.random() * (ceiling / 2)));
}

export class Dispatcher {
	readonly worker = `relay-${randomUUID()}`;
	readonly state: DispatcherState = { running: false, sent: 0, retried: 0, dead: 0 };
	private stopping = false;
	private loop?: Promise<void>;
	private readonly wakers = new Set<() => void>();
	private readonly o: Required<DispatcherOptions>;

	constructor(
		private readonly outbox: OutboxRepository,
		private readonly settings: GraphSettings | undefined,
		private readonly log: Logger,
		options: DispatcherOptions = {},
		private readonly metrics?: Metrics,
	) {
		this.o = { claimLimit: MAX_EVENTS_PER_REQUEST, concurrency: 4, maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, staleAfterSeconds: 300, idleMs: 500, ...options };
	}

	start(): void {
		if (!this.settings || this.loop) return;
		this.state.running = true;
		this.loop = this.run();
	}

	/** Graceful: finish the round in progress, give back anything still claimed. */
	async stop(): Promise<void> {
		this.stopping = true;
		this.nudge();
		await this.loop;
		await this.outbox.release(this.worker);
		this.state.running = false;
	}

	/** New events were stored: don't wait for the idle timer. */
	nudge(): void {
		for (const wake of [...this.wakers]) wake();
	}

	private async run(): Promise<void> {
		// Lanes do not wait for each other: while one waits for Meta, another claims or marks.
		await Promise.all(Array.from({ length: this.o.concurrency }, () => this.lane()));
		this.state.running = false;
	}

	private async lane(): Promise<void> {
		while (!this.stopping && !this.state.authError) {
			// A nudge wakes the sleep; the pause still holds until its time.
			for (let left = this.pauseLeft(); left > 0 && !this.stopping; left = this.pauseLeft()) await this.sleep(left);
			if (this.stopping) break;
			let claimed = 0;
			try {
				claimed = await this.round();
			} catch (error) {
				this.log.error({ err: { message: (error as Error).message } }, 'dispatch round failed');
			}
			if (claimed === 0 && !this.stopping) await this.sleep(this.o.idleMs);
		}
	}

	private pauseLeft(): number {
		return this.state.pausedUntil ? Date.parse(this.state.pausedUntil) - Date.now() : 0;
	}

	private sleep(ms: number): Promise<void> {
		return new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.wakers.delete(done);
				resolve();
			};
			const timer = setTimeout(done, ms);
			this.wakers.add(done);
		});
	}

	/** Near the limit, wait what Meta says (or a minute) instead of running into a throttle. */
	private noteUsage(usage: { maxPercent: number; regainAfterMs?: number }): void {
		if (usage.maxPercent < USAGE_SLOWDOWN_PERCENT) return;
		const wait = usage.regainAfterMs || 60_000;
		this.state.pausedUntil = new Date(Date.now() + wait).toISOString();
		this.log.warn({ usagePercent: usage.maxPercent, waitMs: wait }, 'Meta usage near its limit; pausing delivery');
	}

	/** One lane's round: claim, group per pixel, send in batches of 1,000, mark. */
	async round(): Promise<number> {
		const events = await this.outbox.claim(this.worker, Math.min(this.o.claimLimit, MAX_EVENTS_PER_REQUEST), this.o.staleAfterSeconds);
		this.state.lastRoundAt = new Date().toISOString();
		if (events.length === 0) return 0;
		const groups = new Map<string, ClaimedEvent[]>();
		for (const e of events) {
			const key = `${e.pixel_id}\u0000${e.test_event_code ?? ''}`;
			groups.set(key, [...(groups.get(key) ?? []), e]);
		}
		for (const batch of [...groups.values()].flatMap((g) => chunk(g, MAX_EVENTS_PER_REQUEST))) await this.deliver(batch);
		return events.length;
	}

	private async deliver(batch: ClaimedEvent[]): Promise<void> {
		const settings = this.settings as GraphSettings;
		const { pixel_id: pixel, test_event_code: testCode } = batch[0];
		const outcomes = await sendWithBisection<ClaimedEvent, Outcome>(batch, async (part) => {
			// A short transient failure is tried again here, so that a batch being split around an
			// invalid event keeps its progress instead of starting over at the next claim.
			for (let attempt = 1; ; attempt++) {
				const timer = this.metrics?.metaLatency.startTimer();
				this.metrics?.batchSize.observe(part.length);
				const result = await sendEvents(settings, pixel, part.map((e) => e.payload), testCode);
				timer?.({ outcome: result.ok ? 'ok' : result.error.class });
				if (result.ok) {
					this.noteUsage(result.usage);
					return { ok: true, result };
				}
				const error = result.error;
				const transient = (error.class === 'retry' || error.class === 'throttle') && error.retryable;
				const wait = backoffMs(attempt, this.o.baseDelayMs, INLINE_MAX_WAIT_MS, error.retryAfterMs ?? 0);
				if (!transient || attempt >= INLINE_TRIES || wait > INLINE_MAX_WAIT_MS || this.stopping) return { ok: false, invalid: error.class === 'invalid', error };
				// Not woken by new events: Meta asked for this wait.
				await new Promise((resolve) => setTimeout(resolve, wait));
			}
		});
		// Rows are updated per request outcome, not one by one: one statement per group.
		const groups = new Map<string, { kind: 'sent' | 'retry' | 'dead'; ids: string[]; text: string; fbtraceId?: string | null; received?: number | null; delay?: number }>();
		const add = (key: string, init: () => { kind: 'sent' | 'retry' | 'dead'; text: string; fbtraceId?: string | null; received?: number | null; delay?: number }, id: string) => {
			const group = groups.get(key) ?? { ...init(), ids: [] };
			group.ids.push(id);
			groups.set(key, group);
		};
		for (const outcome of outcomes) {
			const event = outcome.item;
			if (outcome.ok && outcome.result?.ok) {
				const { fbtraceId, eventsReceived } = outcome.result;
				add(`sent|${fbtraceId}`, () => ({ kind: 'sent', text: '', fbtraceId, received: eventsReceived }), event.id);
				continue;
			}
			const error = outcome.error as Classified;
			const text = `${error.class}${error.code !== undefined ? ` ${error.code}${error.subcode ? `/${error.subcode}` : ''}` : ''}: ${error.message}`;
			if (error.class === 'auth') {
				// Retrying with a refused token burns attempts: hold the events and stop delivering.
				if (!this.state.authError) this.log.error({ code: error.code, traceId: error.traceId }, 'Meta refused the access token or permissions; delivery stopped');
				this.state.authError = text;
				add(`hold|${text}`, () => ({ kind: 'retry', text, delay: this.o.baseDelayMs }), event.id);
				continue;
			}
			const retryable = (error.class === 'retry' || error.class === 'throttle') && error.retryable;
			if (!retryable || event.attempts >= this.o.maxAttempts) {
				add(`dead|${text}`, () => ({ kind: 'dead', text }), event.id);
				continue;
			}
			add(`retry|${text}|${event.attempts}`, () => ({ kind: 'retry', text, delay: backoffMs(event.attempts, this.o.baseDelayMs, this.o.maxDelayMs, error.retryAfterMs ?? 0) }), event.id);
		}
		for (const [key, g] of groups) {
			if (g.kind === 'sent') {
				const n = await this.outbox.markSent(this.worker, g.ids, g.fbtraceId ?? null, g.received ?? null);
				this.state.sent += n;
				this.metrics?.sent.inc(n);
			} else if (g.kind === 'dead') {
				const n = await this.outbox.markDead(this.worker, g.ids, g.text);
				this.state.dead += n;
				this.metrics?.failed.inc(n);
				this.log.warn({ events: g.ids.length, reason: g.text }, 'events dead-lettered');
			} else {
				const n = await this.outbox.markRetry(this.worker, g.ids, g.text, g.delay ?? this.o.baseDelayMs);
				if (!key.startsWith('hold|')) {
					this.state.retried += n;
					this.metrics?.retries.inc(n);
				}
			}
		}
	}
}
