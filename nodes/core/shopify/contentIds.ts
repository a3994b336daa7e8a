import { present } from '../values';
import type { Address, LineItem, Order } from './types';

/**
 * Which id an order line gets in custom_data.contents[].id and content_ids. Meta matches these
 * against the ids of the catalog the ads use, and shops' catalogs are keyed differently: by the
 * variant id (Shopify's Facebook & Instagram channel), the product id, the SKU, or a composed
 * id such as shopify_US_{product_id}_{variant_id} (Shopify's Google feed and feeds built from it).
 */

/** The setting's one-value forms; variant_id is the default. */
export const CONTENT_ID_FIELDS = ['variant_id', 'product_id', 'sku'] as const;
/** What a template may use, as `{name}`. */
export const CONTENT_ID_PLACEHOLDERS = ['product_id', 'variant_id', 'sku', 'country', 'country_lower'] as const;
export type ContentIdPlaceholder = (typeof CONTENT_ID_PLACEHOLDERS)[number];

export const DEFAULT_CONTENT_ID = 'variant_id';
/** A catalog item's id is at most 100 characters: a longer content id can match nothing. */
export const MAX_CONTENT_ID_LENGTH = 100;
export const MAX_CONTENT_ID_SETTING_LENGTH = 200;

const LINE_VALUES: readonly ContentIdPlaceholder[] = ['product_id', 'variant_id', 'sku'];

type Part = { text: string } | { value: ContentIdPlaceholder };

/** A parsed setting: literal text and placeholders, in order. */
export interface ContentIdRule {
	readonly setting: string;
	readonly parts: readonly Part[];
	readonly usesCountry: boolean;
}

const FORMS = `variant_id, product_id, sku, or a template of ${CONTENT_ID_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')} such as shopify_{country}_{product_id}_{variant_id}`;

const isPlaceholder = (name: string): name is ContentIdPlaceholder =>
	(CONTENT_ID_PLACEHOLDERS as readonly string[]).includes(name);

/** One left-to-right pass with indexOf (no regex): linear in the setting's length. */
function scan(setting: string): { parts: Part[]; issues: string[] } {
	const trimmed = setting.trim();
	const parts: Part[] = [];
	const issues: string[] = [];
	if (trimmed === '') return { parts, issues: [`empty; use ${FORMS}`] };
	if (trimmed.length > MAX_CONTENT_ID_SETTING_LENGTH)
		return { parts, issues: [`at most ${MAX_CONTENT_ID_SETTING_LENGTH} characters`] };
	if ((CONTENT_ID_FIELDS as readonly string[]).includes(trimmed))
		return { parts: [{ value: trimmed as ContentIdPlaceholder }], issues };
	let at = 0;
	while (at < trimmed.length) {
		const open = trimmed.indexOf('{', at);
		const text = trimmed.slice(at, open === -1 ? trimmed.length : open);
		if (text.includes('}')) issues.push('a } without its {');
		if (text) parts.push({ text });
		if (open === -1) break;
		const close = trimmed.indexOf('}', open + 1);
		if (close === -1) {
			issues.push('a { without its }');
			break;
		}
		const name = trimmed.slice(open + 1, close);
		if (isPlaceholder(name)) parts.push({ value: name });
		else issues.push(`unknown placeholder {${name}}; use ${CONTENT_ID_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
		at = close + 1;
	}
	const values = parts.filter((p): p is { value: ContentIdPlaceholder } => 'value' in p).map((p) => p.value);
	if (issues.length === 0 && values.length === 0) issues.push(`"${trimmed}" is none of ${FORMS}`);
	else if (issues.length === 0 && !values.some((v) => LINE_VALUES.includes(v)))
		issues.push('the template has no {product_id}, {variant_id} or {sku}, so every line would get the same id');
	return { parts, issues };
}

/** What is wrong with a setting, for a node or the service's configuration to report. Empty = usable. */
export function contentIdSettingIssues(setting: string): string[] {
	return scan(setting).issues;
}

/** Parses a setting once; throws naming the setting (`name`) and every reason when it is not usable. */
export function parseContentIdSetting(setting: string | undefined, name = 'content id'): ContentIdRule {
	const text = setting === undefined ? DEFAULT_CONTENT_ID : setting;
	const { parts, issues } = scan(text);
	if (issues.length) throw new Error(`${name}: ${issues.join('; ')}`);
	return { setting: text.trim(), parts, usesCountry: parts.some((p) => 'value' in p && p.value.startsWith('country')) };
}

export const DEFAULT_CONTENT_ID_RULE: ContentIdRule = parseContentIdSetting(DEFAULT_CONTENT_ID);

function countryCode(address: Address | null | undefined): string | undefined {
	const code = present(address?.country_code);
	return code && code.length === 2 && /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : undefined;
}

/**
 * The country of the order's market: where it ships (Shopify Markets assigns a buyer to a
 * market by that country), else its billing address, else the customer's default address.
 */
export function orderCountry(order: Order): string | undefined {
	return (
		countryCode(order.shipping_address) ??
		countryCode(order.billing_address) ??
		countryCode(order.customer?.default_address)
	);
}

/**
 * Each line's content id under `rule`, for one order. A line that lacks a value the rule needs
 * (no SKU, no variant: a custom or deleted item, no country) or whose id would be longer than a
 * catalog id gets none: an id in another form than the catalog's matches nothing, or the wrong item.
 */
export function contentIdReader(
	order: Order,
	rule: ContentIdRule,
): (line: LineItem | null | undefined) => string | undefined {
	const country = rule.usesCountry ? orderCountry(order) : undefined;
	return (line) => {
		let id = '';
		for (const part of rule.parts) {
			if ('text' in part) {
				id += part.text;
				continue;
			}
			const value =
				part.value === 'country'
					? country
					: part.value === 'country_lower'
						? country?.toLowerCase()
						: present(line?.[part.value]);
			if (value === undefined || value.length > MAX_CONTENT_ID_LENGTH) return undefined;
			id += value;
		}
		return id.length <= MAX_CONTENT_ID_LENGTH ? id : undefined;
	};
}
