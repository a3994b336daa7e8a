import { present } from '../values';
import type { Order } from './types';

export interface ClickIds {
	/** fb.<subdomainIndex>.<creationTimeMs>.<fbclid>; case-sensitive, never lowercased. */
	fbc?: string;
	/** fb.<subdomainIndex>.<creationTimeMs>.<random> */
	fbp?: string;
	fbclid?: string;
}

// Loose on purpose: Meta's param builder may append a suffix to fbc (fb.1.<ms>.<fbclid>.<appendix>).
const FB_COOKIE = /^fb\.\d{1,2}\.\d{1,16}\.\S{1,1000}$/;
// fbclids are URL-safe base64-ish; anything else (spaces, decoding debris) is not one.
const FBCLID = /^[A-Za-z0-9_-]{1,500}$/;

/** fbp and fbc as they should look; malformed values are dropped rather than sent. */
export const isFbCookie = (value: string): boolean => FB_COOKIE.test(value);

function noteAttribute(order: Order, names: readonly string[]): string | undefined {
	const attributes = order.note_attributes;
	if (!Array.isArray(attributes)) return undefined;
	for (const attribute of attributes) {
		const name = present(attribute?.name)?.toLowerCase();
		const value = present(attribute?.value);
		if (name && value && names.includes(name)) return value;
	}
	return undefined;
}

function queryOf(text: string): string | undefined {
	const question = text.indexOf('?');
	if (question >= 0) return text.slice(question + 1).split('#')[0];
	// landing_site_ref is sometimes a bare query ("fbclid=…&utm_source=…").
	return !text.includes('/') && text.includes('=') ? text : undefined;
}

/**
 * fbclid from an absolute URL, a path with a query ("/products/x?fbclid=…") or a bare query.
 * Looks one level into URL-valued parameters (l.facebook.com/l.php?u=<encoded landing URL>).
 * Garbage gives undefined, never an exception.
 */
export function fbclidFromUrl(url: unknown, depth = 0): string | undefined {
	const text = present(url);
	if (!text) return undefined;
	// Some themes store the landing URL HTML-escaped.
	const query = queryOf(text.replace(/&amp;/g, '&'));
	if (!query) return undefined;
	let params: URLSearchParams;
	try {
		params = new URLSearchParams(query);
	} catch {
		return undefined;
	}
	const direct = params.get('fbclid')?.trim();
	if (direct && FBCLID.test(direct)) return direct;
	if (depth > 0) return undefined;
	for (const value of params.values()) {
		if (/^https?:\/\//i.test(value)) {
			const nested = fbclidFromUrl(value, depth + 1);
			if (nested) return nested;
		}
	}
	return undefined;
}

/**
 * Meta's click and browser ids for an order. Themes copy the _fbp / _fbc cookies into cart
 * attributes, which arrive as note_attributes: those win, as they are what the pixel saw. Else fbc
 * is rebuilt from an fbclid (landing_site, then a `fbclid` cart attribute, then landing_site_ref
 * and referring_site), stamped with `createdAtMs` or the order's created_at; without a time there
 * is no fbc, only the fbclid.
 */
export function extractClickIds(order: Order, createdAtMs?: number): ClickIds {
	const out: ClickIds = {};
	const fbp = noteAttribute(order, ['_fbp', 'fbp']);
	if (fbp && isFbCookie(fbp)) out.fbp = fbp;

	const noted = noteAttribute(order, ['fbclid', '_fbclid']);
	const fbclid =
		fbclidFromUrl(order.landing_site) ??
		(noted && FBCLID.test(noted) ? noted : undefined) ??
		fbclidFromUrl(order.landing_site_ref) ??
		fbclidFromUrl(order.referring_site);
	if (fbclid) out.fbclid = fbclid;

	const fbc = noteAttribute(order, ['_fbc', 'fbc']);
	if (fbc && isFbCookie(fbc)) {
		out.fbc = fbc;
	} else if (fbclid) {
		const ms = createdAtMs ?? Date.parse(present(order.created_at) ?? '');
		if (Number.isFinite(ms) && ms > 0) out.fbc = `fb.1.${Math.floor(ms)}.${fbclid}`;
	}
	return out;
}
