import { createHash } from 'node:crypto';
import { hashUserData, normalizeUserData } from '../../../nodes/core/normalize';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe("Meta's documented vectors", () => {
	it('hashes John_Smith@gmail.com to the documented value', () => {
		expect(hashUserData({ em: 'John_Smith@gmail.com' }).em).toEqual([
			'62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
		]);
	});

	it('hashes (650)555-1212 with country US to the documented value', () => {
		const out = hashUserData({ ph: '(650)555-1212', country: 'US' });
		expect(out.ph).toEqual(['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176']);
	});

	it('hashes mary@example.com to the documented Custom Audience value', () => {
		expect(hashUserData({ em: 'mary@example.com' }).em).toEqual([
			'f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79',
		]);
	});
});

describe('documented normalization examples', () => {
	const cases: Array<[string, unknown, string | undefined, string?]> = [
		['em', '  John_Smith@Gmail.com ', 'john_smith@gmail.com'],
		['ph', '+001 (616) 954-78 88', '16169547888'],
		['ph', '(650)555-1212', '16505551212', 'us'],
		['ph', '07700 900123', '447700900123', 'gb'],
		['ph', '+44 7700 900123', '447700900123', 'de'],
		['ph', '06 1234 5678', '390612345678', 'it'],
		['ph', '650-555-1212 ext. 44', '16505551212', 'us'],
		['fn', "O'Brien", 'obrien'],
		['fn', 'Mary Ann', 'maryann'],
		['fn', 'Valéry', 'valéry'],
		['ln', 'O’Connor', 'oconnor'],
		['ge', 'Female', 'f'],
		['ge', 'male', 'm'],
		['ge', 'Mr.', 'm'],
		['ge', 'non-binary', undefined],
		['db', '2/16/1997', '19970216'],
		['db', '1997-02-16', '19970216'],
		['db', '16.02.1997', '19970216'],
		['db', 'February 16, 1997', '19970216'],
		['db', '16 Feb 1997', '19970216'],
		['db', '1997-02-16T00:00:00Z', '19970216'],
		['db', '19970216', '19970216'],
		['db', '02161997', '19970216'],
		['db', '1997-02-30', undefined],
		['db', '1850-01-01', undefined],
		['ct', 'St. Louis', 'stlouis'],
		['ct', 'Miami-Dade', 'miamidade'],
		['st', 'C/a/lifo,rnia.', 'ca'],
		['st', 'New York', 'ny'],
		['st', 'TX', 'tx'],
		['st', 'Ontario', 'on'],
		['st', 'Kansas City', undefined, 'us'],
		['st', 'Bavaria', 'bavaria', 'de'],
		['zp', '37221-3312', '37221'],
		['zp', 'M1 1AE', 'm11ae', 'gb'],
		['zp', '100-0001', '1000001', 'jp'],
		['country', 'United States', 'us'],
		['country', 'US', 'us'],
		['country', 'USA', 'us'],
		['country', 'Deutschland', 'de'],
		['country', 'AUT', 'at'],
		['country', 'UK', 'gb'],
		['country', 'Narnia', undefined],
		['external_id', ' ABC 123 ', 'abc123'],
	];
	it.each(cases)('%s %j → %j', (...[key, input, expected, country]) => {
		const raw: Record<string, unknown> = { [key]: input };
		if (country && key !== 'country') raw.country = country;
		const out = normalizeUserData(raw);
		expect(out[key]).toEqual(expected === undefined ? undefined : [expected]);
	});
});

describe('hashing rules', () => {
	it('normalizes NFC first: NFC and NFD Valéry hash the same', () => {
		const nfc = hashUserData({ fn: 'Val\u00e9ry' }).fn;
		const nfd = hashUserData({ fn: 'Vale\u0301ry' }).fn;
		expect(nfd).toEqual(nfc);
		expect(nfc).toEqual([sha('valéry')]);
	});

	it('passes pre-hashed values through lowercased, anchored', () => {
		const h = sha('someone@example.com');
		expect(hashUserData({ em: h.toUpperCase() }).em).toEqual([h]);
		expect(hashUserData({ em: `${h}.AQYBAQIA` }).em).toEqual([h]);
		// Containing 64 hex characters is not being a hash.
		expect(hashUserData({ external_id: `x${h}` }).external_id).toEqual([sha(`x${h}`)]);
	});

	it('hashes every value of an array, drops empties and duplicates', () => {
		const out = hashUserData({ em: ['A@x.io', ' a@x.io', '', null, 'b@x.io'], ph: ['', '  '] });
		expect(out.em).toEqual([sha('a@x.io'), sha('b@x.io')]);
		expect(out).not.toHaveProperty('ph');
	});

	it('never sends the hash of an empty string', () => {
		const out = hashUserData({ em: 'not-an-email', ph: '---', fn: '...', ct: '123', ge: 'x', zp: '-' });
		expect(out).toEqual({});
		expect(JSON.stringify(out)).not.toContain(sha(''));
	});

	it('passes never-hashed keys through unchanged, fbc keeping its case', () => {
		const fbc = 'fb.1.1554763741205.AbCdEfGhIjKlMnOpQrStUvWxYz1234567890';
		const out = hashUserData({
			fbc,
			fbp: 'fb.1.1558571054389.1098115397',
			client_ip_address: '2001:db8::1',
			client_user_agent: 'Mozilla/5.0 (X11)',
		});
		expect(out).toEqual({
			fbc,
			fbp: 'fb.1.1558571054389.1098115397',
			client_ip_address: '2001:db8::1',
			client_user_agent: 'Mozilla/5.0 (X11)',
		});
	});

	it('accepts numbers for numeric identifiers', () => {
		expect(normalizeUserData({ external_id: 706405506930370, zp: 37221 })).toEqual({
			external_id: ['706405506930370'],
			zp: ['37221'],
		});
	});
});
