import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one service instance (its own registry: tests run several side by side). */
export class Metrics {
	readonly registry = new Registry();
	readonly received = new Counter({
		name: 'relay_events_received_total',
		help: 'Events received, valid or not',
		labelNames: ['source'],
		registers: [this.registry],
	});
	readonly stored = new Counter({
		name: 'relay_events_stored_total',
		help: 'Events committed to storage (duplicates excluded)',
		labelNames: ['source'],
		registers: [this.registry],
	});
	readonly invalid = new Counter({
		name: 'relay_events_invalid_total',
		help: 'Events refused before storage',
		labelNames: ['source'],
		registers: [this.registry],
	});
	readonly sent = new Counter({
		name: 'relay_events_sent_total',
		help: 'Events Meta accepted',
		registers: [this.registry],
	});
	readonly failed = new Counter({
		name: 'relay_events_failed_total',
		help: 'Events dead-lettered',
		registers: [this.registry],
	});
	readonly retries = new Counter({
		name: 'relay_event_retries_total',
		help: 'Events scheduled for another attempt',
		registers: [this.registry],
	});
	readonly batchSize = new Histogram({
		name: 'relay_meta_batch_size',
		help: 'Events per Conversions API request',
		buckets: [1, 10, 50, 100, 250, 500, 1000],
		registers: [this.registry],
	});
	readonly metaLatency = new Histogram({
		name: 'relay_meta_request_seconds',
		help: 'Conversions API request duration',
		labelNames: ['outcome'],
		buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
		registers: [this.registry],
	});
	readonly httpLatency = new Histogram({
		name: 'relay_http_request_seconds',
		help: 'HTTP request duration',
		labelNames: ['route', 'status'],
		buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
		registers: [this.registry],
	});

	readonly jobRecords = new Counter({
		name: 'relay_job_records_total',
		help: 'Sync job records handled by every destination (a resume counts its repeats again)',
		labelNames: ['source'],
		registers: [this.registry],
	});
	readonly jobRequests = new Counter({
		name: 'relay_job_requests_total',
		help: 'Sync job requests to a destination (audience, hubspot)',
		labelNames: ['destination'],
		registers: [this.registry],
	});

	constructor() {
		collectDefaultMetrics({ register: this.registry, prefix: 'relay_' });
	}

	/** relay_jobs{state}: read from storage when scraped, so every replica reports the same. */
	countJobs(read: () => Promise<Record<string, number>>): void {
		new Gauge({
			name: 'relay_jobs',
			help: 'Sync jobs by state',
			labelNames: ['state'],
			registers: [this.registry],
			async collect() {
				for (const [state, n] of Object.entries(await read())) this.set({ state }, n);
			},
		});
	}
}
