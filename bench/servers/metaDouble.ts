import { startMetaDouble } from '../../test/support/metaDouble';

// The Meta double in a process of its own, so that parsing 1,000-event bodies costs the service
// and the bench nothing: answers after BENCH_META_LATENCY_MS. It keeps counts, not the requests:
// requests, events, distinct (event name, event id) and its own CPU since the last reset, over
// IPC ({id, cmd: 'reset' | 'stats'}).
async function main(): Promise<void> {
	const meta = await startMetaDouble(undefined, { latencyMs: Number(process.env.BENCH_META_LATENCY_MS ?? 100) });
	let requests = 0;
	let events = 0;
	let seen = new Set<string>();
	let cpu = process.cpuUsage();
	const sweep = () => {
		for (const r of meta.received) {
			requests++;
			for (const e of r.body.data) {
				events++;
				seen.add(`${e.event_name}\u0000${String(e.event_id)}`);
			}
		}
		meta.received.length = 0;
	};
	setInterval(sweep, 100).unref();
	process.on('message', (m: { id: number; cmd: 'reset' | 'stats' }) => {
		sweep();
		if (m.cmd === 'reset') {
			requests = 0;
			events = 0;
			seen = new Set();
			cpu = process.cpuUsage();
		}
		const used = process.cpuUsage(cpu);
		process.send?.({
			id: m.id,
			result: { requests, events, distinct: seen.size, cpuSeconds: (used.user + used.system) / 1e6 },
		});
	});
	process.on('disconnect', () => process.exit(0));
	process.on('SIGTERM', () => void meta.close().then(() => process.exit(0)));
	process.stdout.write(`${JSON.stringify({ port: Number(new URL(meta.url).port), url: meta.url })}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`meta double: ${(error as Error).message}\n`);
	process.exit(1);
});
