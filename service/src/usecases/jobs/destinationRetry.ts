import { DestinationUnavailable, type Destination } from './destinationErrors';

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const abortableSleep: Sleep = (ms, signal) =>
	new Promise<void>((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});

/** How a destination client waits out transient failures. Every field has a default. */
export interface RetryPolicy {
	/** Injected in tests so that waits take no time and can be read. */
	sleep?: Sleep;
	/** Total time one call may spend waiting between its attempts (default 10 minutes). */
	maxTotalWaitMs?: number;
	/** Attempts of one call, the first included (default 10). */
	maxAttempts?: number;
	/** First backoff when the API names no wait; doubled each attempt (default 1 s). */
	baseDelayMs?: number;
	/** Longest backoff between two attempts when the API names no wait (default 60 s). */
	maxDelayMs?: number;
}

const DEFAULTS = { maxTotalWaitMs: 10 * 60_000, maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * The waits of one call: the API's own signal (Retry-After, Meta's estimated_time_to_regain_access,
 * HubSpot's window) when it gives one, else exponential backoff with jitter; bounded in attempts
 * and in total time, past which the call gives up with DestinationUnavailable.
 */
export class RetryBudget {
	private attempts = 1;
	private waited = 0;
	private readonly policy: Required<RetryPolicy>;

	constructor(
		private readonly destination: Destination,
		policy: RetryPolicy = {},
	) {
		this.policy = { ...DEFAULTS, sleep: abortableSleep, ...policy };
	}

	/** Time waited so far between attempts. */
	get waitedMs(): number {
		return this.waited;
	}

	/** Waits before the next attempt, or throws when the budget cannot cover it. */
	async wait(reason: string, requestedMs: number | undefined, signal?: AbortSignal): Promise<void> {
		const { baseDelayMs, maxDelayMs, maxAttempts, maxTotalWaitMs, sleep } = this.policy;
		const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (this.attempts - 1));
		// Jitter only on our own backoff, so that callers that failed together do not retry together;
		// a wait the API named is honoured as named.
		const ms = Math.ceil(requestedMs ?? backoff * (0.8 + Math.random() * 0.4));
		if (this.attempts >= maxAttempts || this.waited + ms > maxTotalWaitMs) {
			throw new DestinationUnavailable(
				this.destination,
				`${reason} (gave up after ${this.attempts} attempt${this.attempts === 1 ? '' : 's'} and ${Math.round(this.waited / 1000)} s of waiting)`,
				requestedMs,
			);
		}
		this.attempts += 1;
		this.waited += ms;
		await sleep(ms, signal);
	}
}
