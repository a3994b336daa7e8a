/** What the nodes say in n8n's editor: variables as n8n spells them, brands, names that tell apart. */
import type { INodeProperties } from 'n8n-workflow';
import { ACTION_SOURCES } from '../../../nodes/core/capi/types';
import { readWorkflow, workflowFiles } from '../../support/workflowFiles';
import { shippedCredentials, shippedNodes } from './packageNodes';

const nodes = shippedNodes();

/** Every string in a node description, with where it is. */
function strings(value: unknown, path: string, out: Array<[string, string]> = []): Array<[string, string]> {
	if (typeof value === 'string') out.push([path, value]);
	else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
	else if (value && typeof value === 'object')
		for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out);
	return out;
}

/** Every parameter, nested collections' options included. */
function allParams(props: INodeProperties[]): INodeProperties[] {
	return props.flatMap((p) => [
		p,
		...allParams(((p.options ?? []) as INodeProperties[]).filter((o) => typeof o === 'object' && 'type' in o)),
	]);
}

describe.each(nodes.map((n) => [n.description.displayName, n] as const))('%s', (_name, node) => {
	const texts = strings(node.description, node.description.name);

	it("spells n8n's variables as n8n does ($json, not $JSON)", () => {
		expect(texts.filter(([, s]) => /\$(JSON|Json)\b/.test(s))).toEqual([]);
	});

	it('writes brand names with their capitals in labels and actions', () => {
		// Labels: parameter display names (not notices, which may quote file or group names), option
		// names and actions, where n8n's lint autofixes had lowercased "Shopify".
		const labels: string[] = [];
		for (const p of allParams(node.description.properties)) {
			if (p.type !== 'notice') labels.push(p.displayName);
			for (const o of (p.options ?? []) as Array<{ name?: string; value?: unknown; action?: string }>) {
				if ('value' in o && typeof o.name === 'string') labels.push(o.name);
				if (typeof o.action === 'string') labels.push(o.action);
			}
		}
		expect(labels.length).toBeGreaterThan(0);
		expect(labels.filter((l) => /\b(shopify|hubspot|chatwoot|facebook|meta)\b/.test(l))).toEqual([]);
	});
});

describe('Meta Conversions API → Action Source and options', () => {
	const meta = nodes.find((n) => n.description.name === 'metaConversionsApi')!.description;

	it("offers Meta's action sources by name, sorted, each once", () => {
		for (const field of meta.properties.filter((p) => p.name === 'actionSource')) {
			const options = field.options as Array<{ name: string; value: string }>;
			expect(options.map((o) => o.value).sort()).toEqual([...ACTION_SOURCES].sort());
			expect(options.map((o) => o.name)).toEqual([...options.map((o) => o.name)].sort((a, b) => a.localeCompare(b)));
			for (const o of options) expect(o.name).not.toBe(o.value);
		}
	});

	it('lists the Limited Data Use switch before the country and state it uses', () => {
		const options = (meta.properties.find((p) => p.name === 'options')!.options as INodeProperties[]).map(
			(o) => o.name,
		);
		expect(options.indexOf('limitedDataUse')).toBeLessThan(options.indexOf('lduCountry'));
		expect(options.indexOf('limitedDataUse')).toBeLessThan(options.indexOf('lduState'));
	});

	it("keeps its Options collection in display-name order (n8n's lint)", () => {
		const names = (meta.properties.find((p) => p.name === 'options')!.options as INodeProperties[]).map(
			(o) => o.displayName,
		);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});
});

describe('credentials', () => {
	const byType = Object.fromEntries(shippedCredentials().map((c) => [c.name, c.displayName]));

	it('keep their internal names (saved workflows refer to them)', () => {
		expect(Object.keys(byType).sort()).toEqual([
			'chatwootWebhookApi',
			'conversionRelayApi',
			'hubSpotRelayApi',
			'hubSpotWebhookApi',
			'metaConversionRelayApi',
			'shopifyRelayApi',
		]);
	});

	it("tell Meta's own API from the relay service's", () => {
		expect(byType.metaConversionRelayApi).toBe('Meta Graph API');
		expect(byType.conversionRelayApi).toBe('Conversion Relay Service API');
		expect(byType.metaConversionRelayApi).not.toMatch(/Relay/);
		expect(new Set(Object.values(byType)).size).toBe(Object.keys(byType).length);
	});
});

describe('shipped workflows', () => {
	it('name a HubSpot node after the operation it runs', () => {
		for (const file of workflowFiles()) {
			for (const n of readWorkflow(file).nodes.filter((n) => n.type.endsWith('.hubSpotRelay'))) {
				if (/upsert/i.test(n.name)) expect([file, n.name, n.parameters.operation]).toEqual([file, n.name, 'upsert']);
				if (/record/i.test(n.name))
					expect([file, n.name, n.parameters.operation]).toEqual([file, n.name, 'recordPurchase']);
			}
		}
	});
});
