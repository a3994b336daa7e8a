import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Held by this process: a second service in the same process is refused as another would be. */
const heldHere = new Set<string>();

export class DataDirInUseError extends Error {}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists, owned by someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function holder(file: string): number | undefined {
	try {
		const pid = Number(readFileSync(file, 'utf8').trim());
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

function tryCreate(file: string): boolean {
	try {
		const fd = openSync(file, 'wx', 0o600);
		writeSync(fd, `${process.pid}\n`);
		closeSync(fd);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}

/**
 * One live service per embedded database: PGlite has no locking of its own, and a second process
 * on the same folder answers 202 for events it then loses. The lock file holds the owner's pid and
 * is taken over only when that process is gone (a crash leaves the file behind).
 */
export function lockDataDir(dataDir: string): () => void {
	const file = join(dataDir, 'service.lock');
	const refuse = (pid: number) =>
		new DataDirInUseError(
			`RELAY_DATA_DIR ${dataDir} is in use by process ${pid}: stop it, or give this service its own RELAY_DATA_DIR (replicas share a Postgres through DATABASE_URL instead)`,
		);
	if (heldHere.has(file)) throw refuse(process.pid);
	for (let attempt = 0; !tryCreate(file); attempt++) {
		const pid = holder(file);
		if (pid !== undefined && pid !== process.pid && alive(pid)) throw refuse(pid);
		// A crashed holder's file, or one being written this instant: take it over, once.
		if (attempt > 0) throw refuse(pid ?? 0);
		try {
			unlinkSync(file);
		} catch {
			// another process removed it first; the next attempt decides
		}
	}
	heldHere.add(file);
	return () => {
		heldHere.delete(file);
		if (holder(file) === process.pid) unlinkSync(file);
	};
}
