import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import type { Clock } from './clock';
import type { Config } from './config';
import { openStorage } from './db/open';
import { OutboxRepository, Repository } from './db/repository';
import { createApp } from './http/app';
import { Metrics } from './metrics';
import { resolveApiSecret } from './secret';
import { Dispatcher, type DispatcherOptions } from './usecases/dispatcher';

export interface Running {
	server: Server;
	port: number;
	apiSecret: string;
	secretCreated: boolean;
	repo: Repository;
	dispatcher: Dispatcher;
	stop(): Promise<void>;
}

/** Opens storage, applies migrations and listens. Used by main.ts and by the tests (port 0). */
export async function startServer(config: Config, log: Logger = pino({ level: config.LOG_LEVEL }), dispatch: DispatcherOptions = {}, clock?: Clock): Promise<Running> {
	const { secret, created } = resolveApiSecret(config.RELAY_API_SECRET, config.RELAY_DATA_DIR);
	const db = await openStorage(config, log);
	const repo = new Repository(db);
	const settings = config.META_ACCESS_TOKEN
		? { graphUrl: config.META_GRAPH_URL, apiVersion: config.META_API_VERSION, accessToken: config.META_ACCESS_TOKEN, appSecret: config.META_APP_SECRET, timeoutMs: config.META_TIMEOUT_MS }
		: undefined;
	// Without a token events are stored and held: the dispatcher does not start.
	const metrics = new Metrics();
	const dispatcher = new Dispatcher(new OutboxRepository(db), settings, log, dispatch, metrics);
	const app = createApp({ repo, config, apiSecret: secret, log, dispatcher, metrics, clock });
	let server: Server;
	try {
		// Express 5 hands a listen error (EADDRINUSE, EACCES) to this callback instead of throwing.
		server = await new Promise<Server>((resolve, reject) => {
			const s = app.listen(config.PORT, (error?: Error) => (error ? reject(error) : resolve(s)));
		});
	} catch (error) {
		await repo.close();
		throw new Error(`PORT ${config.PORT}: cannot listen (${(error as Error).message})`);
	}
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.PORT;
	dispatcher.start();
	return {
		server,
		port,
		apiSecret: secret,
		secretCreated: created,
		repo,
		dispatcher,
		stop: async () => {
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await dispatcher.stop();
			await repo.close();
		},
	};
}
