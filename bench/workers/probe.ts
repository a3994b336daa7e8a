import { probeHealth } from '../lib/hostile';

// Probes in a process of their own, so a busy load generator does not delay the probe and get
// counted as the service's latency. Prints {path: latencies ms} on SIGTERM.
const port = Number(process.env.PROBE_PORT);
const paths = (process.env.PROBE_PATHS ?? '/health').split(',');
const probes = paths.map((path) => ({ path, probe: probeHealth(port, 100, path) }));
process.on('SIGTERM', () => {
	for (const p of probes) p.probe.stop();
	process.stdout.write(`${JSON.stringify(Object.fromEntries(probes.map((p) => [p.path, p.probe.latencies])))}\n`, () =>
		process.exit(0),
	);
});
