import { Agent, request } from 'node:http';
import { eventsRequestBody, chunk } from '../../nodes/core/capi/batch';
import { prepareEvent } from '../../nodes/core/capi/build';
import type { ServerEvent } from '../../nodes/core/capi/types';
import { startMetaDouble } from '../../test/support/metaDouble';
import { startRealN8n } from '../../test/support/realN8n';
import { fmt } from '../lib/stats';
import type { Row } from '../lib/table';
import { META_LATENCY_MS } from './delivery';

const ITEMS = 10_000;

const person = (i: number) => ({
	email: `Customer.${i}@Example.com`,
	phone: `+1 (415) 555-${String(i % 10_000).padStart(4, '0')}`,
	country: 'US',
	value: (i % 500) + 0.99,
	order: `n8n-bench-${i}`,
});

/** The baseline: the same events, hashed by the same core, sent as the same requests by a bare script. */
async function bareScript(url: string): Promise<{ ms: number; requests: number }> {
	const started = process.hrtime.bigint();
	const events: ServerEvent[] = [];
	for (let i = 0; i < ITEMS; i++) {
		const p = person(i);
		const prepared = prepareEvent({
			event_name: 'Purchase',
			action_source: 'system_generated',
			event_id: p.order,
			user_data: { em: p.email, ph: p.phone, country: p.country },
			custom_data: { value: p.value, currency: 'usd' },
		});
		if (prepared.ok) events.push(prepared.event);
	}
	const agent = new Agent({ keepAlive: true });
	const target = new URL(url);
	let requests = 0;
	for (const part of chunk(events, 1000)) {
		const body = JSON.stringify(eventsRequestBody(part, {}));
		await new Promise<void>((resolve, reject) => {
			const req = request(
				{
					host: target.hostname,
					port: target.port,
					method: 'POST',
					path: '/v25.0/123456/events',
					agent,
					headers: { 'content-type': 'application/json', authorization: 'Bearer EAAB-bench' },
				},
				(res) => {
					res.resume();
					res.on('end', () => resolve());
				},
			);
			req.on('error', reject);
			req.end(body);
		});
		requests++;
	}
	agent.destroy();
	return { ms: Number(process.hrtime.bigint() - started) / 1e6, requests };
}

type Mapping = 'manual' | 'sandboxed' | 'auto';

/**
 * The bench workflow: a Code node makes 10,000 customers, the Meta node sends them. `manual`
 * maps five fields with `{{ $json.… }}` expressions, which the node reads from the item itself;
 * `sandboxed` maps the same fields as `{{ ($json.…) }}`, the same value but not a bare path, so
 * n8n resolves each, per item, in its isolate (the cost of any other expression); `auto` gets
 * items already in the event shape and reads them itself.
 */
function benchWorkflow(id: string, mapping: Mapping) {
	const item =
		mapping === 'auto'
			? "{ email: 'Customer.' + i + '@Example.com', phone: '+1 (415) 555-' + String(i % 10000).padStart(4, '0'), user_data: { country: 'US' }, value: (i % 500) + 0.99, currency: 'usd', event_id: 'n8n-bench-' + i }"
			: "{ email: 'Customer.' + i + '@Example.com', phone: '+1 (415) 555-' + String(i % 10000).padStart(4, '0'), country: 'US', value: (i % 500) + 0.99, order: 'n8n-bench-' + i }";
	const path = (key: string) => (mapping === 'sandboxed' ? `={{ ($json.${key}) }}` : `={{ $json.${key} }}`);
	const fields =
		mapping === 'auto'
			? { mapping: 'auto' }
			: {
					mapping: 'manual',
					eventId: path('order'),
					userData: { email: path('email'), phone: path('phone'), country: path('country') },
					customData: { value: path('value'), currency: 'usd' },
				};
	return {
		id,
		name: `bench ${mapping}`,
		active: false,
		settings: {},
		nodes: [
			{
				id: `${id}-1`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-2`,
				name: 'Customers',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: {
					jsCode: `const out = []; for (let i = 0; i < ${ITEMS}; i++) out.push({ json: ${item} }); return out;`,
				},
			},
			{
				id: `${id}-3`,
				name: 'Meta',
				type: 'n8n-nodes-conversion-relay.metaConversionsApi',
				typeVersion: 1,
				position: [400, 0],
				credentials: { metaConversionRelayApi: { id: 'bench-meta', name: 'Meta double' } },
				parameters: {
					delivery: 'direct',
					resource: 'event',
					operation: 'send',
					pixelId: '123456',
					eventName: 'Purchase',
					actionSource: 'system_generated',
					...fields,
					options: {},
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
			Customers: { main: [[{ node: 'Meta', type: 'main', index: 0 }]] },
		},
	};
}

/** 5. The Meta Conversions API node in a real n8n with 10,000 input items. */
export async function n8nNode(): Promise<Row[]> {
	const meta = await startMetaDouble(undefined, { latencyMs: META_LATENCY_MS });
	const n8n = await startRealN8n();
	try {
		await n8n.importCredentials([
			{
				id: 'bench-meta',
				name: 'Meta double',
				type: 'metaConversionRelayApi',
				data: { accessToken: 'EAAB-bench', appSecret: '', apiVersion: 'v25.0', baseUrl: meta.url },
			},
		]);
		const runs: Array<{
			mapping: Mapping;
			label: string;
			ms: number;
			nodeMs: number;
			delivered: number;
			requests: number;
		}> = [];
		for (const [mapping, label] of [
			['manual', 'fields as {{ $json.… }} expressions'],
			['sandboxed', 'fields as {{ ($json.…) }}, resolved by n8n'],
			['auto', 'Map Automatically'],
		] as const) {
			const id = `benchMeta${mapping.slice(0, 4)}01`.padEnd(16, '0');
			await n8n.importWorkflow(benchWorkflow(id, mapping));
			const run = await n8n.execute(id);
			if (run.status !== 'success') throw new Error(`n8n run (${mapping}): ${run.status} ${run.error ?? ''}`);
			process.stderr.write(`n8n node times, ${label} (ms): ${JSON.stringify(run.nodeMs)}\n`);
			const delivered = meta.received.reduce((n, r) => n + r.body.data.length, 0);
			runs.push({ mapping, label, ms: run.ms, nodeMs: run.nodeMs.Meta, delivered, requests: meta.received.length });
			meta.received.length = 0;
		}
		const bare = await bareScript(meta.url);
		const scenario = `5 Meta node in a real n8n (${fmt(ITEMS)} items, Meta ${META_LATENCY_MS} ms)`;
		const [paths] = runs;
		return [
			{
				scenario,
				figure: 'requests to Meta',
				value: `${paths.requests} (${fmt(paths.delivered)} events)`,
				baseline: `${bare.requests} (bare script)`,
				ratio: '',
				target: '≤ 10',
				met: runs.every((r) => r.requests <= 10 && r.delivered === ITEMS),
			},
			...runs.flatMap((r) => [
				{
					scenario,
					figure: `Meta node ms (${r.label})`,
					value: fmt(r.nodeMs),
					baseline: `${fmt(bare.ms)} (bare script: hash + send)`,
					ratio: fmt(r.nodeMs / bare.ms, 2),
					// Any other expression costs n8n's isolate per field and item: reported, no target.
					target: r.mapping === 'sandboxed' ? '' : '≤ 2.00',
					met: r.mapping === 'sandboxed' ? undefined : r.nodeMs / bare.ms <= 2,
				},
				{
					scenario,
					figure: `execution ms (${r.label}; with the Code node making the items)`,
					value: fmt(r.ms),
					baseline: `${fmt(bare.ms)} (bare script: hash + send)`,
					ratio: fmt(r.ms / bare.ms, 2),
					target: '',
					met: undefined,
				},
			]),
		];
	} finally {
		await n8n.close();
		await meta.close();
	}
}
