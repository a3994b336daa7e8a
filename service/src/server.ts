import { createServer, type Server } from 'node:http';
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
/**
 * What a connection may hold: webhook senders send a small body at once, so a slow header, a
 * slow body or an idle keep-alive is cut off early, and a flood of sockets is refused.
 */
export interface HttpLimits {
	headersTimeoutMs: number;
	requestTimeoutMs: number;
	keepAliveTimeoutMs: number;
	maxConnections: number;
}

export const HTTP_LIMITS: HttpLimits = {
	headersTimeoutMs: 10_000,
	requestTimeoutMs: 30_000,
	keepAliveTimeoutMs: 5_000,
	maxConnections: 1_000,
};

export interface ServerOptions {
	clock?: Clock;
	http?: Partial<HttpLimits>;
}

function listen(app: ReturnType<typeof createApp>, port: number, limits: HttpLimits): Promise<Server> {
	const server = createServer(
		{
			headersTimeout: limits.headersTimeoutMs,
			requestTimeout: limits.requestTimeoutMs,
			keepAliveTimeout: limits.keepAliveTimeoutMs,
			// How often the timeouts above are checked (Node's default is 30 s).
			connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
		},
		app,
	);
	server.maxConnections = limits.maxConnections;
	return new Promise<Server>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, () => {
			server.off('error', reject);
			resolve(server);
		});
	});
}

export async function startServer(
	config: Config,
	log: Logger = pino({ level: config.LOG_LEVEL }),
	dispatch: DispatcherOptions = {},
	{ clock, http }: ServerOptions = {},
): Promise<Running> {
	const { secret, created } = resolveApiSecret(config.RELAY_API_SECRET, config.RELAY_DATA_DIR);
	const db = await openStorage(config, log);
	const repo = new Repository(db);
	const settings = config.META_ACCESS_TOKEN
		? {
				graphUrl: config.META_GRAPH_URL,
				apiVersion: config.META_API_VERSION,
				accessToken: config.META_ACCESS_TOKEN,
				appSecret: config.META_APP_SECRET,
				timeoutMs: config.META_TIMEOUT_MS,
			}
		: undefined;
	// Without a token events are stored and held: the dispatcher does not start.
	const metrics = new Metrics();
	const dispatcher = new Dispatcher(new OutboxRepository(db), settings, log, dispatch, metrics);
	const app = createApp({ repo, config, apiSecret: secret, log, dispatcher, metrics, clock });
	let server: Server;
	try {
		server = await listen(app, config.PORT, { ...HTTP_LIMITS, ...http });
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
