import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticks: number | undefined;
/** Clock ticks per second of /proc/<pid>/stat's times. */
function clockTicks(): number {
	ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
	return ticks;
}

/** User + system CPU seconds a process has used so far (utime + stime of /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/** Resident memory now and its peak (VmRSS, VmHWM), MB. */
export function memoryMb(pid: number): { rss: number; hwm: number } {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
	return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** The `n8n start` process serving this port, found by its environment (the harness hands out no pid). */
export function n8nStartPid(port: number): number {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
			const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (env.includes(`N8N_PORT=${port}`) && args.includes('start') && args.some((a) => a.includes('n8n')))
				return Number(entry);
		} catch {
			// Gone, or not ours to read.
		}
	}
	throw new Error(`no n8n start process serves port ${port}`);
}
