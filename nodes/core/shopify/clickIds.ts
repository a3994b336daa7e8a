import type { Order } from './types';

export interface ClickIds {
	fbc?: string;
	fbp?: string;
	fbclid?: string;
}

const FBP = /^fb\.\d+\.\d+\.\d+$/;
const FBC = /^fb\.\d+\.\d+\.[A-Za-z0-9_-]+$/;
const FBCLID = /^[A-Za-z0-9_-]{10,500}$/;

function noteAttribute(order: Order, ...names: string[]): string | undefined {
	for (const attribute of order.note_attributes ?? []) {
		const name = attribute?.name?.trim().toLowerCase();
		const value = attribute?.value?.trim();
		if (name && value && names.includes(name)) return value;
	}
	return undefined;
}

/** fbclid from a URL or a path with a query ("/products/x?fbclid=…"); garbage gives undefined. */
export function fbclidFromUrl(url: string | null | undefined): string | undefined {
	if (!url) return undefined;
	const query = url.includes('?') ? url.slice(url.indexOf('?') + 1).split('#')[0] : '';
	try {
		const value = new URLSearchParams(query).get('fbclid')?.trim();
		return value && FBCLID.test(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Meta's click and browser ids for an order. Themes copy _fbp/_fbc into cart attributes, which
 * arrive as note_attributes; else fbc is rebuilt from an fbclid in the landing URL, stamped with
 * the order's creation time. fbc is case-sensitive: it is never lowercased.
 */
export function extractClickIds(order: Order, createdAtMs?: number): ClickIds {
	const out: ClickIds = {};
	const fbp = noteAttribute(order, '_fbp', 'fbp');
	if (fbp && FBP.test(fbp)) out.fbp = fbp;
	const fbclid = fbclidFromUrl(order.landing_site) ?? noteAttribute(order, 'fbclid', '_fbclid') ?? fbclidFromUrl(order.referring_site);
	if (fbclid && FBCLID.test(fbclid)) out.fbclid = fbclid;
	const fbc = noteAttribute(order, '_fbc', 'fbc');
	if (fbc && FBC.test(fbc)) out.fbc = fbc;
	else if (out.fbclid) {
		const ms = createdAtMs ?? Date.parse(order.created_at ?? '');
		if (Number.isFinite(ms)) out.fbc = `fb.1.${ms}.${out.fbclid}`;
	}
	return out;
}
