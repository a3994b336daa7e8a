import type { ChildProcess } from 'node:child_process';
import { startIpcChild } from './child';

/** The tokens the sync scenario's doubles accept and its service is given. */
export const SYNC_TOKENS = {
	shopify: 'shpat_bench_sync_0001',
	meta: 'EAAB-bench-sync',
	hubspot: 'pat-bench-sync-0001',
};

export interface SyncDoublesStats {
	sessions: { count: number; ids: number; last: number; lastIsLast: boolean };
	/** Requests received by double and path (429s included). */
	paths: Record<string, number>;
	limits: { tenSecondly: number; daily: number; accepted: number; maxInWindow: number };
	bulkOperations: number;
	fileRequests: number;
	fileBytes: number;
	cpuSeconds: number;
	hwmMb: number;
}

interface SetDiff {
	expected: number;
	got: number;
	missing: number;
	extra: number;
}

export interface SyncVerdict {
	members: number;
	emailHashes: SetDiff;
	phoneHashes: SetDiff;
	contacts: { expected: number; records: number; missing: number; extra: number };
}

export interface SyncDoubles {
	shopify: string;
	meta: string;
	hubspot: string;
	audience: string;
	child: ChildProcess;
	stats(): Promise<SyncDoublesStats>;
	/** Members and contacts against every customer's truth (computed in the doubles' process). */
	verify(): Promise<SyncVerdict>;
	stop(): Promise<void>;
}

/** bench/servers/syncDoubles in a child process (compiled), with an IPC channel for its figures. */
export async function startSyncDoubles(env: Record<string, string>): Promise<SyncDoubles> {
	// A million members and contacts are a few GB of objects in the doubles' heap.
	const doubles = await startIpcChild('syncDoubles', env, ['--max-old-space-size=12288']);
	const info = doubles.info as Record<string, string>;
	return {
		shopify: info.shopify,
		meta: info.meta,
		hubspot: info.hubspot,
		audience: info.audience,
		child: doubles.child,
		stats: () => doubles.ask<SyncDoublesStats>('stats'),
		verify: () => doubles.ask<SyncVerdict>('verify'),
		stop: () => doubles.stop(),
	};
}
