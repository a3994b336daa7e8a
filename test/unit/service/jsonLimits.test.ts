import { parseJsonBody, EVENT_MAX_DEPTH } from '../../../service/src/http/jsonLimits';

const parse = (text: string) => parseJsonBody(Buffer.from(text), EVENT_MAX_DEPTH);

describe('parseJsonBody: integers past 2^53', () => {
	it('keeps them as the digits that were sent, where a double would lose them', () => {
		expect(
			parse('{"a":9007199254740993,"b":9007199254740992,"c":-12345678901234567890,"d":[706405506930370084,1]}'),
		).toEqual({
			a: '9007199254740993',
			b: '9007199254740992',
			c: '-12345678901234567890',
			d: ['706405506930370084', 1],
		});
	});

	it('leaves every other number and all text as JSON.parse reads them', () => {
		const text =
			'{"safe":9007199254740991,"neg":-9007199254740991,"price":"89.90","value":1234567890123456.5,"exp":12345678901234567e3,"big":1e309,"zero":0,' +
			'"in text":"order 12345678901234567890","quote \\" then 12345678901234567890":"\\\\","12345678901234567890":true,"esc":"\\\\\\"12345678901234567890"}';
		expect(parse(text)).toEqual(JSON.parse(text));
	});

	it('still refuses what is not JSON', () => {
		for (const text of [
			'{"a":012345678901234567890}',
			'{"a":12345678901234567890',
			'[12345678901234567890,]',
			'"12345678901234567890',
		]) {
			expect(() => parse(text)).toThrow('the body is not valid JSON');
		}
	});

	it('reads a 5 MB body of nothing but long numbers, and long strings full of escapes', () => {
		// One pass, no regex over the whole text: no stack to overflow, whatever the size.
		const numbers = `[${Array.from({ length: 220_000 }, (_, i) => `9007199254740993${String(i).padStart(6, '0')}`).join(',')}]`;
		const value = parse(numbers) as string[];
		expect([value.length, value[1]]).toEqual([220_000, '9007199254740993000001']);
		const escapes = JSON.stringify({ a: `\\"${'\\"'.repeat(1_000_000)}`, id: '1234567890123456789' });
		expect(parse(escapes.replace('"1234567890123456789"', '1234567890123456789'))).toEqual({
			...JSON.parse(escapes),
			id: '1234567890123456789',
		});
	});
});
