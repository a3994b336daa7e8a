import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { chunkByBytes, MAX_EVENTS_PER_REQUEST, utf8Bytes } from '../../../nodes/core/capi/batch';
import { sendWithBisection, type SendOutcome } from '../../../nodes/core/capi/bisect';
import { MAX_EVENT_BYTES, MAX_REQUEST_BYTES } from '../../../nodes/core/capi/limits';
import type { Classified } from '../../../nodes/core/errors';
import type { ClaimedEvent, OutboxRepository } from '../db/repository';
import type { Metrics } from '../metrics';
import { requestEnvelopeBytes, sendEventTexts, type GraphSettings, type SendResult } from '../meta/graphClient';
import { Leases, type Lease } from './leases';

export interface DispatcherOptions {
	/** Events one lane claims at a time (at most 1,000: one request per pixel). */
	claimLimit?: number;
	/** Lanes: each claims, sends and marks on its own, so requests to Meta overlap. */
	concurrency?: number;
	maxAttempts?: number;
	baseDelayMs?: number;
	maxDelayMs?: number;
	/**
	 * The lease of a claim, in seconds: a claim not renewed for this long is free for any replica
	 * to take. The claimer renews its claims every fifth of it while it works on them, so a
	 * restarted or surviving replica takes a dead one's claims over within one lease.
	 */
	staleAfterSeconds?: number;
	idleMs?: number;
}

export interface DispatcherState {
	running: boolean;
	/** Set when Meta refused the token or permissions: delivery stops until a person acts. Meta's reason, capped and redacted (the status page). */
	authError?: string;
	/** The same in a few words, for the open /health: "Meta refused the token (code 190)". */
	authRefusal?: string;
	lastRoundAt?: string;
	/** Meta's usage headers said the rate limit is close: no new requests before this time. */
	pausedUntil?: string;
	sent: number;
	retried: number;
	dead: number;
}

/** Usage at or above this percentage slows the dispatcher down before Meta throttles it. */
export const USAGE_SLOWDOWN_PERCENT = 90;

/** Tries of one request within a round, and the longest wait between them there. */
const INLINE_TRIES = 4;
const INLINE_MAX_WAIT_MS = 5_000;

const DEFAULT_OPTIONS: Required<DispatcherOptions> = {
	claimLimit: MAX_EVENTS_PER_REQUEST,
	concurrency: 4,
	maxAttempts: 8,
	baseDelayMs: 1000,
	maxDelayMs: 15 * 60_000,
	staleAfterSeconds: 10,
	idleMs: 500,
};

/** Exponential backoff with full jitter, at least what Meta asked for. */
export function backoffMs(attempt: number, base: number, max: number, atLeast = 0): number {
	const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
	return Math.max(atLeast, Math.floor(ceiling / 2 + Math.random() * (ceiling / 2)));
}

/** Not sent: the claim's lease could not be renewed in time, so its events are left for the next claim. */
const LEASE_LAPSING: Classified = {
	class: 'retry',
	retryable: true,
	code: 'lease',
	message: 'the claim could not be renewed in time; left for the next claim',
};

/** A failure that may pass if the same request is sent again later. */
const isTransient = (error: Classified): boolean =>
	(error.class === 'retry' || error.class === 'throttle') && error.retryable;

/** What /health may say of an auth error: no text of Meta's, only which refusal and its code. */
function refusalOf(error: Classified): string {
	if (error.code === undefined) return 'Meta refused the token';
	const permissions = error.code === 10 || (typeof error.code === 'number' && error.code >= 200 && error.code <= 299);
	return `Meta refused the token${permissions ? '’s permissions' : ''} (code ${error.code})`;
}

const reasonOf = (error: Classified): string =>
	`${error.class}${error.code !== undefined ? ` ${error.code}${error.subcode ? `/${error.subcode}` : ''}` : ''}: ${error.message}`;

type Accepted = Extract<SendResult, { ok: true }>;

/** What one claim took, and the lease that keeps it this worker's. */
interface Claim {
	events: ClaimedEvent[];
	lease: Lease;
}

/** A claimed event with its payload's text, as sent, and that text's size. */
type Sendable = ClaimedEvent & { payloadText: string; bytes: number };

const figure = (n: number): string => n.toLocaleString('en-US');

/**
 * An event's size as sent, or why no request can carry it. Such an event is dead-lettered alone,
 * never sent, and never holds back or fails the others (ingest refuses them; this covers rows
 * stored before, or by hand).
 */
function measure(event: ClaimedEvent): { ok: true; event: Sendable } | { ok: false; reason: string } {
	if (event.payloadText === undefined) {
		return {
			ok: false,
			reason: `too_large: the event is ${figure(event.storedBytes)} bytes as stored, above the ${figure(MAX_REQUEST_BYTES)} bytes a request to Meta may carry; not sent`,
		};
	}
	let text = event.payloadText;
	let bytes = utf8Bytes(text);
	// The database writes its JSON with spaces; written compactly, as measured at ingest, the event may fit.
	if (bytes > MAX_EVENT_BYTES) {
		text = JSON.stringify(JSON.parse(text));
		bytes = utf8Bytes(text);
	}
	return { ok: true, event: { ...event, payloadText: text, bytes } };
}

function tooLargeReason(event: Sendable, envelope: number): string {
	return event.bytes > MAX_EVENT_BYTES
		? `too_large: the event is ${figure(event.bytes)} bytes as sent, above the ${figure(MAX_EVENT_BYTES)} bytes one event may have; not sent`
		: `too_large: the event is ${figure(event.bytes)} bytes as sent, with the request around it above the ${figure(MAX_REQUEST_BYTES)} bytes a request to Meta may carry (${figure(envelope)} of them); not sent`;
}

/** What becomes of a claimed event after its request. */
type Verdict =
	| { kind: 'sent'; fbtraceId: string | null; eventsReceived: number | null }
	// Meta refused the token: back to the queue, not counted as a retry.
	| { kind: 'hold'; reason: string }
	| { kind: 'retry'; reason: string; attempts: number; retryAfterMs: number }
	| { kind: 'dead'; reason: string }
	// Not sent for want of a lease: nothing recorded, the claim lapses and is taken again.
	| { kind: 'left' };

/** A verdict and the rows it applies to, recorded by one statement. */
type Mark = Verdict & { ids: string[] };

/** A claimed event after bisection: accepted with its request, or the error that settled it. */
interface SentEvent {
	item: Sendable;
	ok: boolean;
	result?: Accepted;
	error?: unknown;
}

/** Events share a mark when one statement records them all: the same request, reason and attempt count. */
function markKey(verdict: Verdict): string {
	switch (verdict.kind) {
		case 'sent':
			return JSON.stringify([verdict.kind, verdict.fbtraceId]);
		case 'retry':
			return JSON.stringify([verdict.kind, verdict.reason, verdict.attempts]);
		case 'left':
			return verdict.kind;
		default:
			return JSON.stringify([verdict.kind, verdict.reason]);
	}
}

function sentVerdict(result: Accepted): Verdict {
	return { kind: 'sent', fbtraceId: result.fbtraceId, eventsReceived: result.eventsReceived };
}

export class Dispatcher {
	readonly worker = `relay-${randomUUID()}`;
	readonly state: DispatcherState = { running: false, sent: 0, retried: 0, dead: 0 };
	private stopping = false;
	private loop?: Promise<void>;
	private readonly wakers = new Set<() => void>();
	private readonly options: Required<DispatcherOptions>;
	private readonly leases: Leases;

	constructor(
		private readonly outbox: OutboxRepository,
		private readonly settings: GraphSettings | undefined,
		private readonly log: Logger,
		options: DispatcherOptions = {},
		private readonly metrics?: Metrics,
	) {
		this.options = { ...DEFAULT_OPTIONS, ...options };
		const lease = this.options.staleAfterSeconds;
		this.leases = new Leases((ids) => this.outbox.renew(this.worker, ids, lease), lease * 1000, log);
	}

	start(): void {
		if (!this.settings || this.loop) return;
		this.state.running = true;
		this.leases.start();
		this.loop = this.run();
	}

	/** Graceful: finish the round in progress, give back anything still claimed. */
	async stop(): Promise<void> {
		this.stopping = true;
		this.nudge();
		await this.loop;
		await this.leases.stop();
		await this.outbox.release(this.worker);
		this.state.running = false;
	}

	/** New events were stored: don't wait for the idle timer. */
	nudge(): void {
		for (const wake of [...this.wakers]) wake();
	}

	private async run(): Promise<void> {
		// Lanes do not wait for each other: while one waits for Meta, another claims or marks.
		await Promise.all(Array.from({ length: this.options.concurrency }, () => this.lane()));
		this.state.running = false;
	}

	/**
	 * A lane's loop. After a full claim (a backlog) the next claim is taken while this one is
	 * sent, so the database's time overlaps Meta's instead of adding to it; the claim taken ahead
	 * is leased like any other, and given back by stop() if the lane ends before sending it.
	 */
	private async lane(): Promise<void> {
		let ahead: Promise<Claim | undefined> | undefined;
		while (!this.stopping && !this.state.authError) {
			// A nudge wakes the sleep; the pause still holds until its time.
			for (let left = this.pauseLeft(); left > 0 && !this.stopping; left = this.pauseLeft()) await this.sleep(left);
			if (this.stopping) break;
			let claimed = 0;
			try {
				const claim = await (ahead ?? this.claim());
				ahead = undefined;
				if (claim) {
					claimed = claim.events.length;
					if (claimed >= this.claimLimit) ahead = this.claim().catch((error) => this.roundFailed(error));
					await this.work(claim);
				}
			} catch (error) {
				this.roundFailed(error);
			}
			if (claimed === 0 && !this.stopping) await this.sleep(this.options.idleMs);
		}
		// Not renewed any more: stop() gives its events back, or they lapse to another replica.
		const left = await ahead;
		if (left) this.leases.drop(left.lease);
	}

	private roundFailed(error: unknown): undefined {
		this.log.error({ err: { message: (error as Error).message } }, 'dispatch round failed');
		return undefined;
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

	private get claimLimit(): number {
		return Math.min(this.options.claimLimit, MAX_EVENTS_PER_REQUEST);
	}

	/** At most 1,000 events and about one request's bytes, leased from the moment of the claim. */
	private async claim(): Promise<Claim | undefined> {
		const claimedAt = Date.now();
		const events = await this.outbox.claim(
			this.worker,
			this.claimLimit,
			this.options.staleAfterSeconds,
			MAX_REQUEST_BYTES,
		);
		this.state.lastRoundAt = new Date().toISOString();
		if (events.length === 0) return undefined;
		return {
			events,
			lease: this.leases.take(
				events.map((e) => e.id),
				claimedAt,
			),
		};
	}

	/** One round without a lane: claim, then send and mark what was claimed. */
	async round(): Promise<number> {
		const claim = await this.claim();
		if (claim) await this.work(claim);
		return claim?.events.length ?? 0;
	}

	/** The events of one claim: measured, grouped per pixel, sent in batches bounded by count and bytes, marked. */
	private async work({ events, lease }: Claim): Promise<void> {
		try {
			const groups = new Map<string, Sendable[]>();
			for (const e of events) {
				const measured = measure(e);
				if (!measured.ok) {
					await this.refuse(e, measured.reason);
					continue;
				}
				const key = `${e.pixel_id}\u0000${e.test_event_code ?? ''}`;
				const group = groups.get(key);
				if (group) group.push(measured.event);
				else groups.set(key, [measured.event]);
			}
			for (const group of groups.values()) {
				const envelope = requestEnvelopeBytes(this.settings as GraphSettings, group[0].test_event_code);
				const { batches, tooLarge } = chunkByBytes(group, (e) => e.bytes, {
					maxCount: MAX_EVENTS_PER_REQUEST,
					maxBytes: MAX_REQUEST_BYTES,
					maxItemBytes: MAX_EVENT_BYTES,
					envelopeBytes: envelope,
				});
				for (const e of tooLarge) await this.refuse(e, tooLargeReason(e, envelope));
				for (const batch of batches) await this.deliver(batch, lease);
			}
		} finally {
			this.leases.drop(lease);
		}
	}

	/** An event no request can carry: dead-lettered alone, with the reason. */
	private async refuse(event: ClaimedEvent, reason: string): Promise<void> {
		await this.applyMark({ kind: 'dead', reason, ids: [event.id] });
	}

	/** One batch of one pixel: sent (split around invalid events), then each outcome recorded. */
	private async deliver(batch: Sendable[], lease: Lease): Promise<void> {
		const { pixel_id: pixel, test_event_code: testCode } = batch[0];
		const outcomes = await sendWithBisection<Sendable, Accepted>(batch, (part) =>
			this.sendPart(pixel, testCode, part, lease),
		);
		for (const mark of this.planMarks(outcomes)) await this.applyMark(mark);
	}

	/**
	 * One request for part of a batch. A short transient failure is tried again here, so that a
	 * batch being split around an invalid event keeps its progress instead of starting over at
	 * the next claim. No request goes out unless the claim's lease surely holds.
	 */
	private async sendPart(
		pixel: string,
		testCode: string | null,
		part: readonly Sendable[],
		lease: Lease,
	): Promise<SendOutcome<Accepted>> {
		for (let attempt = 1; ; attempt++) {
			if (!this.leases.holds(lease)) return { ok: false, invalid: false, error: LEASE_LAPSING };
			const result = await this.timedSend(pixel, testCode, part);
			if (result.ok) {
				this.noteUsage(result.usage);
				return { ok: true, result };
			}
			const { error } = result;
			const wait = backoffMs(attempt, this.options.baseDelayMs, INLINE_MAX_WAIT_MS, error.retryAfterMs ?? 0);
			if (!isTransient(error) || attempt >= INLINE_TRIES || wait > INLINE_MAX_WAIT_MS || this.stopping)
				return { ok: false, invalid: error.class === 'invalid', error };
			// Not woken by new events: Meta asked for this wait.
			await new Promise((resolve) => setTimeout(resolve, wait));
		}
	}

	private async timedSend(pixel: string, testCode: string | null, part: readonly Sendable[]): Promise<SendResult> {
		const timer = this.metrics?.metaLatency.startTimer();
		this.metrics?.batchSize.observe(part.length);
		const result = await sendEventTexts(
			this.settings as GraphSettings,
			pixel,
			part.map((e) => e.payloadText),
			testCode,
		);
		timer?.({ outcome: result.ok ? 'ok' : result.error.class });
		return result;
	}

	/** The marks of a batch, in the order their first event came back. */
	private planMarks(outcomes: readonly SentEvent[]): Mark[] {
		const marks = new Map<string, Mark>();
		for (const outcome of outcomes) {
			// sendPart fails only with a classified error.
			const verdict: Verdict = outcome.ok
				? sentVerdict(outcome.result as Accepted)
				: outcome.error === LEASE_LAPSING
					? { kind: 'left' }
					: this.failedVerdict(outcome.item, outcome.error as Classified);
			const key = markKey(verdict);
			const mark: Mark = marks.get(key) ?? { ...verdict, ids: [] };
			mark.ids.push(outcome.item.id);
			marks.set(key, mark);
		}
		return [...marks.values()];
	}

	private failedVerdict(event: ClaimedEvent, error: Classified): Verdict {
		const reason = reasonOf(error);
		if (error.class === 'auth') {
			this.stopDelivering(error, reason);
			return { kind: 'hold', reason };
		}
		if (!isTransient(error) || event.attempts >= this.options.maxAttempts) return { kind: 'dead', reason };
		return { kind: 'retry', reason, attempts: event.attempts, retryAfterMs: error.retryAfterMs ?? 0 };
	}

	/** Retrying with a refused token burns attempts: the lanes stop until a person fixes the token. */
	private stopDelivering(error: Classified, reason: string): void {
		if (!this.state.authError)
			this.log.error(
				{ code: error.code, traceId: error.traceId },
				'Meta refused the access token or permissions; delivery stopped',
			);
		this.state.authError = reason;
		this.state.authRefusal = refusalOf(error);
	}

	private async applyMark(mark: Mark): Promise<void> {
		const { baseDelayMs, maxDelayMs } = this.options;
		switch (mark.kind) {
			case 'sent': {
				const n = await this.outbox.markSent(this.worker, mark.ids, mark.fbtraceId, mark.eventsReceived);
				this.state.sent += n;
				this.metrics?.sent.inc(n);
				return;
			}
			case 'hold':
				await this.outbox.markRetry(this.worker, mark.ids, mark.reason, baseDelayMs);
				return;
			case 'retry': {
				const n = await this.outbox.markRetry(
					this.worker,
					mark.ids,
					mark.reason,
					backoffMs(mark.attempts, baseDelayMs, maxDelayMs, mark.retryAfterMs),
				);
				this.state.retried += n;
				this.metrics?.retries.inc(n);
				return;
			}
			case 'dead': {
				const n = await this.outbox.markDead(this.worker, mark.ids, mark.reason);
				this.state.dead += n;
				this.metrics?.failed.inc(n);
				this.log.warn({ events: mark.ids.length, reason: mark.reason }, 'events dead-lettered');
				return;
			}
			case 'left':
				return;
		}
	}
}
