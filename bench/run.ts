import { loadavg } from 'node:os';
import { renderTable, type Row } from './lib/table';
import { audienceHashing } from './scenarios/audienceHashing';
import { batchIngest } from './scenarios/batchIngest';
import { delivery } from './scenarios/delivery';
import { n8nNode } from './scenarios/n8nNode';
import { scaleOut } from './scenarios/scaleOut';
import { soak } from './scenarios/soak';
import { sync } from './scenarios/sync';
import { webhookIngest } from './scenarios/webhookIngest';

// `soak` takes ten minutes on its own, `sync` about twenty: run them by name, not by default.
const ON_REQUEST: Record<string, () => Promise<Row[]>> = { soak, sync };

const SCENARIOS: Record<string, () => Promise<Row[]>> = {
	ingest: webhookIngest,
	batch: batchIngest,
	delivery,
	audience: audienceHashing,
	n8n: n8nNode,
	scaleout: scaleOut,
};

/** npm run bench [-- scenario ...]: every scenario against its baseline in this run, then one table. */
async function main(): Promise<void> {
	const wanted = process.argv.slice(2);
	const names = wanted.length ? wanted : Object.keys(SCENARIOS);
	const rows: Row[] = [];
	const started = Date.now();
	// Other work on the same cores changes every figure: the 1-minute load average at the start and the end.
	const loadAtStart = loadavg()[0];
	for (const name of names) {
		const run = SCENARIOS[name] ?? ON_REQUEST[name];
		if (!run)
			throw new Error(
				`unknown scenario ${name}; known: ${[...Object.keys(SCENARIOS), ...Object.keys(ON_REQUEST)].join(', ')}`,
			);
		process.stderr.write(`bench: ${name}…\n`);
		const t = Date.now();
		const loadBefore = loadavg()[0];
		const scenarioRows = await run();
		const load = `${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`;
		rows.push(...scenarioRows.map((r) => ({ ...r, load })));
		process.stderr.write(`bench: ${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s, load average ${load}\n`);
	}
	const load = `load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`;
	process.stdout.write(
		`${renderTable(rows)}\n\ncommand: npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''} · ${((Date.now() - started) / 1000).toFixed(0)} s in all · ${load}\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
