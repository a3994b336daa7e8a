/**
 * n8n's editor in Debian's Chromium, driven by playwright-core: the real n8n of the e2e suites
 * (`n8n start` through realN8n's serve, this package installed as a community package), its owner
 * created through the REST API and logged in through the sign-in page. One n8n, one browser, one
 * page: every step navigates inside the editor (a full load of the editor takes 10-15 s on the
 * test machine, it fetches every node type n8n has).
 *
 * Selectors are n8n's data-test-id attributes (packages/frontend/editor-ui, 2.40):
 * node-creator, node-creator-search-bar, node-creator-item-name, item-iterator-item, ndv,
 * node-parameters, parameter-input-<name>, fixed-collection-<name>, collection-parameter-add,
 * node-credentials-slot, canvas-node (data-node-name, data-node-type), node-not-installed,
 * add-resource-credential, new-credential-type-select, credential-edit-dialog, …
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, selectors, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM } from './chromium';
import { startRealN8n, type N8nServer, type RealN8n } from './realN8n';

selectors.setTestIdAttribute('data-test-id');

const ROOT = resolve(__dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test/e2e/editor/screenshots');

// test/support/chromium.ts's flags; Playwright gives the browser a fresh --user-data-dir of its
// own (it refuses one in args) and removes it when the browser closes.
const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Tall enough that a node's whole parameter panel fits in its screenshot. */
export const PANEL_VIEWPORT = { width: 1400, height: 1800 };

const OWNER = { email: 'owner@e2e.example', firstName: 'E2e', lastName: 'Owner', password: 'E2e-Owner-Passw0rd' };
const BROWSER_ID = 'editor-suite-rest';

// ---------------------------------------------------------------------------------------------
// The package's descriptions, as n8n loads them (dist/)

export interface Option {
	name: string;
	value: unknown;
	action?: string;
	displayName?: string;
	displayOptions?: DisplayOptions;
	values?: Property[];
}
export interface DisplayOptions {
	show?: Record<string, unknown[]>;
	hide?: Record<string, unknown[]>;
}
export interface Property {
	name: string;
	displayName: string;
	type: string;
	default?: unknown;
	options?: Option[];
	displayOptions?: DisplayOptions;
	noDataExpression?: boolean;
}
export interface NodeDescription {
	name: string;
	displayName: string;
	group?: string[];
	version: number | number[];
	defaultVersion?: number;
	credentials?: Array<{ name: string; required?: boolean; displayOptions?: DisplayOptions }>;
	properties: Property[];
}
export interface CredentialDescription {
	name: string;
	displayName: string;
	properties: Property[];
}

interface PackageJson {
	n8n: { nodes: string[]; credentials: string[] };
}
const pkg = (): PackageJson => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
/** The built class at a path package.json gives (dist/…), loaded the way n8n's loader does. */
function instance<T>(file: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(join(ROOT, file)) as Record<string, new () => T>;
	const Class = Object.values(mod)[0];
	return new Class();
}
export const nodeDescriptions = (): NodeDescription[] =>
	pkg().n8n.nodes.map((f) => instance<{ description: NodeDescription }>(f).description);
export const credentialDescriptions = (): CredentialDescription[] =>
	pkg().n8n.credentials.map((f) => instance<CredentialDescription>(f));

/** The version n8n gives a node placed from the nodes panel. */
export const latestVersion = (d: NodeDescription) =>
	d.defaultVersion ?? (Array.isArray(d.version) ? Math.max(...d.version) : d.version);

/** One allowed value of a displayOptions list: a value, or n8n's condition object ({ _cnd: { gte: 1.1 } }). */
function allows(allowed: unknown, value: unknown): boolean {
	const cnd = (allowed as { _cnd?: Record<string, unknown> } | null)?._cnd;
	if (!cnd || typeof allowed !== 'object') return allowed === value;
	const [op, arg] = Object.entries(cnd)[0] ?? [];
	const n = value as number;
	switch (op) {
		case 'eq':
			return value === arg;
		case 'not':
			return value !== arg;
		case 'gte':
			return n >= (arg as number);
		case 'lte':
			return n <= (arg as number);
		case 'gt':
			return n > (arg as number);
		case 'lt':
			return n < (arg as number);
		case 'between':
			return n >= (arg as { from: number }).from && n <= (arg as { to: number }).to;
		case 'exists':
			return value !== undefined && value !== null && value !== '';
		default:
			throw new Error(`displayOptions condition ${op} is not known to the editor suite`);
	}
}

/**
 * n8n's displayOptions rule: every `show` key holds one of its values, no `hide` key does (lists:
 * any element); `@version` is the node's version, given in `values['@version']`.
 */
export function shown(options: DisplayOptions | undefined, values: Record<string, unknown>): boolean {
	const holds = (key: string, allowed: unknown[]) => {
		if (!(key in values)) return false;
		const value = values[key];
		return Array.isArray(value)
			? value.some((v) => allowed.some((a) => allows(a, v)))
			: allowed.some((a) => allows(a, value));
	};
	for (const [key, allowed] of Object.entries(options?.show ?? {})) if (!holds(key, allowed)) return false;
	for (const [key, allowed] of Object.entries(options?.hide ?? {})) if (holds(key, allowed)) return false;
	return true;
}

/** The parameter values of a fresh node with these set: every other shown parameter at its default. */
export function valuesWith(properties: Property[], set: Record<string, unknown>): Record<string, unknown> {
	const values: Record<string, unknown> = { ...set };
	for (let pass = 0; pass < 3; pass++)
		for (const p of properties)
			if (!(p.name in values) && p.type !== 'notice' && shown(p.displayOptions, values)) values[p.name] = p.default;
	return values;
}

/** The parameters the panel must show for these values (hidden ones never show). */
export const expectedProperties = (properties: Property[], values: Record<string, unknown>) =>
	properties.filter((p) => p.type !== 'hidden' && shown(p.displayOptions, values));

/** Parameters other parameters (or the node's credentials) depend on, or that choose the node's mode (noDataExpression). */
export function controllers(
	properties: Property[],
	values: Record<string, unknown>,
	credentials: NodeDescription['credentials'] = [],
): Property[] {
	const keys = new Set<string>();
	for (const d of [...properties.map((p) => p.displayOptions), ...credentials.map((c) => c.displayOptions)])
		for (const k of [...Object.keys(d?.show ?? {}), ...Object.keys(d?.hide ?? {})]) keys.add(k);
	return expectedProperties(properties, values).filter(
		(p) =>
			p.name !== 'resource' &&
			p.name !== 'operation' &&
			(p.type === 'options' || p.type === 'boolean') &&
			(keys.has(p.name) || (p.type === 'options' && p.noDataExpression)),
	);
}

export interface Operation {
	resource?: Option;
	operation?: Option;
	/** What the nodes panel calls it. */
	action: string;
	/** The parameters picking that action sets (besides resource and operation). */
	set?: Record<string, unknown>;
}

/**
 * A trigger's actions as n8n's nodes panel makes them (editor-ui useActionsGeneration
 * triggersCategory): one per option of its "Event(s)" / "Trigger On" parameter, "On <option>",
 * else one "On new <name> event".
 */
export function triggerActions(d: NodeDescription): Operation[] {
	const events = d.properties.find((p) => ['event', 'events', 'trigger on'].includes(p.displayName.toLowerCase()));
	if (!events?.options) return [{ action: `On new ${d.displayName.replace('Trigger', '').trimEnd()} event` }];
	return events.options.map((o) => ({
		action: o.action ?? `On ${o.name}`,
		set: { [events.name]: events.type === 'multiOptions' ? [o.value] : o.value },
	}));
}

/**
 * Every Resource → Operation of a node, in the description's order; a trigger: the first of its
 * actions that make the panel show a different set of parameters (a topic, a privacy topic).
 */
export function operations(d: NodeDescription): Operation[] {
	const resource = d.properties.find((p) => p.name === 'resource');
	if (!resource && d.group?.includes('trigger')) {
		const seen = new Set<string>();
		return triggerActions(d).filter((a) => {
			const shows = expectedProperties(d.properties, valuesWith(d.properties, operationValues(d, a)))
				.map((p) => p.name)
				.join();
			return !seen.has(shows) && !!seen.add(shows);
		});
	}
	if (!resource) return [{ action: d.displayName }];
	return (resource.options ?? []).flatMap((r) => {
		const op = d.properties.find((p) => p.name === 'operation' && shown(p.displayOptions, { resource: r.value }));
		return (op?.options ?? []).map((o) => ({ resource: r, operation: o, action: o.action ?? `${r.name} ${o.name}` }));
	});
}
/** The parameter values picking this operation sets, with the node's version. */
export const operationValues = (d: NodeDescription, op: Operation): Record<string, unknown> => ({
	'@version': latestVersion(d),
	...(op.resource ? { resource: op.resource.value } : {}),
	...(op.operation ? { operation: op.operation.value } : {}),
	...op.set,
});

/** Action names compared as the nodes panel writes them (it changes their case). */
export const sameAction = (a: string, b: string) =>
	a
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim() ===
	b
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();

// ---------------------------------------------------------------------------------------------
// What a panel shows

/** Parameter inputs, labels, notices and credential fields that are visible in a part of the page. */
export interface Shown {
	testIds: string[];
	/** label[for] → its text without the required mark. */
	labels: Array<{ for: string | null; text: string }>;
	notices: string[];
	credentialSlots: number;
	text: string;
}

// The few DOM members the snapshot uses (the project's tsconfig has no DOM lib).
interface El {
	getAttribute(name: string): string | null;
	querySelectorAll(selector: string): ArrayLike<El>;
	querySelector(selector: string): El | null;
	innerText: string;
	checkVisibility?(): boolean;
	offsetParent: unknown;
}

export async function shownIn(scope: Locator): Promise<Shown> {
	return scope.evaluate((node) => {
		const root = node as unknown as El;
		const visible = (e: El) => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null);
		const all = (s: string) => Array.from(root.querySelectorAll(s)).filter(visible);
		const clean = (t: string) =>
			t
				.replace(/\s+/g, ' ')
				.replace(/\s*\*$/, '')
				.trim();
		return {
			testIds: all('[data-test-id]').map((e) => e.getAttribute('data-test-id') ?? ''),
			// The label's title is its first text span (after it: the Fixed / Expression switch, hints).
			labels: all('label').map((l) => ({
				for: l.getAttribute('for'),
				text: clean((l.querySelector('span') ?? l).innerText),
			})),
			notices: all('.notice').map((n) => clean(n.innerText)),
			credentialSlots: all('[data-test-id="node-credentials-slot"]').length,
			text: root.innerText,
		};
	});
}

/** What of `expected` the panel does not show, named for a person. */
export function missingFrom(shownNow: Shown, expected: Property[]): string[] {
	const missing: string[] = [];
	for (const p of expected) {
		let ok: boolean;
		if (p.type === 'notice') ok = shownNow.notices.some((n) => n.startsWith(p.displayName.slice(0, 40).trim()));
		else if (p.type === 'collection') ok = shownNow.labels.some((l) => l.for === p.name);
		else if (p.type === 'fixedCollection')
			ok = shownNow.testIds.includes(`fixed-collection-${p.name}`) || shownNow.labels.some((l) => l.for === p.name);
		else ok = shownNow.testIds.includes(`parameter-input-${p.name}`);
		if (!ok)
			missing.push(p.type === 'notice' ? `notice "${p.displayName.slice(0, 40)}…"` : `${p.displayName} (${p.name})`);
	}
	return missing;
}

/** A label as n8n shows it names the field the docs name: the same text, or it with a "(…)" after it. */
export const labelNames = (label: string, docName: string) => label === docName || label.startsWith(`${docName} (`);

// ---------------------------------------------------------------------------------------------
// The running editor

export interface Editor {
	n8n: RealN8n;
	server: N8nServer;
	browser: Browser;
	page: Page;
	/** The editor's REST API with the owner's session (not the browser's). */
	rest<T = unknown>(method: string, path: string, body?: object): Promise<T>;
	/** Writes a screenshot of this part of the page (or the page) to SCREENSHOTS; returns the file name. */
	shot(name: string, scope?: Locator): Promise<string>;
	close(): Promise<void>;
}

/** `prepare` runs with the owner's REST session before the browser logs in (workflows created then are listed at once). */
export async function startEditor(prepare?: (rest: Editor['rest']) => Promise<void>): Promise<Editor> {
	if (!existsSync(CHROMIUM))
		throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
	// The folder shows the last run only.
	mkdirSync(SCREENSHOTS, { recursive: true });
	for (const f of readdirSync(SCREENSHOTS)) if (f.endsWith('.png')) rmSync(join(SCREENSHOTS, f));

	const n8n = await startRealN8n();
	const closers: Array<() => Promise<unknown>> = [() => n8n.close()];
	const closeAll = async () => {
		for (const c of closers.reverse()) await c().catch(() => undefined);
	};
	try {
		// Chromium starts while n8n does.
		const [server, browser] = await Promise.all([
			n8n.serve(),
			chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 120_000 }),
		]);
		closers.push(
			() => server.stop(),
			() => browser.close(),
		);

		const setup = await fetch(`${server.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
			body: JSON.stringify(OWNER),
		});
		if (setup.status !== 200) throw new Error(`owner setup answered ${setup.status}: ${await setup.text()}`);
		const cookie = setup.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.join('; ');
		const rest = async <T>(method: string, path: string, body?: object): Promise<T> => {
			const r = await fetch(`${server.url}/rest${path}`, {
				method,
				headers: { cookie, 'browser-id': BROWSER_ID, ...(body ? { 'content-type': 'application/json' } : {}) },
				body: body ? JSON.stringify(body) : undefined,
			});
			const text = await r.text();
			if (r.status !== 200) throw new Error(`${method} /rest${path} answered ${r.status}: ${text.slice(0, 500)}`);
			return (JSON.parse(text) as { data: T }).data;
		};

		await prepare?.(rest);

		// Tall enough that a node's whole parameter panel fits in its screenshot.
		const context = await browser.newContext({ viewport: PANEL_VIEWPORT });
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		page.setDefaultNavigationTimeout(120_000);
		page.on('dialog', (d) => void d.accept());

		// The sign-in page, as a person logs in.
		await page.goto(`${server.url}/signin`);
		await page.locator('#emailOrLdapLoginId').fill(OWNER.email);
		await page.locator('#password').fill(OWNER.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 120_000 });

		return {
			n8n,
			server,
			browser,
			page,
			rest,
			shot: async (name, scope) => {
				const file = `${name.replace(/[^\w.=-]+/g, '_')}.png`;
				await (scope ?? page).screenshot({ path: join(SCREENSHOTS, file), timeout: 60_000 });
				return file;
			},
			close: closeAll,
		};
	} catch (error) {
		await closeAll();
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------
// Steps in the editor

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Polls `check` (an empty list means done) until it is done or `ms` have passed; returns the last answer. */
export async function settle<T>(check: () => Promise<T[]>, ms = 4_000): Promise<T[]> {
	const until = Date.now() + ms;
	for (;;) {
		const left = await check();
		if (left.length === 0 || Date.now() > until) return left;
		await new Promise((r) => setTimeout(r, 250));
	}
}

const isVisible = (l: Locator) => l.isVisible().catch(() => false);

/** Back to the overview, the way a person does (the sidebar), leaving an unsaved workflow unsaved. */
export async function goHome(page: Page): Promise<void> {
	await closeNdv(page);
	await page.getByTestId('project-home-menu-item').click();
	const leave = page.getByRole('button', { name: /leave without saving/i });
	await Promise.race([page.waitForURL(/\/home\//), leave.waitFor()]);
	if (await isVisible(leave)) await leave.click();
	await page.waitForURL(/\/home\//);
}

export async function closeNdv(page: Page): Promise<void> {
	const ndv = page.getByTestId('ndv');
	for (
		let i = 0;
		i < 3 && (await isVisible(page.locator('.el-select__popper:visible, [role=listbox]:visible').first()));
		i++
	)
		await page.keyboard.press('Escape');
	if (await isVisible(ndv)) {
		await ndv.getByTestId('ndv-close-button').click();
		await ndv.waitFor({ state: 'hidden' });
	}
}

/** Opens the nodes panel (on an empty canvas its "Add first step", else the canvas' +) and searches. */
export async function searchNodes(page: Page, word: string): Promise<string[]> {
	const creator = page.getByTestId('node-creator');
	if (!(await isVisible(creator))) {
		const first = page.getByTestId('canvas-add-button');
		await ((await isVisible(first)) ? first : page.getByTestId('node-creator-plus-button')).click();
	}
	const names = async () => (await creator.getByTestId('node-creator-item-name').allInnerTexts()).map((t) => t.trim());
	const noResults = () => isVisible(page.getByTestId('node-creator-no-results'));
	await page.getByTestId('node-creator-search-bar').waitFor();
	const before = (await names()).join('|');
	await page.getByTestId('node-creator-search-bar').fill(word);
	// The list filters as one types: wait until it answers this word (it changes), then until it holds still.
	await settle(async () => ((await names()).join('|') !== before || (await noResults()) ? [] : ['pending']), 10_000);
	let last = '';
	await settle(async () => {
		await page.waitForTimeout(250);
		const now = (await names()).join('|');
		const still = now === last;
		last = now;
		return still ? [] : ['changing'];
	}, 5_000);
	return names();
}

export async function closeNodeCreator(page: Page): Promise<void> {
	const creator = page.getByTestId('node-creator');
	if (await isVisible(creator)) {
		await page.keyboard.press('Escape');
		await creator.waitFor({ state: 'hidden' }).catch(() => undefined);
	}
}

/**
 * The name under which the nodes panel lists a node: a trigger whose type name is another node's
 * plus "Trigger" is merged into that node's entry (generateMergedNodesAndActions).
 */
export function creatorName(d: NodeDescription, all: NodeDescription[]): string {
	if (!d.group?.includes('trigger')) return d.displayName;
	const app = all.find((n) => n.name === d.name.replace('Trigger', '') && !n.group?.includes('trigger'));
	return app?.displayName ?? d.displayName;
}

/**
 * Adds a node from the nodes panel: searches `word`, opens the node's entry and picks `action`
 * (an operation's or a trigger's). Returns what went wrong (nothing: the node's panel is open) and
 * the actions and triggers the entry listed.
 */
export async function addNode(
	page: Page,
	word: string,
	d: NodeDescription,
	all: NodeDescription[],
	action: string,
): Promise<{ problems: string[]; actions: string[] }> {
	const problems: string[] = [];
	const names = await searchNodes(page, word);
	const name = creatorName(d, all);
	if (!names.includes(name))
		return {
			problems: [
				`searching "${word}" in the nodes panel does not list "${name}" (${d.displayName}); it lists: ${names.join(', ')}`,
			],
			actions: [],
		};
	const creator = page.getByTestId('node-creator');
	await creator
		.getByTestId('item-iterator-item')
		.filter({ has: page.getByTestId('node-creator-item-name').getByText(name, { exact: true }) })
		.first()
		.click();
	const ndv = page.getByTestId('ndv');
	// Either the node is added at once or its actions are listed.
	await Promise.race([ndv.waitFor(), creator.getByTestId('nodes-list-header').first().waitFor()]).catch(
		() => undefined,
	);
	let actions: string[] = [];
	if (!(await isVisible(ndv))) {
		const items = creator.getByTestId('item-iterator-item');
		const listed = async () => (await items.allInnerTexts()).map((t) => t.trim().split('\n')[0].trim());
		// Every section open ("Actions" starts collapsed on an empty canvas, "Triggers" on one with a trigger).
		for (const section of await creator.getByTestId('node-creator-category-item').all())
			if ((await section.locator('..').getAttribute('data-category-collapsed')) === 'true') await section.click();
		// A section opens with an animation: read the list until two reads a moment apart agree.
		actions = await listed();
		for (let tries = 0; tries < 10; tries++) {
			await page.waitForTimeout(200);
			const again = await listed();
			if (again.join('\n') === actions.join('\n')) break;
			actions = again;
		}
		const index = actions.findIndex((a) => sameAction(a, action));
		if (index < 0) {
			problems.push(`${name} in the nodes panel has no action "${action}" (it lists: ${actions.join(', ')})`);
			await closeNodeCreator(page);
			return { problems, actions };
		}
		// By its text, not its position: a section that opened after the list was read moves the rest.
		const byText = items.filter({ has: page.getByText(actions[index], { exact: true }) }).first();
		await ((await byText.count()) ? byText : items.nth(index)).click();
	}
	await ndv.waitFor();
	return { problems, actions };
}

/**
 * Picks `option` in the select of parameter `name` (a node's or a credential's), and checks the
 * select shows it: on a busy machine a click can land while the list still animates open, and
 * the panel keeps the old value; then it is picked once more.
 */
export async function choose(page: Page, scope: Locator, name: string, option: string): Promise<void> {
	const shown = async () =>
		(await scope
			.getByTestId(`parameter-input-${name}`)
			.locator('input')
			.first()
			.inputValue()
			.catch(() => undefined)) === option;
	for (let attempt = 1; ; attempt++) {
		await pickOnce(page, scope, name, option);
		for (let waited = 0; waited < 3_000 && !(await shown()); waited += 100) await page.waitForTimeout(100);
		// A select that shows no input (a credential's) cannot be read back: the click stands.
		const readable = (await scope.getByTestId(`parameter-input-${name}`).locator('input').count()) > 0;
		if (!readable || (await shown()) || attempt === 2) return;
	}
}

async function pickOnce(page: Page, scope: Locator, name: string, option: string): Promise<void> {
	await scope.getByTestId(`parameter-input-${name}`).click();
	const options = page.locator('[role=option]:visible');
	await options.first().waitFor({ timeout: 10_000 });
	// An option's name is its headline (its description follows), or its whole text.
	const names = await options.evaluateAll((els) =>
		els.map((e) => {
			const el = e as unknown as El;
			return (el.querySelector('.option-headline') ?? el).innerText.replace(/\s+/g, ' ').trim();
		}),
	);
	const index = names.indexOf(option);
	if (index < 0) {
		await page.keyboard.press('Escape');
		throw new Error(`${name} offers no "${option}" (it offers: ${names.join(', ')})`);
	}
	await options.nth(index).click();
	await options
		.first()
		.waitFor({ state: 'hidden', timeout: 5_000 })
		.catch(() => undefined);
}

export async function toggle(scope: Locator, name: string): Promise<void> {
	await scope.getByTestId(`parameter-input-${name}`).locator('.el-switch').click();
}

/**
 * The options a collection offers to add, as the panel offers them: its "Add Option" list, or (a
 * collection of one option, a button that adds it at once) the option it added, removed again.
 */
export async function collectionOptions(page: Page, scope: Locator, name: string): Promise<string[] | undefined> {
	const item = scope
		.getByTestId('parameter-item')
		.filter({ has: page.locator(`label[for="${name}"]`) })
		.first();
	const add = item.getByTestId('collection-parameter-add');
	if (!(await isVisible(add))) return undefined;
	const inner = async () =>
		(
			await item
				.locator('label[for]')
				.evaluateAll((ls) => ls.map((l) => (l as unknown as El).getAttribute('for') ?? ''))
		).filter((f) => f !== name);
	const before = await inner();
	await add.click();
	const options = page.locator('[role=option]:visible');
	let added: string[] = [];
	const opened = await settle(async () => {
		if ((await options.count()) > 0) return [];
		added = (await inner()).filter((f) => !before.includes(f));
		return added.length ? [] : ['nothing yet'];
	}, 5_000);
	if (opened.length) return [];
	if (added.length) {
		const labels = await item.locator(added.map((f) => `label[for="${f}"]`).join(', ')).allInnerTexts();
		// Back as it was: the option's Delete button.
		await item
			.getByTestId('parameter-item')
			.filter({ has: page.locator(`label[for="${added[0]}"]`) })
			.locator('button[title="Delete"]')
			.first()
			.click();
		return labels.map((t) => t.split('\n')[0].replace(/\s+/g, ' ').trim());
	}
	const texts = (await options.allInnerTexts()).map((t) => t.trim().split('\n')[0].trim());
	await page.keyboard.press('Escape');
	await options
		.first()
		.waitFor({ state: 'hidden', timeout: 5_000 })
		.catch(() => undefined);
	return texts;
}
