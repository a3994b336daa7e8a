/**
 * What n8n's editor shows in a node's panel. The editor takes every node parameter that a
 * credential's displayOptions depend on as an "auth field"; when one of them is the main auth
 * field (named `authentication`, or one whose every option picks a credential), it hides that
 * parameter and every parameter named in the auth fields' own displayOptions, and offers the
 * choice in the credential dialog instead. Resource, Operation (Conversion Relay) and Delivery
 * (Meta Conversions API) disappeared from the panel that way.
 *
 * The functions below are n8n 2.40.7's, transcribed (packages/frontend/editor-ui:
 * src/app/utils/nodeTypesUtils.ts getNodeAuthFields, findAlternativeAuthField,
 * getMainAuthField, isAuthRelatedParameter; the check in
 * src/features/ndv/settings/composables/useNodeSettingsParameters.ts shouldDisplayNodeParameter).
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { CREDENTIAL_NAMES } from '../../../nodes/shared/credentials';
import { shippedCredentials, shippedNodes } from './packageNodes';

function getNodeAuthFields(nodeType: INodeTypeDescription): INodeProperties[] {
	const fields: INodeProperties[] = [];
	for (const cred of nodeType.credentials ?? []) {
		for (const option of Object.keys(cred.displayOptions?.show ?? {})) {
			for (const field of nodeType.properties.filter((p) => p.name === option))
				if (!fields.includes(field)) fields.push(field);
		}
	}
	return fields;
}

function findAlternativeAuthField(nodeType: INodeTypeDescription, fields: INodeProperties[]): INodeProperties | null {
	const used: Record<string, string[]> = {};
	for (const cred of nodeType.credentials ?? []) {
		for (const [name, values] of Object.entries(cred.displayOptions?.show ?? {}))
			used[name] = (used[name] ?? []).concat((values ?? []).map((v) => (v ? String(v) : '')));
	}
	return (
		fields.find(
			(f) =>
				f.options?.length &&
				f.options.every((o) => !('value' in o) || typeof o.value !== 'string' || used[f.name].includes(o.value)),
		) ?? null
	);
}

function getMainAuthField(nodeType: INodeTypeDescription): INodeProperties | null {
	const fields = getNodeAuthFields(nodeType);
	const authentication = fields.find(
		(p) => p.name === 'authentication' && !p.options?.find((o) => 'value' in o && o.value === 'none'),
	);
	return authentication ?? findAlternativeAuthField(nodeType, fields);
}

const isAuthRelatedParameter = (fields: INodeProperties[], parameter: INodeProperties) =>
	fields.some((f) => f.displayOptions?.show !== undefined && parameter.name in f.displayOptions.show);

/** The parameters the editor never shows in the panel of this node (shouldDisplayNodeParameter). */
function movedOutOfThePanel(nodeType: INodeTypeDescription): string[] {
	const main = getMainAuthField(nodeType);
	if (!main) return [];
	const fields = getNodeAuthFields(nodeType);
	return [
		...new Set(
			nodeType.properties.filter((p) => p.name === main.name || isAuthRelatedParameter(fields, p)).map((p) => p.name),
		),
	];
}

const nodes = shippedNodes();

describe.each(nodes.map((n) => [n.description.displayName, n] as const))("%s in n8n's editor", (_name, node) => {
	it("has no parameter that a credential's displayOptions depend on, unless it is named authentication", () => {
		const names = new Set(node.description.properties.map((p) => p.name));
		for (const cred of node.description.credentials ?? []) {
			const keys = [...Object.keys(cred.displayOptions?.show ?? {}), ...Object.keys(cred.displayOptions?.hide ?? {})];
			expect({ credential: cred.name, dependsOn: keys.filter((k) => names.has(k) && k !== 'authentication') }).toEqual({
				credential: cred.name,
				dependsOn: [],
			});
		}
	});

	it('keeps every parameter in the panel (at most an authentication choice moves to the credential dialog)', () => {
		expect(movedOutOfThePanel(node.description).filter((name) => name !== 'authentication')).toEqual([]);
	});
});

describe("the transcription of n8n's rule", () => {
	// The shape that hid the parameters before: a credential per resource and per source (the relay
	// service's for every resource that calls it, Sync Job since it exists).
	const before = {
		...nodes.find((n) => n.description.name === 'conversionRelay')!.description,
		credentials: [
			{ name: 'conversionRelayApi', required: true, displayOptions: { show: { resource: ['event', 'job'] } } },
			{
				name: 'chatwootWebhookApi',
				required: true,
				displayOptions: { show: { resource: ['webhook'], source: ['chatwoot'] } },
			},
			{
				name: 'hubSpotWebhookApi',
				required: true,
				displayOptions: { show: { resource: ['webhook'], source: ['hubspot'] } },
			},
		],
	} as INodeTypeDescription;

	it('hides Resource and Operation of the Conversion Relay node as it was', () => {
		expect(movedOutOfThePanel(before)).toEqual(['resource', 'operation']);
	});

	it('hides Delivery of the Meta Conversions API node as it was', () => {
		const meta = nodes.find((n) => n.description.name === 'metaConversionsApi')!.description;
		const withDelivery = {
			...meta,
			// Delivery was shown for every resource then (it is for Event only since Dataset exists).
			properties: meta.properties.map((p) => (p.name === 'delivery' ? { ...p, displayOptions: undefined } : p)),
			credentials: [
				{ name: 'metaConversionRelayApi', required: true, displayOptions: { show: { delivery: ['direct'] } } },
				{ name: 'conversionRelayApi', required: true, displayOptions: { show: { delivery: ['relay'] } } },
			],
		} as INodeTypeDescription;
		expect(movedOutOfThePanel(withDelivery)).toEqual(['delivery']);
	});
});

describe('credentials offered side by side', () => {
	it('are named in errors as n8n names them', () => {
		const byType = Object.fromEntries(shippedCredentials().map((c) => [c.name, c.displayName]));
		for (const [type, name] of Object.entries(CREDENTIAL_NAMES)) expect([type, name]).toEqual([type, byType[type]]);
	});

	it('are each offered by the nodes that use them, none required', () => {
		for (const name of ['conversionRelay', 'metaConversionsApi']) {
			const creds = nodes.find((n) => n.description.name === name)!.description.credentials ?? [];
			expect(creds.length).toBeGreaterThan(1);
			for (const cred of creds)
				expect([cred.name, cred.required ?? false, cred.displayOptions]).toEqual([cred.name, false, undefined]);
		}
	});
});
