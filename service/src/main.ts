import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { startServer } from './server';

async function main(): Promise<void> {
	const config = loadConfig();
	// npm runs the workspace in service/; paths are meant from where the user typed npm start.
	config.RELAY_DATA_DIR = resolve(process.env.INIT_CWD ?? process.cwd(), config.RELAY_DATA_DIR);
	const running = await startServer(config);
	const storage = config.SUPABASE_URL
		? `Supabase (${config.SUPABASE_URL})`
		: config.DATABASE_URL
			? 'Postgres (DATABASE_URL)'
			: `embedded PGlite in ${config.RELAY_DATA_DIR}`;
	console.log(`Conversion Relay listening on http://localhost:${running.port} — storage: ${storage}`);
	console.log('Status page: log in with any user name and the API secret (or RELAY_STATUS_TOKEN) as the password.');
	if (running.secretCreated) {
		console.log(`API secret (shown once, kept in ${config.RELAY_DATA_DIR}/api-secret):\n  ${running.apiSecret}`);
	}
	if (config.META_ACCESS_TOKEN) console.log(`Delivering to ${config.META_GRAPH_URL} (${config.META_API_VERSION}).`);
	else console.log('META_ACCESS_TOKEN is not set: events are stored and held until it is; nothing is lost.');
	if (!config.META_PIXEL_ID) console.log('META_PIXEL_ID is not set: every event must name its pixel_id.');
	const shutdown = () => {
		running.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGTERM', shutdown);
	process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
	console.error(error instanceof ConfigError ? error.message : `start-up failed: ${(error as Error).message}`);
	process.exit(1);
});
