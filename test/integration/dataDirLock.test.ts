import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../service/src/config';
import { startServer, type Running } from '../../service/src/server';

const silent = pino({ level: 'silent' });
const start = (dataDir: string, port = 0) =>
	startServer(loadConfig({ PORT: String(port), RELAY_DATA_DIR: dataDir }), silent);

/** Two services on one embedded database would each answer 202 for events the other loses. */
describe('one live service per data folder; a listen error stops start-up', () => {
	const dirs: string[] = [];
	const fresh = () => {
		const dir = mkdtempSync(join(tmpdir(), 'relay-lock-'));
		dirs.push(dir);
		return dir;
	};
	afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

	it('refuses a second service on the same folder, naming the holder, and frees it on stop', async () => {
		const dir = fresh();
		const first = await start(dir);
		try {
			await expect(start(dir)).rejects.toThrow(`RELAY_DATA_DIR ${dir} is in use by process ${process.pid}`);
			expect(readFileSync(join(dir, 'service.lock'), 'utf8').trim()).toBe(String(process.pid));
		} finally {
			await first.stop();
		}
		const again = await start(dir);
		await again.stop();
	});

	it('refuses a folder another live process holds, and takes over one whose holder is gone', async () => {
		const dir = fresh();
		const other = spawn('sleep', ['30']);
		try {
			writeFileSync(join(dir, 'service.lock'), `${other.pid}\n`);
			await expect(start(dir)).rejects.toThrow(`is in use by process ${other.pid}`);
		} finally {
			other.kill('SIGKILL');
		}
		// A holder that crashed: its pid no longer runs.
		const gone = spawnSync('true').pid;
		writeFileSync(join(dir, 'service.lock'), `${gone}\n`);
		const running = await start(dir);
		expect(readFileSync(join(dir, 'service.lock'), 'utf8').trim()).toBe(String(process.pid));
		await running.stop();
	});

	it('exits start-up with the port and the reason when the port is taken, leaving the folder free', async () => {
		const first: Running = await start(fresh());
		const dir = fresh();
		try {
			await expect(start(dir, first.port)).rejects.toThrow(
				new RegExp(`PORT ${first.port}: cannot listen \\(.*EADDRINUSE`),
			);
			const later = await start(dir);
			await later.stop();
		} finally {
			await first.stop();
		}
	});
});
