import { startIpcChild } from './child';

export interface MetaCounts {
	requests: number;
	events: number;
	/** Distinct (event name, event id) pairs among the events. */
	distinct: number;
	/** The double's own CPU (user + system) since its last reset. */
	cpuSeconds: number;
}

export interface MetaDoubleChild {
	url: string;
	/** Counts and CPU from zero again; what they were. */
	reset(): Promise<MetaCounts>;
	stats(): Promise<MetaCounts>;
	stop(): Promise<void>;
}

/** bench/servers/metaDouble in a child process: Meta's Conversions API answering after `latencyMs`. */
export async function startMetaDoubleChild(latencyMs: number): Promise<MetaDoubleChild> {
	const double = await startIpcChild('metaDouble', { BENCH_META_LATENCY_MS: String(latencyMs) });
	return {
		url: String(double.info.url),
		reset: () => double.ask<MetaCounts>('reset'),
		stats: () => double.ask<MetaCounts>('stats'),
		stop: () => double.stop(),
	};
}
