import { renderTable, type Row } from './lib/table';
import { audienceHashing } from './scenarios/audienceHashing';
import { batchIngest } from './scenarios/batchIngest';
import { delivery } from './scenarios/delivery';
import { n8nNode } from './scenarios/n8nNode';
import { scaleOut } from './scenarios/scaleOut';
import { soak } from './scenarios/soak';
import { webhookIngest } from './scenarios/webhookIngest';

// `soak` takes ten minutes on its own: run it by name, not by default.
const ON_REQUEST: Record<string, () => Promise<Row[]>> = { soak };

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
	for (const name of names) {
		const run = SCENARIOS[name] ?? ON_REQUEST[name];
		if (!run)
			throw new Error(
				`unknown scenario ${name}; known: ${[...Object.keys(SCENARIOS), ...Object.keys(ON_REQUEST)].join(', ')}`,
			);
		process.stderr.write(`bench: ${name}…\n`);
		const t = Date.now();
		rows.push(...(await run()));
		process.stderr.write(`bench: ${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
	}
	process.stdout.write(
		`${renderTable(rows)}\n\ncommand: npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''} · ${((Date.now() - started) / 1000).toFixed(0)} s in all\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
