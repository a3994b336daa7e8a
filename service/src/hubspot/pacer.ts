import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';

// Timers may fire a millisecond early on a loaded machine; HubSpot's window must never see one more.
const MARGIN_MS = 5;

/**
 * A rolling window of at most `limit` requests per `windowMs`, shared by every caller that uses
 * the same instance, granting in arrival order. A request holds its slot while it is in flight and
 * for a whole window after its answer came back: HubSpot saw it somewhere between its start and its
 * answer, so counting from the answer keeps HubSpot's own rolling count under the limit whatever
 * the latency. Memory: one timestamp per request of the last window, one entry per waiting caller.
 */
export class RollingWindowPacer {
	private inFlight = 0;
	/** When each recent request finished, oldest first (performance.now(): monotonic). */
	private readonly finished: number[] = [];
	private head = 0;
	private blockedUntil = 0;
	private readonly queue: Array<{ grant: () => void }> = [];
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private limit: number,
		private windowMs: number,
	) {
		this.configure(limit, windowMs);
	}

	/** The app's limit as the latest settings give it (a plan change applies to the next request). */
	configure(limit: number, windowMs: number): void {
		if (!Number.isInteger(limit) || limit < 1) throw new RangeError('requestsPerTenSeconds: needs an integer from 1');
		if (!Number.isFinite(windowMs) || windowMs < 1) throw new RangeError('windowMs: needs a positive number');
		this.limit = limit;
		this.windowMs = windowMs;
	}

	/** Requests in flight or finished within the window: what HubSpot may be counting now. */
	get used(): number {
		this.prune(performance.now());
		return this.inFlight + this.finished.length - this.head;
	}

	/** Waits for a slot; the returned function gives it back when the request has its answer. */
	acquire(signal?: AbortSignal): Promise<() => void> {
		return new Promise((resolve, reject) => {
			if (signal?.aborted) return reject(signal.reason);
			const entry = {
				grant: () => {
					signal?.removeEventListener('abort', onAbort);
					let released = false;
					resolve(() => {
						if (released) return;
						released = true;
						this.inFlight -= 1;
						this.finished.push(performance.now());
						this.pump();
					});
				},
			};
			const onAbort = () => {
				const at = this.queue.indexOf(entry);
				if (at >= 0) this.queue.splice(at, 1);
				reject(signal?.reason);
				this.pump();
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.queue.push(entry);
			this.pump();
		});
	}

	/** HubSpot said to wait (a 429): nobody sharing this window sends before then. */
	holdFor(ms: number): void {
		this.blockedUntil = Math.max(this.blockedUntil, performance.now() + ms);
		this.pump();
	}

	private prune(now: number): void {
		while (this.head < this.finished.length && this.finished[this.head] + this.windowMs + MARGIN_MS <= now) this.head++;
		// Compact now and then so the array stays about one window long.
		if (this.head > 1024 && this.head * 2 > this.finished.length) {
			this.finished.splice(0, this.head);
			this.head = 0;
		}
	}

	private pump(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		const now = performance.now();
		this.prune(now);
		while (this.queue.length && now >= this.blockedUntil && this.used < this.limit) {
			this.inFlight += 1;
			this.queue.shift()!.grant();
		}
		if (!this.queue.length) return;
		// Wake at the next moment a slot can free up; a request still in flight frees one by its release.
		let at: number | undefined;
		if (now < this.blockedUntil) at = this.blockedUntil;
		else if (this.head < this.finished.length) at = this.finished[this.head] + this.windowMs + MARGIN_MS;
		if (at !== undefined) this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(at - now)));
	}
}

// One window per HubSpot app (API URL and token: HubSpot limits each private app), shared by every
// job of this process. Keyed by a digest, so the map holds no token; bounded, since tokens rotate.
const MAX_PACERS = 64;
const pacers = new Map<string, RollingWindowPacer>();

export function pacerFor(apiUrl: string, accessToken: string, limit: number, windowMs: number): RollingWindowPacer {
	const key = createHash('sha256').update(`${apiUrl}\n${accessToken}`).digest('hex');
	let pacer = pacers.get(key);
	pacer?.configure(limit, windowMs);
	if (!pacer) {
		if (pacers.size >= MAX_PACERS) {
			// The least recently used one that is idle; they are kept in use order.
			for (const [k, p] of pacers)
				if (p.used === 0) {
					pacers.delete(k);
					break;
				}
		}
		pacer = new RollingWindowPacer(limit, windowMs);
	} else pacers.delete(key);
	pacers.set(key, pacer);
	return pacer;
}
