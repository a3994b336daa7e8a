import { USER_DATA_NORMALIZERS } from '../../../nodes/core/normalize/userData';
import { birthDay, birthMonth, birthYear } from '../../../nodes/core/normalize/dob';
import { redactText } from '../../../nodes/core/errors/redact';
import { toUnixSeconds } from '../../../nodes/core/capi/time';
import { extractClickIds } from '../../../nodes/core/shopify/clickIds';
import { contentIdReader, parseContentIdSetting } from '../../../nodes/core/shopify/contentIds';

/**
 * Every normalizer that sees customer input runs in linear time on the inputs that make a
 * backtracking regex quadratic. Measured against itself in the same run: sixteen times the input
 * must cost about sixteen times as much (quadratic would be 256), never absolute milliseconds.
 */
type Fn = (value: string) => unknown;

const CONTENT_ID_RULE = parseContentIdSetting('shopify_{country}_{product_id}_{variant_id}_{sku}');

const NORMALIZERS: Record<string, Fn> = {
	...Object.fromEntries(Object.entries(USER_DATA_NORMALIZERS).map(([k, f]) => [k, (v: string) => f(v, {})])),
	'ph (country us)': (v) => USER_DATA_NORMALIZERS.ph(v, { country: 'us' }),
	'ph (country ar)': (v) => USER_DATA_NORMALIZERS.ph(v, { country: 'ar' }),
	'ph (country ru)': (v) => USER_DATA_NORMALIZERS.ph(v, { country: 'ru' }),
	'zp (country us)': (v) => USER_DATA_NORMALIZERS.zp(v, { country: 'us' }),
	DOBY: birthYear,
	DOBM: birthMonth,
	DOBD: birthDay,
	'error text redaction': redactText,
	event_time: toUnixSeconds,
	'click ids of an order': (v) =>
		extractClickIds({ id: 1, landing_site: v, note_attributes: [{ name: '_fbc', value: v }] }, 0),
	'content id of an order line': (v) =>
		contentIdReader(
			{ shipping_address: { country_code: v }, billing_address: { country_code: 'de' } },
			CONTENT_ID_RULE,
		)({ product_id: v, variant_id: 1, sku: v }),
};

// Runs that make one pattern try every start position, or one quantifier give back every character.
const HOSTILE: Record<string, (n: number) => string> = {
	spaces: (n) => `1${' '.repeat(n)}1`,
	tabs: (n) => `1${'\t'.repeat(n)}x`,
	'ext markers': (n) => `1${' x'.repeat(n / 2)}`,
	hashes: (n) => `+1${' #'.repeat(n / 2)} 1`,
	digits: (n) => `+${'1'.repeat(n)}!`,
	'digits and spaces': (n) => `+1${' 1'.repeat(n / 2)}x`,
	dots: (n) => `a${'.a'.repeat(n / 2)}@`,
	hyphens: (n) => `a@a${'-a'.repeat(n / 2)}-`,
	'domain labels': (n) => `a@${'a.'.repeat(n / 2)}`,
	'month words': (n) => 'jan '.repeat(n / 4),
	'at signs': (n) => `${'a@'.repeat(n / 2)}`,
	'plus signs': (n) => `${'+1 '.repeat(n / 3)}`,
	ampersands: (n) => `?${'&amp;'.repeat(n / 5)}fbclid`,
	'non-ASCII letters then a digit': (n) => `${'ж'.repeat(n)}1`,
};

// What the phone reader's one pass over the text meets: scripts' digits, letters, plus signs.
const PHONE_HOSTILE: Record<string, (n: number) => string> = {
	'letters then a digit': (n) => `${'a'.repeat(n)}1`,
	'astral symbols': (n) => `${'😀'.repeat(n / 2)}1`,
	'full-width plus signs': (n) => `${'＋'.repeat(n)}1`,
	'arabic-indic digits': (n) => '٠'.repeat(n),
	'trunk prefixes in parentheses': (n) => `+44${' (0)'.repeat(n / 4)}`,
	'semicolons after digits': (n) => `1${';'.repeat(n)}`,
};

/**
 * CPU time (µs) of the best of `rounds` runs. CPU time, not wall time: on a machine where other
 * suites take turns on the cores, a long run is preempted more often than a short one, which
 * made a linear normalizer look ×64 in one CI run.
 */
function cost(fn: Fn, input: string, repeat: number, rounds = 3): number {
	let best = Infinity;
	for (let round = 0; round < rounds; round++) {
		const started = process.cpuUsage();
		for (let i = 0; i < repeat; i++) fn(input);
		const used = process.cpuUsage(started);
		best = Math.min(best, used.user + used.system);
	}
	return best;
}

/** Repetitions that make the small input take at least ~2 ms of CPU, so timer grain does not decide. */
function calibrate(fn: Fn, input: string): number {
	let repeat = 1;
	while (repeat < 1 << 16 && cost(fn, input, repeat, 1) < 2_000) repeat *= 2;
	return repeat;
}

const SMALL = 1_000;
const GROWTH = 16;
// Linear is about 16; quadratic about 256. 64 leaves room for a machine busy with other suites.
const LIMIT = 64;

/**
 * Cost of GROWTH times the input over the cost of the input. The two are measured in turns, so
 * a busy moment weighs on both, and the best of three tries counts.
 */
function growth(fn: Fn, make: (n: number) => string): number {
	const small = make(SMALL);
	const large = make(SMALL * GROWTH);
	let best = Infinity;
	for (let attempt = 0; attempt < 3 && best > LIMIT; attempt++) {
		const repeat = calibrate(fn, small);
		let smallCost = Infinity;
		let largeCost = Infinity;
		for (let turn = 0; turn < 3; turn++) {
			smallCost = Math.min(smallCost, cost(fn, small, repeat, 1));
			largeCost = Math.min(largeCost, cost(fn, large, repeat, 1));
		}
		best = Math.min(best, largeCost / smallCost);
	}
	return best;
}

describe('normalization takes linear time on hostile input', () => {
	for (const [name, fn] of Object.entries(NORMALIZERS)) {
		it(name, () => {
			const shapes = name.startsWith('ph') ? { ...HOSTILE, ...PHONE_HOSTILE } : HOSTILE;
			const slow = Object.entries(shapes)
				.map(([shape, make]) => ({ shape, ratio: growth(fn, make) }))
				.filter(({ ratio }) => ratio > LIMIT)
				.map(({ shape, ratio }) => `${shape}: ×${ratio.toFixed(1)} for ×${GROWTH} input`);
			expect(slow).toEqual([]);
		});
	}
});
