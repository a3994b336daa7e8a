import { describeValue, redactBody, redactText } from '../../../nodes/core/errors/redact';

describe("redactText: outside APIs' messages without the personal data they quote", () => {
	it('masks e-mail addresses and international phone numbers, keeps ids and the rest', () => {
		expect(redactText('Property values were not valid: email "Mary.Jones@Example.com" is invalid')).toBe(
			'Property values were not valid: email "[redacted]" is invalid',
		);
		expect(redactText('phone +1 (650) 555-1212 and +447700900123 rejected; object 5847392847 not found')).toBe(
			'phone [redacted] and [redacted] rejected; object 5847392847 not found',
		);
		expect(redactText('Invalid OAuth access token (#190)')).toBe('Invalid OAuth access token (#190)');
	});

	it('cuts a message that quotes a huge value, and does so without scanning all of it', () => {
		const out = redactText(`email "${'x'.repeat(5_000_000)}" is invalid`);
		expect(out.length).toBeLessThan(600);
		expect(out).toMatch(/^email "x+… \(message cut at 500 characters\)$/);
	});

	it('redacts every string of an error body, leaving numbers and structure', () => {
		expect(
			redactBody({ status: 'error', context: { ids: ['a@b.co'], code: 400 }, errors: [{ message: 'a@b.co bad' }] }),
		).toEqual({
			status: 'error',
			context: { ids: ['[redacted]'], code: 400 },
			errors: [{ message: '[redacted] bad' }],
		});
	});
});

describe('describeValue: what an error may say about a bad value', () => {
	it('names kinds for non-text and shows short printable text', () => {
		expect(describeValue({})).toBe('an object');
		expect(describeValue([1])).toBe('a list');
		expect(describeValue(null)).toBe('empty');
		expect(describeValue(true)).toBe('boolean true');
		expect(describeValue('12a')).toBe('"12a"');
		expect(describeValue('a\u0000b\u202e\ud800')).toBe('"a?b??"');
		expect(describeValue('9'.repeat(100))).toBe(`"${'9'.repeat(40)}…"`);
	});
});
