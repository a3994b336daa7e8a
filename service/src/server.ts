import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import pino, { type Logger } from 'pino';
import type { Clock } from './clock';
import type { Config } from './config';
import { openStorage } from './db/open';
import { JobsRepository } from './db/jobsRepository';
import { withLiveness } from './db/liveness';
import { OutboxRepository, Repository } from './db/repository';
import { createApp } from './http/app';
import { Metrics } from './metrics';
import { resolveApiSecret } from './secret';
import { DatasetQualityReader, deliveredPixels, type QualityReaderOptions } from './usecases/datasetQuality';
import { Dispatcher, type DispatcherOptions } from './usecases/dispatcher';
import { chunkKey } from './usecases/jobs/chunkCodec';
import type { RetryPolicy } from './usecases/jobs/destinationRetry';
import { classifyJobError, jobDestinations, openJobSource } from './usecases/jobs/jobPorts';
import { JobRunner, type RunnerOptions } from './usecases/jobs/runner';

export interface Running {
	server: Server;
	port: number;
	apiSecret: string;
	secretCreated: boolean;
	repo: Repository;
	dispatcher: Dispatcher;
	jobs: JobsRepository;
	runner: JobRunner;
	quality: DatasetQualityReader;
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
	/**
	 * Sync jobs' runner: lease, idle wait, retry waits (tests shorten them); bulkPollMs: Shopify
	 * polls; retry: the destinations' own retries within one call.
	 */
	jobs?: RunnerOptions & { bulkPollMs?: number; retry?: RetryPolicy };
	/** Meta's Dataset Quality reads: first read, gaps, backoffs (tests shorten them). */
	quality?: Partial<QualityReaderOptions>;
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
	{ clock, http, jobs: jobOptions = {}, quality: qualityOptions = {} }: ServerOptions = {},
): Promise<Running> {
	const { secret, created } = resolveApiSecret(config.RELAY_API_SECRET, config.RELAY_DATA_DIR);
	const db = withLiveness(await openStorage(config, log));
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
	const jobs = new JobsRepository(db);
	metrics.countJobs(() => jobs.runningCounts());
	const key = chunkKey(secret);
	// During a rotation, chunks stored under the old secret stay readable.
	const readKeys = [key, ...(config.RELAY_API_SECRET_PREVIOUS ? [chunkKey(config.RELAY_API_SECRET_PREVIOUS)] : [])];
	const { bulkPollMs, retry, ...runnerOptions } = jobOptions;
	const bulkFinished = new EventEmitter();
	const ports = {
		config,
		jobs,
		repo,
		chunkKeys: readKeys,
		graph: settings,
		metrics,
		clock,
		bulkPollMs,
		bulkFinished,
		retry,
	};
	const runner = new JobRunner(jobs, openJobSource(ports), jobDestinations(ports), log.child({ part: 'jobs' }), {
		classify: classifyJobError,
		housekeeping: () => jobs.failStaleReceiving(3600).then(() => undefined),
		onProgress: (job, added) => {
			metrics.jobRecords.inc({ source: job.spec.source }, Math.max(0, added.records));
			metrics.jobRequests.inc({ destination: 'audience' }, Math.max(0, added.audience));
			metrics.jobRequests.inc({ destination: 'hubspot' }, Math.max(0, added.hubspot));
		},
		...runnerOptions,
	});
	const quality = new DatasetQualityReader(
		{
			settings,
			pixels: deliveredPixels(repo, config.META_PIXEL_ID),
			// Deliveries come first: while the dispatcher waits out Meta's rate limit, so do the reads.
			pausedUntil: () => (dispatcher.state.pausedUntil ? Date.parse(dispatcher.state.pausedUntil) : undefined),
			clock,
			log: log.child({ part: 'quality' }),
		},
		{ intervalMs: config.META_QUALITY_INTERVAL_MINUTES * 60_000, ...qualityOptions },
	);
	const app = createApp({
		quality,
		repo,
		config,
		apiSecret: secret,
		log,
		dispatcher,
		metrics,
		clock,
		jobs: {
			repo: jobs,
			files: { jobs, key, maxBytes: config.JOB_FILE_MAX_BYTES },
			wake: () => runner.wake(),
			bulkFinished,
		},
	});
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
	runner.start();
	quality.start();
	return {
		server,
		port,
		apiSecret: secret,
		secretCreated: created,
		repo,
		dispatcher,
		jobs,
		runner,
		quality,
		stop: async () => {
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await quality.stop();
			await runner.stop();
			await dispatcher.stop();
			await repo.close();
		},
	};
}
