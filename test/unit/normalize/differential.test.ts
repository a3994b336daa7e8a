/**
 * Differential test against Meta's own normalizer (capi-param-builder-nodejs). Every input where
 * the two disagree must fall under one of the deliberate differences in docs/normalization.md;
 * anything else fails the test with the input that shows it.
 */
import type { HashedUserDataKey } from '../../../nodes/core/capi/types';
import { HASHED_USER_DATA_KEYS } from '../../../nodes/core/capi/types';
import { hashUserData } from '../../../nodes/core/normalize';
import { DIFFERENCES, oracleNormalized } from '../../support/normalizationDifferences';
import { oracleHash } from '../../support/oracle';
import { GENERATORS } from '../../support/piiGenerators';
import { Random } from '../../support/random';

const CASES_PER_KEY = 1500;
const SEED = 20261123;

interface Mismatch {
	key: HashedUserDataKey;
	input: string;
}

describe("differential test against Meta's param builder", () => {
	const counts = new Map<string, number>();
	const unexplained: Mismatch[] = [];
	let total = 0;
	let agreed = 0;

	beforeAll(() => {
		const random = new Random(SEED);
		for (const key of HASHED_USER_DATA_KEYS) {
			for (let i = 0; i < CASES_PER_KEY; i++) {
				const input = GENERATORS[key](random);
				total++;
				const ours = hashUserData({ [key]: input })[key]?.[0];
				const theirs = oracleHash(key, input);
				if (ours === theirs) {
					agreed++;
					continue;
				}
				const theirsPlain = oracleNormalized(key, input);
				const reason = DIFFERENCES.find((d) => d.keys.includes(key) && d.applies(input, theirsPlain));
				if (reason) counts.set(reason.id, (counts.get(reason.id) ?? 0) + 1);
				else unexplained.push({ key, input });
			}
		}
		const summary = [...counts].map(([id, n]) => `${id}: ${n}`).join(', ');
		process.stdout.write(`differential: ${total} cases, ${agreed} identical, differences by reason: ${summary}\n`);
	});

	it(`runs ${HASHED_USER_DATA_KEYS.length * CASES_PER_KEY} generated cases`, () => {
		expect(total).toBe(HASHED_USER_DATA_KEYS.length * CASES_PER_KEY);
		// Most inputs must agree: differences are exceptions, not the rule.
		expect(agreed / total).toBeGreaterThan(0.75);
	});

	it('explains every disagreement by a documented difference', () => {
		expect(unexplained.slice(0, 40)).toEqual([]);
	});
});
