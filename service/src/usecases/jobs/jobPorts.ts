import type { EventEmitter } from 'node:events';
import { bulkCustomersQuery, bulkOrdersQuery } from '../../../../nodes/core/shopify/graphql';
import type { Clock } from '../../clock';
import { systemClock } from '../../clock';
import type { Config } from '../../config';
import type { JobsRepository } from '../../db/jobsRepository';
import type { Repository } from '../../db/repository';
import { upsertContacts, ensureContactProperties, type HubSpotSettings } from '../../hubspot/contactsClient';
import { uploadAudienceBatch } from '../../meta/audienceClient';
import type { GraphSettings } from '../../meta/graphClient';
import type { Metrics } from '../../metrics';
import { ShopifyAdminClient, ShopifyAdminError } from '../../shopify/adminClient';
import {
	BulkExportError,
	bulkRecords,
	customersFrom,
	ordersFrom,
	startBulkExport,
	waitForBulkOperation,
} from '../../shopify/bulkExport';
import { ingestEvents } from '../ingestEvents';
import { AudienceSessionLost, DestinationRefused } from './destinationErrors';
import type { RetryPolicy } from './destinationRetry';
import type { Destinations } from './pipeline';
import { fileRecords } from './receiveFile';
import { JobFailure, RestartReplace, type OpenSource } from './runner';
import { SourceLineError, type Job } from './types';

/** Meta's window for server events: older orders would be refused. */
const ORDERS_WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface JobPortsDeps {
	config: Config;
	jobs: JobsRepository;
	repo: Repository;
	/** The file chunks' keys: the current secret's, then the previous one's during a rotation. */
	chunkKeys: Buffer[];
	graph?: GraphSettings;
	metrics?: Metrics;
	clock?: Clock;
	/** bulk_operations/finish webhooks: emit(operationId) ends the current poll's pause. */
	bulkFinished?: EventEmitter;
	/** Polls of a running bulk operation, at most this far apart. */
	bulkPollMs?: number;
	/** How Meta's and HubSpot's clients wait out a transient failure within one call (tests shorten it). */
	retry?: RetryPolicy;
}

export function shopifyClient(config: Config): ShopifyAdminClient | undefined {
	if (!config.SHOPIFY_SHOP) return undefined;
	return new ShopifyAdminClient({
		shop: config.SHOPIFY_SHOP,
		adminUrl: config.SHOPIFY_ADMIN_URL,
		apiVersion: config.SHOPIFY_API_VERSION,
		accessToken: config.SHOPIFY_ADMIN_TOKEN,
		clientId: config.SHOPIFY_CLIENT_ID,
		clientSecret: config.SHOPIFY_CLIENT_SECRET,
		timeoutMs: 30_000,
	});
}

export function hubspotSettings(config: Config): HubSpotSettings | undefined {
	if (!config.HUBSPOT_ACCESS_TOKEN) return undefined;
	return {
		apiUrl: config.HUBSPOT_API_URL,
		accessToken: config.HUBSPOT_ACCESS_TOKEN,
		timeoutMs: config.HUBSPOT_TIMEOUT_MS,
		requestsPerTenSeconds: config.HUBSPOT_REQUESTS_PER_10S,
	};
}

/** The sources' and destinations' own errors as the runner's: stop with a reason, restart the replace, or retry. */
export function classifyJobError(error: unknown): unknown {
	if (error instanceof JobFailure || error instanceof RestartReplace) return error;
	if (error instanceof AudienceSessionLost) return new RestartReplace(error.message);
	if (error instanceof DestinationRefused) return new JobFailure(error.message);
	if (error instanceof SourceLineError) return new JobFailure(`the source's ${error.message}`);
	if (error instanceof BulkExportError && error.reason !== 'file') return new JobFailure(`Shopify: ${error.message}`);
	if (error instanceof ShopifyAdminError && (error.reason === 'auth' || error.reason === 'invalid'))
		return new JobFailure(`Shopify: ${error.message}`);
	return error;
}

/** Where each job's records come from: Shopify's bulk file (started, or polled again on a resume) or the stored upload. */
export function openJobSource(deps: JobPortsDeps): OpenSource {
	const clock = deps.clock ?? systemClock;
	return async ({ job, signal, exporting, total }) => {
		if (job.spec.source === 'file') {
			total(job.spec.file?.records ?? 0);
			return fileRecords(deps.jobs, deps.chunkKeys, job, signal);
		}
		const client = shopifyClient(deps.config);
		if (!client) throw new JobFailure('SHOPIFY_SHOP is no longer set in the service');
		const now = clock();
		let operation = job.checkpoint.bulk_operation_id;
		if (!operation) {
			const query =
				job.spec.source === 'shopify_customers'
					? bulkCustomersQuery()
					: bulkOrdersQuery(new Date(now - ORDERS_WINDOW_MS).toISOString());
			operation = (await startBulkExport(client, query, signal)).id;
			await exporting(operation);
		}
		const done = await waitForBulkOperation(client, operation, {
			pollMs: deps.bulkPollMs ?? 10_000,
			signal,
			wakeups: deps.bulkFinished,
		});
		const roots = done.rootObjectCount ?? (job.spec.source === 'shopify_customers' ? done.objectCount : undefined);
		if (roots !== undefined) total(roots);
		if (!done.url) return (async function* () {})();
		const objects = bulkRecords(done.url, { skip: job.checkpoint.records, signal, expectedLines: done.objectCount });
		if (job.spec.source === 'shopify_customers') return customersFrom(objects, { now });
		return ordersFrom(objects, {
			shopDomain: deps.config.SHOPIFY_SHOP,
			eventIdTemplate: deps.config.SHOPIFY_EVENT_ID_TEMPLATE,
			contentIds: deps.config.SHOPIFY_CONTENT_ID,
			now: Math.floor(now / 1000),
		});
	};
}

/** Each job's destinations, as its spec names them and this service can reach. */
export function jobDestinations(deps: JobPortsDeps) {
	const settings = hubspotSettings(deps.config);
	const hubspot = settings && { ...settings, retry: deps.retry };
	// Called as each attempt of a job starts (and as a replace starts again): what it keeps about the
	// job ends with that run.
	return (job: Job, signal: AbortSignal): Destinations => {
		const to: Destinations = {};
		const audience = job.spec.audience;
		if (audience) {
			if (!deps.graph) throw new JobFailure('META_ACCESS_TOKEN is no longer set in the service');
			const graph = { ...deps.graph, retry: deps.retry };
			to.audience = (payload, session) =>
				uploadAudienceBatch(graph, audience.id, audience.mode, payload, session, signal);
		}
		if (job.spec.hubspot) {
			if (!hubspot) throw new JobFailure('HUBSPOT_ACCESS_TOKEN is no longer set in the service');
			// The Shopify properties the mapping writes must exist first: checked once per attempt (a
			// set of every job id this process had run grew for its whole life), so an attempt after a
			// retry's wait of up to 15 minutes checks them again.
			let ensured = false;
			to.hubspot = async (contacts) => {
				if (!ensured) {
					await ensureContactProperties(hubspot, signal);
					ensured = true;
				}
				const r = await upsertContacts(hubspot, contacts, signal);
				return { upserted: r.upserted, invalid: r.invalid.length };
			};
		}
		const events = job.spec.events;
		if (events) {
			to.purchases = async (batch) => {
				const items = batch.map((e) => ({
					...e,
					pixel_id: events.pixel_id,
					...(events.test_event_code ? { test_event_code: events.test_event_code } : {}),
				}));
				const { accepted, errors } = await ingestEvents(
					{ repo: deps.repo, config: deps.config, metrics: deps.metrics, clock: deps.clock },
					'shopify',
					items,
					null,
					deps.config.SHOPIFY_SHOP,
				);
				const duplicate = accepted.filter((a) => a.duplicate).length;
				return { stored: accepted.length - duplicate, duplicate, invalid: errors.length };
			};
		}
		return to;
	};
}
