import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json } from '../support/http';
import { startMetaDouble } from '../support/metaDouble';
import { eventually } from '../support/relayServer';
import { freePort } from '../support/ports';

const ROOT = join(__dirname, '../..');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The README's `npm start`, as a user runs it: its own process group, stdout collected. */
function npmStart(env: Record<string, string>): {
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
} {
	let out = '';
	const child = spawn('npm', ['start'], {
		cwd: ROOT,
		env: { ...process.env, ...env },
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout?.on('data', (d) => (out += String(d)));
	child.stderr?.on('data', (d) => (out += String(d)));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return { child, output: () => out, exited };
}

// npm, its shell and the service all get SIGTERM, as from a terminal; npm itself then ends by the
// signal, so what shows a clean shutdown is the restart below finding everything in place.
async function stop(run: ReturnType<typeof npmStart>): Promise<number | null> {
	process.kill(-(run.child.pid as number), 'SIGTERM');
	return run.exited;
}

describe('npm start (zero configuration, embedded PGlite)', () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'relay-start-'));
	let meta: Awaited<ReturnType<typeof startMetaDouble>>;
	beforeAll(async () => {
		meta = await startMetaDouble();
	});
	afterAll(async () => {
		await meta.close();
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('prints a secret once, serves the status page, takes the README example and delivers it; a restart keeps both', async () => {
		const port = await freePort();
		const env = {
			PORT: String(port),
			RELAY_DATA_DIR: dataDir,
			META_ACCESS_TOKEN: 'EAAB-start-token',
			META_GRAPH_URL: meta.url,
			LOG_LEVEL: 'warn',
		};
		const first = npmStart(env);
		const secret = await eventually(async () => {
			const match = /API secret \(shown once, kept in .*api-secret\):\n\s+(\S+)/.exec(first.output());
			if (!match) throw new Error(`no secret printed yet:\n${first.output()}`);
			return match[1];
		}, 90_000);
		const base = `http://127.0.0.1:${port}`;
		const page = await fetch(`${base}/`, {
			headers: { authorization: `Basic ${Buffer.from(`me:${secret}`).toString('base64')}` },
		});
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Conversion Relay');

		// The README's example, verbatim in substance.
		const res = await fetch(`${base}/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				event_name: 'Lead',
				email: 'mary@example.com',
				phone: '+1 650 555 1212',
				pixel_id: '123456',
			}),
		});
		expect(res.status).toBe(202);
		const id = (await json(res)).data[0].id as string;
		await eventually(
			async () =>
				expect(
					(await json(await fetch(`${base}/v1/events/${id}`, { headers: { authorization: `Bearer ${secret}` } })))
						.status,
				).toBe('sent'),
			20_000,
		);
		expect(meta.received[0].body.data[0]).toMatchObject({
			event_name: 'Lead',
			user_data: { em: [sha('mary@example.com')], ph: [sha('16505551212')] },
		});
		await stop(first);

		const second = npmStart(env);
		await eventually(async () => {
			if (!second.output().includes('listening')) throw new Error('not up yet');
		}, 90_000);
		expect(second.output()).not.toContain('API secret (shown once');
		const again = await json(
			await fetch(`${base}/v1/events/${id}`, { headers: { authorization: `Bearer ${secret}` } }),
		);
		expect(again).toMatchObject({ id, status: 'sent' });
		await stop(second);
	}, 240_000);
});
