/** How a person finds and recognises the nodes in n8n's editor: icons, search, the nodes panel. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, shippedCredentials, shippedNodes } from './packageNodes';

const nodes = shippedNodes();

/** The box an SVG's path data covers; only absolute M, L, C, Z commands (what the icons use). */
function pathBox(svg: string): { minX: number; maxX: number; minY: number; maxY: number } {
	const points: number[][] = [];
	for (const [, d] of svg.matchAll(/<path[^>]* d="([^"]+)"/g)) {
		expect(d.replace(/[MLCZ\d\s.,-]/g, '')).toBe(''); // absolute commands only, so the numbers are points
		const numbers = (d.match(/-?\d*\.?\d+/g) ?? []).map(Number);
		for (let i = 0; i + 1 < numbers.length; i += 2) points.push([numbers[i], numbers[i + 1]]);
	}
	expect(points.length).toBeGreaterThan(0);
	const xs = points.map((p) => p[0]);
	const ys = points.map((p) => p[1]);
	return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
}

describe('the Meta logo', () => {
	const files = [
		'nodes/MetaConversionsApi/meta.svg',
		'nodes/MetaConversionsApi/meta.dark.svg',
		'credentials/icons/meta.svg',
		'credentials/icons/meta.dark.svg',
	];

	it.each(files)('%s draws both loops inside its viewBox (it showed one half)', (file) => {
		const svg = readFileSync(join(ROOT, file), 'utf8');
		expect(svg).toMatch(/viewBox="0 0 64 64"/);
		expect(svg).not.toMatch(/transform=/);
		const box = pathBox(svg);
		const stroke = Number(/stroke-width="([\d.]+)"/.exec(svg)?.[1] ?? 0);
		expect(box.minX - stroke / 2).toBeGreaterThanOrEqual(0);
		expect(box.minY - stroke / 2).toBeGreaterThanOrEqual(0);
		expect(box.maxX + stroke / 2).toBeLessThanOrEqual(64);
		expect(box.maxY + stroke / 2).toBeLessThanOrEqual(64);
		// Both loops: the drawing spans the left and the right quarter of the square.
		expect(box.minX).toBeLessThan(16);
		expect(box.maxX).toBeGreaterThan(48);
	});
});

describe('search in the nodes panel', () => {
	it('finds the Meta nodes by "Facebook" (codex alias, as n8n\'s own Facebook Trigger has "FB")', () => {
		const meta = nodes.filter((n) => n.description.displayName.startsWith('Meta '));
		expect(meta.map((n) => n.description.name).sort()).toEqual(['metaConversionsApi', 'metaCustomAudiences']);
		for (const n of meta) expect(n.codex.alias).toEqual(expect.arrayContaining(['Facebook', 'FB']));
	});
});

describe('names and entries', () => {
	it('gives every node a default name of its own, never n8n\'s "Shopify Trigger"', () => {
		const names = nodes.map((n) => n.description.defaults.name);
		expect(new Set(names).size).toBe(names.length);
		expect(names).not.toContain('Shopify Trigger');
		const trigger = nodes.find((n) => n.description.name === 'shopifyRelayTrigger')!.description;
		expect(trigger.defaults.name).toBe(trigger.displayName);
	});

	// n8n 2.40.7 editor-ui, useActionsGenerator generateMergedNodesAndActions: a trigger whose name
	// without "Trigger" is an action node's joins that node's entry and gives it its description;
	// its triggers are the options of a parameter labelled Event(s) or Trigger On.
	it('describes the merged Shopify entry as both a trigger and actions, listing each topic as a trigger', () => {
		const byName = new Map(nodes.map((n) => [n.description.name, n.description]));
		const merged = nodes.filter(
			(n) => n.description.group.includes('trigger') && byName.has(n.description.name.replace('Trigger', '')),
		);
		expect(merged.map((n) => n.description.name)).toEqual(['shopifyRelayTrigger']);
		const trigger = merged[0].description;
		const action = byName.get('shopifyRelay')!;
		expect(trigger.description).not.toBe(action.description);
		expect(trigger.description).toMatch(/webhooks/);
		expect(trigger.description).toMatch(/read customers and orders/);
		const topics = trigger.properties.find((p) =>
			['event', 'events', 'trigger on'].includes(p.displayName.toLowerCase()),
		);
		expect(topics?.name).toBe('topics');
		expect((topics?.options ?? []).length).toBeGreaterThan(1);
		expect(trigger.subtitle).not.toBe(action.subtitle);
	});

	it('ships every icon a node or credential names', () => {
		const icons = [
			...nodes.flatMap((n) =>
				Object.values(n.description.icon as object).map((i: string) => join(n.file, '..', i.replace('file:', ''))),
			),
			...shippedCredentials().flatMap((c) =>
				Object.values(c.icon as object).map((i: string) => join('credentials', i.replace('file:', ''))),
			),
		];
		for (const icon of icons) expect(readFileSync(join(ROOT, icon), 'utf8')).toMatch(/<svg [^>]*viewBox="0 0 64 64"/);
	});
});
