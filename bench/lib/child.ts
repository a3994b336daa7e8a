import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths';

export interface ChildServer {
	port: number;
	info: Record<string, unknown>;
	child: ChildProcess;
	stop(): Promise<void>;
}

/**
 * Runs a compiled bench/servers script (`tsc -p bench/tsconfig.json`) in its own process; it
 * prints one JSON line when ready. Also used by the crash test, from the TypeScript sources.
 */
export function startChild(
	script: string,
	env: Record<string, string> = {},
	args: string[] = [],
): Promise<ChildServer> {
	const child = spawn(process.execPath, [...args, join(ROOT, 'service/.bench-dist/bench/servers', `${script}.js`)], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return new Promise((resolve, reject) => {
		let buffered = '';
		const onData = (chunk: Buffer) => {
			buffered += String(chunk);
			const line = buffered.split('\n')[0];
			if (!buffered.includes('\n')) return;
			child.stdout?.off('data', onData);
			const info = JSON.parse(line) as Record<string, unknown>;
			resolve({
				port: Number(info.port),
				info,
				child,
				stop: () =>
					new Promise<void>((done) => {
						if (child.exitCode !== null) return done();
						child.once('exit', () => done());
						child.kill('SIGTERM');
					}),
			});
		};
		child.stdout?.on('data', onData);
		child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
	});
}
