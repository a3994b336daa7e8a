import pino from 'pino';
import { loadConfig } from '../../service/src/config';
import { startServer } from '../../service/src/server';

// The real service, configured from the environment, quiet; prints its port and secret when ready.
async function main(): Promise<void> {
	const config = loadConfig({ ...process.env, PORT: process.env.BENCH_PORT ?? '0' });
	const dispatch = process.env.BENCH_DISPATCH ? (JSON.parse(process.env.BENCH_DISPATCH) as object) : {};
	const jobs = process.env.BENCH_JOBS ? (JSON.parse(process.env.BENCH_JOBS) as object) : {};
	const running = await startServer(config, pino({ level: 'silent' }), dispatch, { jobs });
	process.stdout.write(`${JSON.stringify({ port: running.port, secret: running.apiSecret })}\n`);
	process.on('SIGTERM', () => {
		running.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	});
}

main().catch((error: unknown) => {
	process.stderr.write(`relay bench server: ${(error as Error).message}\n`);
	process.exit(1);
});
