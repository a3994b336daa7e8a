import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './paths';

export interface ChildServer {
	port: number;
	info: Record<string, unknown>;
	child: ChildProcess;
	stop(): Promise<void>;
}

const COMPILED = join(ROOT, 'service/.bench-dist/bench');

/**
 * BENCH_PROFILE=<folder>: every relay process a scenario starts runs with `--cpu-prof` and
 * writes its profile there when it stops (`node service/.bench-dist/bench/profileTop.js <file>`).
 */
function profileArgs(script: string): string[] {
	const folder = process.env.BENCH_PROFILE;
	if (!folder || script !== 'relay') return [];
	mkdirSync(folder, { recursive: true });
	return ['--cpu-prof', `--cpu-prof-dir=${folder}`];
}

/** The first line a child prints, as JSON: it is ready. */
function firstLine(child: ChildProcess, script: string): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		let buffered = '';
		const onData = (chunk: Buffer) => {
			buffered += String(chunk);
			if (!buffered.includes('\n')) return;
			child.stdout?.off('data', onData);
			resolve(JSON.parse(buffered.split('\n')[0]) as Record<string, unknown>);
		};
		child.stdout?.on('data', onData);
		child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
	});
}

/**
 * Runs a compiled bench/servers script (`tsc -p bench/tsconfig.json`) in its own process; it
 * prints one JSON line when ready. Also used by the crash test, from the TypeScript sources.
 */
export async function startChild(
	script: string,
	env: Record<string, string> = {},
	args: string[] = [],
): Promise<ChildServer> {
	const child = spawn(process.execPath, [...profileArgs(script), ...args, join(COMPILED, 'servers', `${script}.js`)], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const info = await firstLine(child, script);
	return { port: Number(info.port), info, child, stop: () => stopChild(child) };
}

export interface IpcChild extends ChildServer {
	/** Sends {id, cmd} and resolves with the child's {id, result} (rejects with its {id, error}). */
	ask<T>(cmd: string): Promise<T>;
}

/** A bench/servers script with an IPC channel: it answers {id, cmd} messages. */
export async function startIpcChild(
	script: string,
	env: Record<string, string> = {},
	args: string[] = [],
): Promise<IpcChild> {
	const child = spawn(process.execPath, [...args, join(COMPILED, 'servers', `${script}.js`)], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
	});
	let nextId = 1;
	const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
	child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
		const w = waiting.get(m.id);
		waiting.delete(m.id);
		if (m.error !== undefined) w?.reject(new Error(`${script}: ${m.error}`));
		else w?.resolve(m.result);
	});
	child.once('exit', (code) => {
		for (const w of waiting.values()) w.reject(new Error(`${script} exited with ${code}`));
		waiting.clear();
	});
	const ask = <T>(cmd: string) =>
		new Promise<T>((resolve, reject) => {
			const id = nextId++;
			waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
			child.send({ id, cmd });
		});
	const info = await firstLine(child, script);
	return { port: Number(info.port), info, child, ask, stop: () => stopChild(child) };
}

const execFileAsync = promisify(execFile);

/** Runs a compiled bench/workers script to its end; its last line of output, as JSON. */
export async function runWorker<T>(script: string, env: Record<string, string> = {}, args: string[] = []): Promise<T> {
	const { stdout } = await execFileAsync(process.execPath, [...args, join(COMPILED, 'workers', `${script}.js`)], {
		env: { ...process.env, ...env },
		maxBuffer: 1 << 20,
	});
	return JSON.parse(stdout.trim().split('\n').pop() as string) as T;
}

/** SIGTERM, resolved once the process has exited (at once when it already has). */
export function stopChild(child: ChildProcess): Promise<void> {
	return new Promise<void>((done) => {
		if (child.exitCode !== null) return done();
		child.once('exit', () => done());
		child.kill('SIGTERM');
	});
}
