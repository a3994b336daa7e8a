import { Random } from './random';

/**
 * A deterministic shop: customer i and order i in Admin GraphQL's shapes (the fields of the bulk
 * queries in nodes/core/shopify/graphql.ts), generated on demand so a million of them never sit in
 * memory. Realistic on purpose: e-mails in mixed case with spaces around them, phones in national
 * form (on the address, with its country) and in international form, some customers with neither,
 * accented names, addresses in ten countries, 0..n orders, amounts. Each comes with its truth: what
 * a correct normalizer must make of it, written out independently of the code under test, so a
 * test can say exactly which hashes belong in an audience.
 */
export interface ShopOptions {
	seed?: number;
	/** The shop's "now" (unix ms): creation dates and segments are relative to it, never to the wall clock. */
	nowMs: number;
}

export interface CustomerTruth {
	gid: string;
	legacyId: string;
	/** Normalized (trimmed, lower-case) as Meta wants it, or absent. */
	email?: string;
	/** E.164 digits without "+", or absent. */
	phone?: string;
	/** Alpha-2, lower case, or absent. */
	country?: string;
	ordersCount: number;
	subscribed: boolean;
	/** Whole days between creation and nowMs, plus half a day: never on a segment's boundary. */
	ageDays: number;
	/** As classifyCustomerSegment must see it with the default 30 days. */
	segment: 'new' | 'engaged' | 'existing' | 'other';
}

interface Country {
	code: string;
	name: string;
	callingCode: string;
	cities: Array<{ city: string; province: string | null; provinceCode: string | null; zip: string }>;
	/** A national-form number and its E.164 digits. */
	phone(r: Random): { national: string; e164: string };
}

const group = (digits: string, sizes: number[], sep = ' '): string => {
	const out: string[] = [];
	let at = 0;
	for (const size of sizes) {
		out.push(digits.slice(at, at + size));
		at += size;
	}
	return out.join(sep);
};

// Area codes and prefixes chosen so that no national number starts with its country's calling code.
const COUNTRIES: Country[] = [
	{
		code: 'US',
		name: 'United States',
		callingCode: '1',
		cities: [
			{ city: 'New York', province: 'New York', provinceCode: 'NY', zip: '10001' },
			{ city: 'San Francisco', province: 'California', provinceCode: 'CA', zip: '94103' },
			{ city: 'St. Louis', province: 'Missouri', provinceCode: 'MO', zip: '63101' },
		],
		phone: (r) => {
			const n = `${r.pick(['212', '415', '314', '646'])}555${r.digits(4)}`;
			return { national: `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`, e164: `1${n}` };
		},
	},
	{
		code: 'CA',
		name: 'Canada',
		callingCode: '1',
		cities: [
			{ city: 'Montréal', province: 'Quebec', provinceCode: 'QC', zip: 'H2X 1Y4' },
			{ city: 'Toronto', province: 'Ontario', provinceCode: 'ON', zip: 'M5V 2T6' },
		],
		phone: (r) => {
			const n = `${r.pick(['514', '416'])}555${r.digits(4)}`;
			return { national: `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`, e164: `1${n}` };
		},
	},
	{
		code: 'GB',
		name: 'United Kingdom',
		callingCode: '44',
		cities: [
			{ city: 'London', province: 'England', provinceCode: 'ENG', zip: 'SW1A 1AA' },
			{ city: 'Edinburgh', province: 'Scotland', provinceCode: 'SCT', zip: 'EH1 1YZ' },
		],
		phone: (r) => {
			const n = `7700${r.digits(6)}`;
			return { national: `0${group(n, [4, 6])}`, e164: `44${n}` };
		},
	},
	{
		code: 'DE',
		name: 'Germany',
		callingCode: '49',
		cities: [
			{ city: 'Köln', province: null, provinceCode: null, zip: '50667' },
			{ city: 'München', province: 'Bavaria', provinceCode: 'BY', zip: '80331' },
		],
		phone: (r) => {
			const n = `30${r.digits(8)}`;
			return { national: `0${n.slice(0, 2)} ${n.slice(2)}`, e164: `49${n}` };
		},
	},
	{
		code: 'FR',
		name: 'France',
		callingCode: '33',
		cities: [
			{ city: 'Paris', province: null, provinceCode: null, zip: '75015' },
			{ city: 'Lyon', province: null, provinceCode: null, zip: '69002' },
		],
		phone: (r) => {
			const n = `6${r.digits(8)}`;
			return { national: `0${group(n, [1, 2, 2, 2, 2])}`, e164: `33${n}` };
		},
	},
	{
		code: 'IT',
		name: 'Italy',
		callingCode: '39',
		cities: [{ city: 'Roma', province: 'Roma', provinceCode: 'RM', zip: '00184' }],
		// Italy keeps the leading 0 of landlines in the international form.
		phone: (r) => {
			const n = `06${r.digits(8)}`;
			return { national: group(n, [2, 4, 4]), e164: `39${n}` };
		},
	},
	{
		code: 'ES',
		name: 'Spain',
		callingCode: '34',
		cities: [{ city: 'Madrid', province: 'Madrid', provinceCode: 'M', zip: '28013' }],
		phone: (r) => {
			const n = `6${r.digits(8)}`;
			return { national: group(n, [3, 3, 3]), e164: `34${n}` };
		},
	},
	{
		code: 'BR',
		name: 'Brazil',
		callingCode: '55',
		cities: [{ city: 'São Paulo', province: 'São Paulo', provinceCode: 'SP', zip: '01310-100' }],
		phone: (r) => {
			const area = r.pick(['11', '21', '31']);
			const n = `${area}9${r.digits(8)}`;
			return { national: `(${area}) ${n.slice(2, 7)}-${n.slice(7)}`, e164: `55${n}` };
		},
	},
	{
		code: 'JP',
		name: 'Japan',
		callingCode: '81',
		cities: [{ city: '東京', province: 'Tokyo', provinceCode: 'JP-13', zip: '100-0001' }],
		phone: (r) => {
			const n = `90${r.digits(8)}`;
			return { national: `0${n.slice(0, 2)}-${n.slice(2, 6)}-${n.slice(6)}`, e164: `81${n}` };
		},
	},
	{
		code: 'MX',
		name: 'Mexico',
		callingCode: '52',
		cities: [{ city: 'Ciudad de México', province: 'Ciudad de México', provinceCode: 'CMX', zip: '06600' }],
		phone: (r) => {
			const n = `55${r.digits(8)}`;
			return { national: group(n, [2, 4, 4]), e164: `52${n}` };
		},
	},
];

const FIRST = [
	'José',
	'Zoë',
	'Łukasz',
	'Søren',
	'Renée',
	'François',
	'Ólafur',
	'Çağla',
	'Anne Marie',
	'Mary',
	'John',
	'Ngô',
];
const LAST = [
	'Müller',
	"O'Brien",
	'García',
	'Dvořák',
	'Nguyễn',
	'Smith',
	'van der Berg',
	'Þórsson',
	'Lefèvre',
	'Kowalski',
];
const DOMAINS = ['Gmail.com', 'example.com', 'Shop.Example.co.uk', 'mail.example.org'];
const MARKETING = ['SUBSCRIBED', 'NOT_SUBSCRIBED', 'UNSUBSCRIBED', 'PENDING'];
const DAY_MS = 86_400_000;
const CUSTOMER_BASE = 7_100_000_000_000;
const ORDER_BASE = 5_900_000_000_000;

// One generator per customer: customer i is the same whatever else was generated before it.
const randomFor = (kind: number, i: number, seed: number): Random =>
	new Random((Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(seed + kind, 0x85ebca6b)) >>> 0);

// ASCII local parts: what Meta's e-mail pattern accepts (an accented one would be dropped by design).
const ascii = (s: string): string =>
	s
		.normalize('NFD')
		.replace(/[^A-Za-z]/g, '')
		.slice(0, 12) || 'x';

interface Drawn {
	graphql: Record<string, unknown>;
	truth: CustomerTruth;
}

function drawCustomer(i: number, options: ShopOptions): Drawn {
	const seed = options.seed ?? 1;
	const r = randomFor(1, i, seed);
	const legacyId = String(CUSTOMER_BASE + i);
	const gid = `gid://shopify/Customer/${legacyId}`;
	const first = r.chance(0.95) ? r.pick(FIRST) : null;
	const last = r.chance(0.95) ? r.pick(LAST) : null;
	const country = r.pick(COUNTRIES);
	const place = r.pick(country.cities);
	const hasAddress = r.chance(0.85);
	const hasEmail = r.chance(0.9);
	const phoneForm = r.pick(['international', 'national', 'none', 'international'] as const);
	// A national number is only readable with its country: it sits on the address, which has one.
	const form = phoneForm === 'national' && !hasAddress ? 'none' : phoneForm;
	const number = country.phone(r);
	const ordersCount = r.chance(0.45) ? 0 : r.int(1, 12);
	const marketing = r.pick(MARKETING);
	const ageDays = r.int(0, 900) + 0.5;
	const createdMs = options.nowMs - ageDays * DAY_MS;
	const local = `${ascii(first ?? 'guest')}.${ascii(last ?? 'buyer')}+${i}`;
	const emailText = `${local}@${r.pick(DOMAINS)}`;
	const emailRaw = r.pad(r.randomCase(emailText)).replace(/\n/g, ' ');
	const spent = ordersCount ? (ordersCount * r.int(1500, 25_000)) / 100 : 0;
	const lastOrderId = ordersCount ? String(ORDER_BASE + 900_000 + i) : null;

	const graphql: Record<string, unknown> = {
		id: gid,
		legacyResourceId: legacyId,
		firstName: first,
		lastName: last,
		createdAt: new Date(createdMs).toISOString(),
		updatedAt: new Date(createdMs + (r.int(0, 30) * DAY_MS) / 2).toISOString(),
		numberOfOrders: String(ordersCount),
		amountSpent: { amount: spent.toFixed(2), currencyCode: 'EUR' },
		lastOrder: lastOrderId
			? {
					id: `gid://shopify/Order/${lastOrderId}`,
					legacyResourceId: lastOrderId,
					name: `#${1000 + i}`,
					processedAt: null,
				}
			: null,
		defaultEmailAddress: hasEmail ? { emailAddress: emailRaw, marketingState: marketing } : null,
		defaultPhoneNumber:
			form === 'international' ? { phoneNumber: `+${number.e164}`, marketingState: 'NOT_SUBSCRIBED' } : null,
		defaultAddress: hasAddress
			? {
					firstName: first,
					lastName: last,
					city: place.city,
					province: place.province,
					provinceCode: place.provinceCode,
					zip: place.zip,
					country: country.name,
					countryCodeV2: country.code,
					phone: form === 'national' ? number.national : null,
				}
			: null,
	};
	const subscribed = hasEmail && marketing === 'SUBSCRIBED';
	const segment = ordersCount >= 1 ? 'existing' : ageDays <= 30 ? 'new' : subscribed ? 'engaged' : 'other';
	const truth: CustomerTruth = {
		gid,
		legacyId,
		email: hasEmail ? emailText.toLowerCase() : undefined,
		phone: form === 'none' ? undefined : number.e164,
		country: hasAddress ? country.code.toLowerCase() : undefined,
		ordersCount,
		subscribed,
		ageDays,
		segment,
	};
	return { graphql, truth };
}

/** Customer i as the bulk customers query returns it (one JSONL line). */
export function customerAt(i: number, options: ShopOptions): Record<string, unknown> {
	return drawCustomer(i, options).graphql;
}

export function customerTruth(i: number, options: ShopOptions): CustomerTruth {
	return drawCustomer(i, options).truth;
}

/** Customers from..to-1 as JSONL lines (no newline), one at a time. */
export function* customerLines(count: number, options: ShopOptions, from = 0): Generator<string> {
	for (let i = from; i < count; i++) yield JSON.stringify(customerAt(i, options));
}

// ---- Orders ------------------------------------------------------------------------------------

export interface GeneratedOrder {
	order: Record<string, unknown>;
	/** Child lines as the bulk file has them: each with __parentId, right after its order. */
	lineItems: Array<Record<string, unknown>>;
}

const PRODUCTS = [
	{ product: 8_100_000_001, variant: 44_100_000_001, sku: 'TEE-BLK-M', title: 'T-shirt', price: '19.90' },
	{ product: 8_100_000_002, variant: 44_100_000_002, sku: 'MUG-ÉTÉ', title: 'Mug été', price: '12.50' },
	{ product: 8_100_000_003, variant: 44_100_000_003, sku: null, title: 'Gift card', price: '50.00' },
	{ product: 8_100_000_004, variant: 44_100_000_004, sku: 'SOCK-3', title: 'Socks (3 pairs)', price: '9.99' },
];

/** How many line items order i has (0..4): known without building the order. */
export function orderLineCount(i: number, options: ShopOptions): number {
	return randomFor(2, i, options.seed ?? 1).int(0, 4);
}

/**
 * Order i of `customers`: created within the 7 days before nowMs, its buyer customer (i * 7919) %
 * customers, 0..4 lines. The buyer's identifiers are the customer's own, so the same truth applies.
 */
export function orderAt(i: number, options: ShopOptions & { customers?: number }): GeneratedOrder {
	const seed = options.seed ?? 1;
	const lineCount = orderLineCount(i, options);
	const r = randomFor(3, i, seed);
	const legacyId = String(ORDER_BASE + i);
	const gid = `gid://shopify/Order/${legacyId}`;
	const buyerIndex = (i * 7919) % Math.max(1, options.customers ?? 1000);
	const buyer = drawCustomer(buyerIndex, options).graphql;
	const createdMs = options.nowMs - orderAgeMs(i, options);
	const lineItems: Array<Record<string, unknown>> = [];
	let total = 0;
	for (let k = 0; k < lineCount; k++) {
		const p = r.pick(PRODUCTS);
		const quantity = r.int(1, 3);
		total += Number(p.price) * quantity;
		lineItems.push({
			id: `gid://shopify/LineItem/${Number(legacyId) * 10 + k}`,
			name: p.title,
			title: p.title,
			sku: p.sku,
			quantity,
			currentQuantity: quantity,
			originalUnitPriceSet: { shopMoney: { amount: p.price, currencyCode: 'EUR' } },
			variant: { id: `gid://shopify/ProductVariant/${p.variant}`, legacyResourceId: String(p.variant) },
			product: { id: `gid://shopify/Product/${p.product}`, legacyResourceId: String(p.product) },
			__parentId: gid,
		});
	}
	const address = buyer.defaultAddress as Record<string, unknown> | null;
	const email = buyer.defaultEmailAddress as { emailAddress?: string } | null;
	const fbclid = r.chance(0.3) ? `IwAR${r.digits(12)}x` : null;
	const order: Record<string, unknown> = {
		id: gid,
		legacyResourceId: legacyId,
		name: `#${1001 + i}`,
		email: email?.emailAddress ?? null,
		phone: null,
		createdAt: new Date(createdMs).toISOString(),
		processedAt: new Date(createdMs + 1000).toISOString(),
		updatedAt: new Date(createdMs + 60_000).toISOString(),
		cancelledAt: r.chance(0.05) ? new Date(createdMs + 3_600_000).toISOString() : null,
		test: r.chance(0.03),
		currencyCode: 'EUR',
		presentmentCurrencyCode: 'EUR',
		statusPageUrl: `https://relay-test.myshopify.com/1/orders/${legacyId}/authenticate?key=k${i}`,
		totalPriceSet: { shopMoney: { amount: total.toFixed(2), currencyCode: 'EUR' } },
		subtotalPriceSet: { shopMoney: { amount: total.toFixed(2), currencyCode: 'EUR' } },
		currentTotalPriceSet: { shopMoney: { amount: total.toFixed(2), currencyCode: 'EUR' } },
		customAttributes: r.chance(0.2) ? [{ key: '_fbp', value: `fb.1.${createdMs - 5000}.${r.digits(9)}` }] : [],
		customerJourneySummary: {
			lastVisit: { landingPage: fbclid ? `/products/tee?fbclid=${fbclid}` : '/', referrerUrl: null },
		},
		billingAddress: address,
		shippingAddress: address,
		customer: {
			id: buyer.id,
			legacyResourceId: buyer.legacyResourceId,
			firstName: buyer.firstName,
			lastName: buyer.lastName,
			numberOfOrders: buyer.numberOfOrders,
			amountSpent: buyer.amountSpent,
			lastOrder: buyer.lastOrder,
			defaultEmailAddress: email ? { emailAddress: email.emailAddress } : null,
			defaultPhoneNumber: buyer.defaultPhoneNumber
				? { phoneNumber: (buyer.defaultPhoneNumber as { phoneNumber: string }).phoneNumber }
				: null,
			defaultAddress: address,
		},
	};
	return { order, lineItems };
}

/** Milliseconds between order i's creation and nowMs: within the last 7 days. */
export function orderAgeMs(i: number, options: ShopOptions): number {
	return randomFor(4, i, options.seed ?? 1).int(0, 7 * 24 * 60 - 1) * 60_000 + 30_000;
}

/** Orders created at or after sinceMs, each followed by its line items, as JSONL lines. */
export function* orderLines(
	count: number,
	options: ShopOptions & { customers?: number; sinceMs?: number },
): Generator<string> {
	for (let i = 0; i < count; i++) {
		if (options.sinceMs !== undefined && options.nowMs - orderAgeMs(i, options) < options.sinceMs) continue;
		const { order, lineItems } = orderAt(i, options);
		yield JSON.stringify(order);
		for (const line of lineItems) yield JSON.stringify(line);
	}
}

/** The lines and top-level objects orderLines yields, counted without building an order. */
export function orderFileCounts(
	count: number,
	options: ShopOptions & { sinceMs?: number },
): { lines: number; roots: number } {
	let lines = 0;
	let roots = 0;
	for (let i = 0; i < count; i++) {
		if (options.sinceMs !== undefined && options.nowMs - orderAgeMs(i, options) < options.sinceMs) continue;
		roots++;
		lines += 1 + orderLineCount(i, options);
	}
	return { lines, roots };
}
