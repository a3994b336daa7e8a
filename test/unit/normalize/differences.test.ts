/**
 * Each deliberate difference from Meta's param builder, shown on one input: what we send and what
 * the param builder would. docs/normalization.md explains why; this test keeps the two in step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HashedUserDataKey } from '../../../nodes/core/capi/types';
import { normalizeUserData } from '../../../nodes/core/normalize';
import { DIFFERENCES, oracleNormalized } from '../../support/normalizationDifferences';

const md5 = '5f4dcc3b5aa765d61d8327deb882cf99';

const EXAMPLES: Record<
	string,
	{ key: HashedUserDataKey; input: string; ours: string | undefined; theirs: string | null }
> = {
	'nfc-first': { key: 'ct', input: 'Zu\u0308rich', ours: 'zrich', theirs: 'zurich' },
	'md5-is-not-a-hash': { key: 'external_id', input: md5, ours: md5, theirs: md5 },
	'email-colon-quirk': { key: 'em', input: 'a:.b@example.com', ours: undefined, theirs: 'a:.b@example.com' },
	'phone-extension-cut': { key: 'ph', input: '+1 650-555-1212 ext. 44', ours: '16505551212', theirs: '1650555121244' },
	'phone-impossible-length': { key: 'ph', input: '0123', ours: undefined, theirs: '123' },
	'phone-dialling-rules': { key: 'ph', input: '+44 (0)20 7946 0958', ours: '442079460958', theirs: '4402079460958' },
	'phone-unknown-calling-code': { key: 'ph', input: '+999 123 4567', ours: undefined, theirs: '9991234567' },
	'name-unicode-punctuation': { key: 'ln', input: 'O’Connor', ours: 'oconnor', theirs: 'o’connor' },
	'gender-synonyms': { key: 'ge', input: 'Mr.', ours: 'm', theirs: null },
	'dob-month-names': { key: 'db', input: 'February 16, 1997', ours: '19970216', theirs: null },
	'dob-real-dates-only': { key: 'db', input: '1997-02-30', ours: undefined, theirs: '19970230' },
	'dob-compact-us-order': { key: 'db', input: '02161997', ours: '19970216', theirs: '02161997' },
	'state-exact-names': { key: 'st', input: 'Bavaria', ours: 'bavaria', theirs: 'ba' },
	'state-dc-and-territories': { key: 'st', input: 'District of Columbia', ours: 'dc', theirs: 'di' },
	'zip-no-interior-spaces': { key: 'zp', input: 'M1 1AE', ours: 'm11ae', theirs: 'm1 1ae' },
	'zip-dash-not-cut': { key: 'zp', input: '100-0001', ours: '1000001', theirs: '100' },
	'country-exact-names': { key: 'country', input: 'Narnia', ours: undefined, theirs: 'na' },
	'country-ambiguous-codes': { key: 'country', input: 'N/A', ours: undefined, theirs: 'na' },
};

describe('deliberate differences from Meta’s param builder', () => {
	it('has one example per documented difference', () => {
		expect(Object.keys(EXAMPLES).sort()).toEqual(DIFFERENCES.map((d) => d.id).sort());
	});

	it.each(Object.entries(EXAMPLES))('%s', (id, { key, input, ours, theirs }) => {
		const mine = normalizeUserData({ [key]: input })[key];
		// Pre-hashed handling is visible on the value: an MD5 is normalized (and later hashed), not passed on.
		expect(mine).toEqual(ours === undefined ? undefined : [ours]);
		expect(oracleNormalized(key, input)).toEqual(theirs);
		const difference = DIFFERENCES.find((d) => d.id === id);
		expect(difference?.applies(input, oracleNormalized(key, input))).toBe(true);
	});

	it('explains every difference in docs/normalization.md', () => {
		const doc = readFileSync(join(__dirname, '../../../docs/normalization.md'), 'utf8');
		for (const { id } of DIFFERENCES) expect(doc).toContain(`\`${id}\``);
	});
});
