/**
 * The package in n8n's editor, as a person sees it: a real n8n 2.40 (`n8n start`, the package
 * installed as a community package), Debian's Chromium driven by playwright-core, logged in as the
 * owner. For every node: found in the nodes panel by a word a user would type, added, every
 * Resource → Operation chosen in its panel, and every parameter its description shows for that
 * operation (and for each value of the parameters others depend on) must be in the panel, with the
 * fields the docs name. For every credential: its form, field by field. For every shipped
 * workflow: imported and opened, with no node n8n does not know. Screenshots of every panel go
 * to test/e2e/editor/screenshots/ (the last run's only).
 *
 * Each test collects what it finds wrong and fails once with the whole list, so one run shows
 * every problem and every panel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	addNode,
	choose,
	closeNdv,
	closeNodeCreator,
	collectionOptions,
	controllers,
	credentialDescriptions,
	creatorName,
	expectedProperties,
	goHome,
	labelNames,
	missingFrom,
	nodeDescriptions,
	operations,
	operationValues,
	PANEL_VIEWPORT,
	sameAction,
	SCREENSHOTS,
	searchNodes,
	settle,
	shown as displayed,
	shownIn,
	startEditor,
	toggle,
	triggerActions,
	valuesWith,
	type Editor,
	type NodeDescription,
	type Operation,
	type Property,
	type Shown,
} from '../../support/editor';
import type { Locator } from 'playwright-core';
import { readWorkflow, workflowFiles } from '../../support/workflowFiles';

const ROOT = join(__dirname, '../../..');
const nodes = nodeDescriptions();
const credentials = credentialDescriptions();
const byName = (name: string) => {
	const d = nodes.find((n) => n.name === name);
	if (!d) throw new Error(`no node ${name} in package.json's n8n.nodes`);
	return d;
};

/** The word a user would type to find each node. */
const SEARCH_WORD: Record<string, string> = {
	shopifyRelayTrigger: 'Shopify',
	metaConversionsApi: 'Meta',
	conversionRelay: 'Conversion Relay',
	metaCustomAudiences: 'Custom Audience',
	hubSpotRelay: 'HubSpot',
	shopifyRelay: 'Shopify',
};
/** What each word must find in the nodes panel (node names; shown under their display names). */
const SEARCH_FINDS: Record<string, string[]> = {
	Meta: ['metaConversionsApi', 'metaCustomAudiences'],
	Facebook: ['metaConversionsApi', 'metaCustomAudiences'],
	Shopify: ['shopifyRelay', 'shopifyRelayTrigger'],
	HubSpot: ['hubSpotRelay'],
	'Conversion Relay': ['conversionRelay'],
	'Custom Audience': ['metaCustomAudiences'],
};

/**
 * The fields the docs name, per node and operation (`when`: in the panel once that parameter has
 * that value). "A → B": option B of collection A. Each name must still be in its doc (checked
 * below), so this list follows the docs.
 */
interface DocFields {
	node: string;
	resource?: string;
	operation?: string;
	when?: Record<string, unknown>;
	doc: string;
	fields: string[];
}
const EVENT_FIELDS = [
	'Map Fields',
	'Event Name',
	'Action Source',
	'Event Time',
	'Event ID',
	'Event Source URL',
	'Customer Information',
	'Custom Data',
];
const DOC_FIELDS: DocFields[] = [
	{
		node: 'metaConversionsApi',
		resource: 'event',
		operation: 'send',
		doc: 'docs/nodes/meta-conversions-api.md',
		fields: [
			'Delivery',
			...EVENT_FIELDS,
			'Options → Limited Data Use',
			'Customer Information → Lead ID',
			'Custom Data → Event Source',
			'Custom Data → Lead Event Source',
		],
	},
	{
		node: 'metaConversionsApi',
		resource: 'dataset',
		operation: 'getQuality',
		doc: 'docs/nodes/meta-conversions-api.md',
		fields: ['Dataset ID', 'Options → Agent Name'],
	},
	{
		node: 'metaConversionsApi',
		resource: 'event',
		operation: 'send',
		doc: 'README.md',
		fields: ['Customer Information → Email', 'Custom Data → Value', 'Custom Data → Currency'],
	},
	{
		node: 'conversionRelay',
		resource: 'event',
		operation: 'send',
		doc: 'docs/nodes/meta-conversions-api.md',
		fields: EVENT_FIELDS,
	},
	{ node: 'conversionRelay', resource: 'event', operation: 'list', doc: 'README.md', fields: ['Status'] },
	{
		node: 'conversionRelay',
		resource: 'job',
		operation: 'list',
		doc: 'README.md',
		fields: ['State', 'Return All', 'Limit'],
	},
	{
		node: 'conversionRelay',
		resource: 'webhook',
		operation: 'verifySignature',
		doc: 'README.md',
		fields: ['Source', 'Options → Maximum Age'],
	},
	{
		node: 'conversionRelay',
		resource: 'webhook',
		operation: 'verifySignature',
		when: { source: 'hubspot' },
		doc: 'README.md',
		fields: ['Webhook URL'],
	},
	{
		node: 'shopifyRelayTrigger',
		doc: 'docs/nodes/shopify-trigger.md',
		fields: [
			'Trigger On',
			'Options → Ready-Made Views',
			'Options → Hash User Data',
			'Options → Order Value',
			'Options → Event ID Template',
			'Options → Content ID',
		],
	},
	{
		node: 'metaCustomAudiences',
		resource: 'audience',
		operation: 'create',
		doc: 'docs/nodes/meta-custom-audiences.md',
		fields: ['Ad Account ID', 'Name', 'Description'],
	},
	{
		node: 'metaCustomAudiences',
		resource: 'audience',
		operation: 'get',
		doc: 'docs/nodes/meta-custom-audiences.md',
		fields: ['Fields'],
	},
	{
		node: 'metaCustomAudiences',
		resource: 'audience',
		operation: 'list',
		doc: 'docs/nodes/meta-custom-audiences.md',
		fields: ['Ad Account ID', 'Return All', 'Limit'],
	},
	...['add', 'remove', 'replace'].map((operation) => ({
		node: 'metaCustomAudiences',
		resource: 'users',
		operation,
		doc: 'docs/nodes/meta-custom-audiences.md',
		fields: [
			'Audience ID',
			'Schema',
			'Customer Information',
			'Customer Information → Email',
			'Customer Information → Phone',
			'Customer Information → Country',
			'Customer Information → Mobile Advertiser ID',
			'Customer Information → External ID',
			'Options → Batch Size',
		],
	})),
	{
		node: 'hubSpotRelay',
		resource: 'contact',
		operation: 'upsert',
		doc: 'docs/nodes/hubspot.md',
		fields: ['Properties'],
	},
	{
		node: 'hubSpotRelay',
		resource: 'contact',
		operation: 'get',
		doc: 'docs/nodes/hubspot.md',
		fields: ['Properties to Return'],
	},
	{
		node: 'hubSpotRelay',
		resource: 'contact',
		operation: 'search',
		doc: 'docs/nodes/hubspot.md',
		fields: ['Return All', 'Limit'],
	},
	{
		node: 'hubSpotRelay',
		resource: 'contact',
		operation: 'recordPurchase',
		doc: 'docs/nodes/hubspot.md',
		fields: ['Write Contact Details', 'Keep Later Totals'],
	},
	{
		node: 'hubSpotRelay',
		resource: 'contact',
		operation: 'recordPurchase',
		doc: 'docs/nodes/shopify.md',
		fields: ['Record Type'],
	},
	{
		node: 'hubSpotRelay',
		resource: 'deal',
		operation: 'upsertFromOrder',
		doc: 'docs/nodes/hubspot.md',
		fields: ['Pipeline ID', 'Deal Stage ID', 'Shopify Order', 'Options → Write Purchase Totals to Contact'],
	},
	{
		node: 'shopifyRelay',
		resource: 'customer',
		operation: 'getAll',
		doc: 'docs/nodes/shopify.md',
		fields: ['Return All', 'Limit', 'Simplify', 'Options → Search Query'],
	},
	{ node: 'shopifyRelay', resource: 'customer', operation: 'get', doc: 'docs/nodes/shopify.md', fields: ['Simplify'] },
	{ node: 'shopifyRelay', resource: 'order', operation: 'get', doc: 'docs/nodes/shopify.md', fields: ['Simplify'] },
];
/** The credential fields the docs name (`when`: once that field has that value). */
const CREDENTIAL_DOC_FIELDS: Array<{
	credential: string;
	when?: Record<string, unknown>;
	doc: string;
	fields: string[];
}> = [
	{
		credential: 'metaConversionRelayApi',
		doc: 'README.md',
		fields: ['Access Token', 'App Secret', 'Graph API Version', 'Base URL'],
	},
	{ credential: 'conversionRelayApi', doc: 'README.md', fields: ['Base URL', 'API Secret'] },
	{
		credential: 'shopifyRelayApi',
		doc: 'docs/nodes/shopify-trigger.md',
		fields: ['Shop Domain', 'API Version', 'Authentication', 'Client Secret', 'Base URL'],
	},
	{
		credential: 'shopifyRelayApi',
		when: { authMethod: 'accessToken' },
		doc: 'docs/nodes/shopify-trigger.md',
		fields: ['Access Token'],
	},
	{
		credential: 'shopifyRelayApi',
		when: { authMethod: 'clientCredentials' },
		doc: 'docs/nodes/shopify-trigger.md',
		fields: ['Client ID', 'Client Secret'],
	},
	{ credential: 'hubSpotRelayApi', doc: 'docs/nodes/hubspot.md', fields: ['Access Token', 'Base URL'] },
	{ credential: 'chatwootWebhookApi', doc: 'README.md', fields: ['Webhook Secret'] },
	{ credential: 'hubSpotWebhookApi', doc: 'README.md', fields: ['Client Secret'] },
];

const docText = (file: string) => readFileSync(join(ROOT, file), 'utf8').replace(/\s+/g, ' ').toLowerCase();
/** An entry applies to a panel in this state: one without `when` to the operation's defaults, one with it once its values hold. */
const applies = (entry: { when?: Record<string, unknown> }, values: Record<string, unknown>, isDefault: boolean) =>
	entry.when ? Object.entries(entry.when).every(([k, v]) => values[k] === v) : isDefault;
/**
 * The values of controller `c` worth choosing: one for each different set of parameters and
 * credentials it makes the panel show (every value of a mode selector such as Delivery).
 */
function otherValues(
	d: NodeDescription,
	op: Operation,
	c: Property,
	values: Record<string, unknown>,
): Array<{ name: string; value: unknown }> {
	const all =
		c.type === 'boolean'
			? [true, false].map((v) => ({ name: String(v), value: v }))
			: (c.options ?? []).map((o) => ({ name: o.name, value: o.value }));
	const signature = (value: unknown) => {
		const v = valuesWith(d.properties, { ...operationValues(d, op), [c.name]: value });
		return [
			...expectedProperties(d.properties, v).map((p) => p.name),
			'|',
			...(d.credentials ?? []).filter((x) => displayed(x.displayOptions, v)).map((x) => x.name),
		].join(',');
	};
	const seen = new Set([signature(values[c.name])]);
	return all.filter((o) => {
		if (o.value === values[c.name]) return false;
		if (c.noDataExpression) return true;
		const s = signature(o.value);
		if (seen.has(s)) return false;
		seen.add(s);
		return true;
	});
}
const slug = (s: unknown) => String(s).replace(/[^\w-]+/g, '_');
const report = (problems: string[], shots: string[]) => {
	console.log(
		`${shots.length} screenshots in ${SCREENSHOTS}:\n  ${shots.join('\n  ')}${problems.length ? `\nProblems:\n  ${problems.join('\n  ')}` : ''}`,
	);
};

describe('the doc-named fields the editor suite checks', () => {
	it('are still named in their docs', () => {
		const absent: string[] = [];
		for (const entry of [...DOC_FIELDS, ...CREDENTIAL_DOC_FIELDS]) {
			const text = docText(entry.doc);
			// "A → B": the docs name B (A is where the panel puts it).
			for (const field of entry.fields) {
				const named = field.split(' → ').pop() ?? field;
				if (!text.includes(named.toLowerCase())) absent.push(`${entry.doc}: "${named}"`);
			}
		}
		expect(absent).toEqual([]);
	});

	it('name nodes, operations and parameters the package has', () => {
		const unknown: string[] = [];
		for (const entry of DOC_FIELDS) {
			const d = byName(entry.node);
			const ops = operations(d);
			if (!ops.some((o) => o.resource?.value === entry.resource && o.operation?.value === entry.operation))
				unknown.push(`${entry.node} ${entry.resource}/${entry.operation}`);
			for (const key of Object.keys(entry.when ?? {}))
				if (!d.properties.some((p) => p.name === key)) unknown.push(`${entry.node}: ${key}`);
		}
		for (const entry of CREDENTIAL_DOC_FIELDS)
			if (!credentials.some((c) => c.name === entry.credential)) unknown.push(entry.credential);
		expect(unknown).toEqual([]);
	});
});

describe('n8n editor (real n8n 2.x, Chromium)', () => {
	let editor: Editor;
	const allShots: string[] = [];

	// A node of a package that is not installed: what the workflow checks must see.
	const CONTROL = 'Unknown node control (editor suite)';

	beforeAll(async () => {
		// The shipped workflows as a person imports them (the editor's REST API), before the browser
		// logs in, so the overview lists them.
		editor = await startEditor(async (rest) => {
			for (const file of workflowFiles()) {
				const wf = readWorkflow(file);
				await rest('POST', '/workflows', {
					name: wf.name,
					nodes: wf.nodes,
					connections: wf.connections,
					settings: wf.settings ?? {},
					pinData: wf.pinData ?? {},
				});
			}
			await rest('POST', '/workflows', {
				name: CONTROL,
				nodes: [
					{
						id: 'ghost',
						name: 'Ghost',
						type: 'n8n-nodes-not-installed.ghost',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
				],
				connections: {},
				settings: {},
			});
		});
		console.log(`editor at ${editor.server.url}; screenshots go to ${SCREENSHOTS}`);
	}, 45 * 60_000);

	afterAll(async () => {
		await editor?.close();
		console.log(`${allShots.length} screenshots of the editor in ${SCREENSHOTS}`);
	}, 120_000);

	/** A snapshot of `scope` once it shows `expected` (or after a few seconds), with what it lacks. */
	const look = async (scope: Locator, expected: Property[]) => {
		let shown: Shown = await shownIn(scope);
		const missing = await settle(async () => {
			shown = await shownIn(scope);
			return missingFrom(shown, expected);
		});
		return { shown, missing };
	};

	const shot = async (name: string, scope?: Locator) => {
		const file = await editor.shot(name, scope);
		allShots.push(file);
		return file;
	};

	describe('credentials: Credentials → Create credential → search its name', () => {
		it.each(credentials.map((c) => [c.displayName, c] as const))(
			'%s: the form shows its fields',
			async (_, c) => {
				const { page } = editor;
				const problems: string[] = [];
				const shots: string[] = [];
				await goHome(page);
				await page.getByTestId('tab-CredentialsView').click();
				await page.getByTestId('add-resource-credential').click();
				await page.getByTestId('new-credential-type-select').locator('input').fill(c.displayName);
				const option = page
					.getByTestId('new-credential-type-select-option')
					.filter({ hasText: new RegExp(`^\\s*${c.displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) });
				await option
					.first()
					.waitFor({ timeout: 10_000 })
					.catch(() => undefined);
				if ((await option.count()) === 0) {
					problems.push(
						`searching "${c.displayName}" in Create credential does not list it (lists: ${(await page.getByTestId('new-credential-type-select-option').allInnerTexts()).join(', ')})`,
					);
					shots.push(await shot(`credential-${c.name}-search`));
					await page.keyboard.press('Escape');
					report(problems, shots);
					expect(problems).toEqual([]);
					return;
				}
				await option.first().click();
				await page.getByTestId('new-credential-type-button').click();
				const dialog = page.getByTestId('credential-edit-dialog');
				await dialog.getByTestId('credential-connection-parameter').first().waitFor();

				const check = async (values: Record<string, unknown>, label: string, suffix: string) => {
					const expected = expectedProperties(c.properties, values);
					const { shown, missing } = await look(dialog, expected);
					if (missing.length) problems.push(`${c.displayName}${label}: the form lacks ${missing.join(', ')}`);
					const labels = shown.labels.map((l) => l.text);
					for (const entry of CREDENTIAL_DOC_FIELDS.filter(
						(e) => e.credential === c.name && applies(e, values, label === ''),
					))
						for (const field of entry.fields)
							if (!labels.some((l) => labelNames(l, field)))
								problems.push(
									`${c.displayName}${label}: no field "${field}" (${entry.doc} names it); labels: ${labels.join(', ')}`,
								);
					shots.push(await shot(`credential-${c.name}${suffix}`, dialog));
				};
				const defaults = valuesWith(c.properties, {});
				await check(defaults, '', '');
				for (const p of controllers(c.properties, defaults)) {
					for (const o of (p.options ?? []).filter((o) => o.value !== defaults[p.name])) {
						await choose(page, dialog, p.name, o.name);
						await check(
							valuesWith(c.properties, { [p.name]: o.value }),
							` (${p.displayName}: ${o.name})`,
							`-${p.name}=${slug(o.value)}`,
						);
					}
				}
				await page.getByTestId('editCredential-modal').getByRole('button', { name: 'Close this dialog' }).click();
				await dialog.waitFor({ state: 'hidden' });
				report(problems, shots);
				expect(problems).toEqual([]);
			},
			300_000,
		);
	});

	describe('shipped workflows, imported and opened in the editor', () => {
		const open = async (name: string) => {
			const { page } = editor;
			await goHome(page);
			await page.getByTestId('tab-WorkflowsView').click();
			await page.getByTestId('resources-list-item-workflow').filter({ hasText: name }).first().click();
			await page.getByTestId('canvas-wrapper').waitFor();
		};
		/** The canvas' nodes that n8n marks as not installed, and whether its panel says so. */
		const unknownNodes = async () =>
			editor.page
				.locator('[data-test-id="canvas-node"]')
				.filter({ has: editor.page.getByTestId('node-not-installed') })
				.evaluateAll((els) =>
					els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-node-name')),
				);
		const NOT_INSTALLED = /not currently installed|install this node/i;

		it('a node n8n does not know is seen (the check below works)', async () => {
			await open(CONTROL);
			await editor.page.locator('[data-test-id="canvas-node"][data-node-name="Ghost"]').waitFor();
			expect(await unknownNodes()).toEqual(['Ghost']);
			await editor.page.locator('[data-test-id="canvas-node"][data-node-name="Ghost"]').dblclick();
			const ndv = editor.page.getByTestId('ndv');
			await ndv.waitFor();
			expect(await ndv.innerText()).toMatch(NOT_INSTALLED);
			await shot('workflow-control-unknown-node', ndv);
			await closeNdv(editor.page);
		}, 300_000);

		it.each(workflowFiles())(
			'%s: every node known, the package nodes open with their parameters',
			async (file) => {
				const { page } = editor;
				const wf = readWorkflow(file);
				const problems: string[] = [];
				const shots: string[] = [];
				await open(wf.name);
				const names = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote').map((n) => n.name);
				const onCanvas = async () =>
					page
						.locator('[data-test-id="canvas-node"]')
						.evaluateAll((els) =>
							els.map((e) =>
								(e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-node-name'),
							),
						);
				const absent = await settle(async () => {
					const there = await onCanvas();
					return names.filter((n) => !there.includes(n));
				}, 15_000);
				if (absent.length) problems.push(`${file}: not on the canvas: ${absent.join(', ')}`);
				const unknown = await unknownNodes();
				if (unknown.length) problems.push(`${file}: n8n marks as not installed: ${unknown.join(', ')}`);

				for (const node of wf.nodes.filter((n) => n.type.startsWith('n8n-nodes-conversion-relay.'))) {
					const d = nodes.find((x) => `n8n-nodes-conversion-relay.${x.name}` === node.type);
					if (!d) {
						problems.push(`${file}: node "${node.name}" is of type ${node.type}, which the package does not have`);
						continue;
					}
					await page
						.locator(`[data-test-id="canvas-node"][data-node-name="${node.name.replace(/"/g, '\\"')}"]`)
						.dblclick();
					const ndv = page.getByTestId('ndv');
					await ndv.waitFor();
					const set = Object.fromEntries(
						Object.entries(node.parameters).filter(([, v]) => typeof v !== 'object' || Array.isArray(v)),
					);
					const values = valuesWith(d.properties, {
						...set,
						'@version': (node as { typeVersion?: number }).typeVersion ?? 1,
					});
					const { shown, missing } = await look(
						ndv.getByTestId('node-parameters'),
						expectedProperties(d.properties, values),
					);
					if (NOT_INSTALLED.test(shown.text) || NOT_INSTALLED.test(await ndv.innerText()))
						problems.push(`${file}: "${node.name}" says its node is not installed`);
					if (missing.length) problems.push(`${file}: "${node.name}" (${d.displayName}) lacks ${missing.join(', ')}`);
					shots.push(await shot(`workflow-${file.replace(/\.json$/, '')}-${node.name}`, ndv));
					await closeNdv(page);
				}
				// The whole workflow, legible: a landscape window, zoomed to fit.
				await page.setViewportSize({ width: 1600, height: 1000 });
				await page.getByTestId('zoom-to-fit').click();
				await page.waitForTimeout(500);
				shots.push(await shot(`workflow-${file.replace(/\.json$/, '')}`));
				await page.setViewportSize(PANEL_VIEWPORT);
				report(problems, shots);
				expect(problems).toEqual([]);
			},
			300_000,
		);
	});

	describe('nodes: added from the nodes panel, every Resource → Operation', () => {
		beforeAll(async () => {
			const { page } = editor;
			await goHome(page);
			await page.getByTestId('tab-WorkflowsView').click();
			await page.getByTestId('add-resource-workflow').click();
			await page.getByTestId('canvas-add-button').waitFor();
		}, 120_000);

		it.each(Object.entries(SEARCH_FINDS))(
			'searching "%s" in the nodes panel finds its nodes',
			async (word, wanted) => {
				const names = await searchNodes(editor.page, word);
				const lacking = wanted.map(byName).filter((d) => !names.includes(creatorName(d, nodes)));
				await shot(`search-${slug(word)}`, editor.page.getByTestId('node-creator'));
				await closeNodeCreator(editor.page);
				expect({
					word,
					lacking: lacking.map((d) => `${creatorName(d, nodes)} (${d.name})`),
					listed: lacking.length ? names : [],
				}).toEqual({ word, lacking: [], listed: [] });
			},
			120_000,
		);

		// The trigger first: on an empty canvas the nodes panel offers triggers first.
		const order = ['shopifyRelayTrigger', ...nodes.map((n) => n.name).filter((n) => n !== 'shopifyRelayTrigger')];

		it.each(order.map((n) => [byName(n).displayName, byName(n)] as const))(
			'%s: every operation shows its parameters',
			async (_, d: NodeDescription) => {
				const { page } = editor;
				const word = SEARCH_WORD[d.name] ?? d.displayName;
				const problems: string[] = [];
				const shots: string[] = [];
				const ops = operations(d);
				const ndv = page.getByTestId('ndv');
				const params = ndv.getByTestId('node-parameters');
				const nestedSeen = new Map<string, string[]>();

				await closeNdv(page);
				await closeNodeCreator(page);
				const added = await addNode(page, word, d, nodes, ops[0].action);
				problems.push(...added.problems);
				// Every operation (a trigger: every event) is an action of the node's entry.
				const actions = (d.group?.includes('trigger') ? triggerActions(d) : ops).map((o) => o.action);
				for (const a of actions)
					if (added.actions.length && !added.actions.some((l) => sameAction(l, a)))
						problems.push(
							`${creatorName(d, nodes)} in the nodes panel lists no action "${a}" (it lists: ${added.actions.join(', ')})`,
						);
				if (added.problems.length) {
					shots.push(await shot(`node-${d.name}-nodes-panel`));
					report(problems, shots);
					expect(problems).toEqual([]);
					return;
				}

				/** Checks the open panel against the description for these values; `label` names the state, `changed` the parameter set away from its default. */
				const check = async (op: Operation, values: Record<string, unknown>, label: string, changed?: string) => {
					const isDefault = changed === undefined;
					const expected = expectedProperties(d.properties, values);
					const { shown, missing } = await look(params, expected);
					if (missing.length) problems.push(`${d.displayName} ${label}: the panel lacks ${missing.join(', ')}`);
					const credentialsShown = (d.credentials ?? []).filter((c) => displayed(c.displayOptions, values)).length;
					if (shown.credentialSlots !== credentialsShown)
						problems.push(
							`${d.displayName} ${label}: the panel shows ${shown.credentialSlots} credential fields, the description ${credentialsShown}`,
						);
					const labels = shown.labels.map((l) => l.text);
					for (const entry of DOC_FIELDS.filter(
						(e) =>
							e.node === d.name &&
							e.resource === op.resource?.value &&
							e.operation === op.operation?.value &&
							applies(e, values, isDefault),
					))
						for (const field of entry.fields.filter((f) => !f.includes(' → ')))
							if (!labels.some((l) => labelNames(l, field)))
								problems.push(`${d.displayName} ${label}: no field "${field}" (${entry.doc} names it)`);
					shots.push(
						await shot(
							`node-${d.name}${op.resource ? `-${slug(op.resource.value)}-${slug(op.operation?.value)}` : `-${slug(op.action)}`}${changed ? `-${changed}=${slug(values[changed])}` : ''}`,
							ndv,
						),
					);
					return expected;
				};
				/** Collections' "Add Option" lists, and the doc-named options in them. */
				const checkNested = async (op: Operation, expected: Property[], label: string) => {
					for (const p of expected.filter((x) => x.type === 'collection')) {
						const key = `${p.name}:${(p.options ?? []).map((o) => o.displayName ?? o.name).join('|')}`;
						let offered = nestedSeen.get(key);
						if (!offered) {
							offered = await collectionOptions(page, params, p.name);
							if (!offered) {
								problems.push(`${d.displayName} ${label}: ${p.displayName} has no "Add" list`);
								continue;
							}
							nestedSeen.set(key, offered);
							const lacking = (p.options ?? [])
								.map((o) => o.displayName ?? o.name)
								.filter((n) => !offered?.includes(n));
							if (lacking.length)
								problems.push(`${d.displayName} ${label}: ${p.displayName} does not offer ${lacking.join(', ')}`);
						}
						for (const entry of DOC_FIELDS.filter(
							(e) => e.node === d.name && e.resource === op.resource?.value && e.operation === op.operation?.value,
						))
							for (const field of entry.fields.filter((f) => f.startsWith(`${p.displayName} → `))) {
								const option = field.split(' → ')[1];
								if (!offered.some((o) => labelNames(o, option)))
									problems.push(
										`${d.displayName} ${label}: ${p.displayName} does not offer "${option}" (${entry.doc} names it)`,
									);
							}
					}
				};

				/** Opens operation `i` in the panel (`true`), as a person does: chosen in its selectors, or where the panel has none, added anew from the nodes panel. */
				const reach = async (i: number): Promise<boolean> => {
					if (i === 0) return true;
					const op = ops[i];
					const prev = ops[i - 1];
					const canChoose = async (name: string) => (await shownIn(params)).testIds.includes(`parameter-input-${name}`);
					const resourceChanges = !!op.resource && op.resource.value !== prev.resource?.value;
					if (resourceChanges && (await canChoose('resource')))
						await choose(page, params, 'resource', op.resource?.name ?? '');
					else if (resourceChanges) return addAgain(op);
					if (op.operation && (await canChoose('operation'))) {
						await choose(page, params, 'operation', op.operation.name);
						return true;
					}
					return addAgain(op);
				};
				const addAgain = async (op: Operation) => {
					await closeNdv(page);
					const again = await addNode(page, word, d, nodes, op.action);
					problems.push(...again.problems);
					return again.problems.length === 0;
				};

				for (const [i, op] of ops.entries()) {
					const label = op.resource ? `${op.resource.name} → ${op.operation?.name}` : `"${op.action}"`;
					try {
						if (!(await reach(i))) continue;
						const values = valuesWith(d.properties, operationValues(d, op));
						const expected = await check(op, values, label);
						await checkNested(op, expected, label);
						// Each value of the parameters others depend on, then back to the default.
						for (const c of controllers(d.properties, values, d.credentials)) {
							if (!(await shownIn(params)).testIds.includes(`parameter-input-${c.name}`)) continue; // reported as missing above
							for (const o of otherValues(d, op, c, values)) {
								if (c.type === 'boolean') await toggle(params, c.name);
								else await choose(page, params, c.name, o.name);
								const state = valuesWith(d.properties, { ...operationValues(d, op), [c.name]: o.value });
								await check(op, state, `${label} (${c.displayName}: ${o.name})`, c.name);
							}
							if (c.type === 'boolean') await toggle(params, c.name);
							else
								await choose(
									page,
									params,
									c.name,
									(c.options ?? []).find((o) => o.value === values[c.name])?.name ?? '',
								);
						}
					} catch (error) {
						problems.push(`${d.displayName} ${label}: ${(error as Error).message.split('\n')[0]}`);
						shots.push(
							await shot(`node-${d.name}-${slug(op.resource?.value ?? '')}-${slug(op.operation?.value ?? '')}-error`),
						);
						await page.keyboard.press('Escape');
					}
				}
				await closeNdv(page);
				report(problems, shots);
				expect(problems).toEqual([]);
			},
			600_000,
		);
	});
});
