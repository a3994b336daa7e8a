import { cpus } from 'node:os';

export interface Row {
	scenario: string;
	figure: string;
	value: string;
	baseline: string;
	ratio: string;
	target: string;
	met: boolean | undefined;
	/** The 1-minute load average when its scenario started → ended (set by bench/run.ts). */
	load?: string;
}

/** The results as a Markdown table, with the machine it ran on. */
export function renderTable(rows: Row[]): string {
	const header = ['scenario', 'figure', 'value', 'floor / baseline (same run)', 'ratio', 'target', 'met', 'load'];
	const lines = rows.map((r) => [
		r.scenario,
		r.figure,
		r.value,
		r.baseline,
		r.ratio,
		r.target,
		r.met === undefined ? '' : r.met ? 'yes' : 'NO',
		r.load ?? '',
	]);
	const cpu = cpus();
	return [
		`machine: ${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), node ${process.version}`,
		'',
		`| ${header.join(' | ')} |`,
		`|${header.map(() => '---').join('|')}|`,
		...lines.map((l) => `| ${l.join(' | ')} |`),
	].join('\n');
}
