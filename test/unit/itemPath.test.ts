import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { parseItemPath } from '../../nodes/shared/itemPath';
import { paramReader } from '../../nodes/shared/params';

// Equality with n8n's own engines over many item shapes: test/e2e/n8n/itemPaths.n8nEngine.test.ts.
describe('which expressions are only a path into the item', () => {
	it.each([
		['={{ $json }}', []],
		['={{ $json.email }}', ['email']],
		['={{$json.a.b_c.$d}}', ['a', 'b_c', '$d']],
		['={{ $json["billing"]["zip"] }}', ['billing', 'zip']],
		["={{ $json['with space'][0].x }}", ['with space', '0', 'x']],
		['={{\n  $json.lines[12]\n}}', ['lines', '12']],
	])('%s reads %j', (raw, keys) => expect(parseItemPath(raw)).toEqual(keys));

	it.each([
		'{{ $json.email }}', // no "=": text, not an expression
		'=$json.email',
		"={{ $json.email + '' }}",
		'={{ ($json.email) }}',
		'={{ $json.email }} ',
		'={{ $json.email }}{{ $json.n }}',
		'=Hi {{ $json.name }}',
		'={{ $json.a?.b }}',
		'={{ $json[key] }}',
		'={{ $json["a\\"b"] }}',
		'={{ $json[01] }}',
		'={{ $json.email.toLowerCase() }}',
		"={{ $('Trigger').item.json.email }}",
		'={{ $input.item.json.email }}',
		'={{ $json.constructor }}',
		'={{ $json["__proto__"] }}',
		'={{ $json.arr.length }}',
		'={{ $json.prototype }}',
	])('%s is left to n8n', (raw) => expect(parseItemPath(raw)).toBeUndefined());

	it('reads a long path in linear time', () => {
		const long = `={{ $json${'.a'.repeat(50_000)} }}`;
		expect(parseItemPath(long)).toHaveLength(50_000);
		expect(parseItemPath(`${long.slice(0, -3)}(`)).toBeUndefined();
	});
});

describe('paramReader', () => {
	function context(parameters: Record<string, unknown>, items: INodeExecutionData[]) {
		const asked: string[] = [];
		const ctx = {
			getNode: () => ({ parameters }),
			getInputData: () => items,
			getNodeParameter: (name: string, i: number) => {
				asked.push(`${name}#${i}`);
				return `n8n:${name}#${i}`;
			},
		} as unknown as IExecuteFunctions;
		return { get: paramReader(ctx), asked };
	}

	it('reads path expressions from each item, asks n8n once for a constant and each time for the rest', () => {
		const items = [{ json: { email: 'a@b.c', obj: { zip: '1' } } }, { json: { email: 'd@e.f' } }];
		const { get, asked } = context(
			{
				email: '={{ $json.email }}',
				userData: { zip: '={{ $json.obj.zip }}', country: 'us' },
				currency: 'usd',
				name: "={{ $json.email + '!' }}",
			},
			items,
		);
		expect([get('email', 0), get('email', 1)]).toEqual(['a@b.c', 'd@e.f']);
		expect([get('userData', 0), get('userData', 1)]).toEqual([
			{ zip: '1', country: 'us' },
			{ zip: undefined, country: 'us' },
		]);
		expect([get('currency', 0), get('currency', 1)]).toEqual(['n8n:currency#0', 'n8n:currency#0']);
		expect([get('name', 0), get('name', 1)]).toEqual(['n8n:name#0', 'n8n:name#1']);
		expect(asked).toEqual(['currency#0', 'name#0', 'name#1']);
	});

	it('asks n8n once for a parameter that is not set (its fallback), per fallback', () => {
		const { get, asked } = context({}, [{ json: {} }, { json: {} }]);
		expect([get('eventTime', 0, ''), get('eventTime', 1, ''), get('eventTime', 1, 'x')]).toEqual([
			'n8n:eventTime#0',
			'n8n:eventTime#0',
			'n8n:eventTime#1',
		]);
		expect(asked).toEqual(['eventTime#0', 'eventTime#1']);
	});

	it('asks n8n for an item whose value it cannot copy exactly (a Date), and reads the others', () => {
		const items = [{ json: { when: new Date(0) } }, { json: { when: '1970-01-01' } }];
		const { get, asked } = context({ when: '={{ $json.when }}' }, items as unknown as INodeExecutionData[]);
		expect([get('when', 0), get('when', 1)]).toEqual(['n8n:when#0', '1970-01-01']);
		expect(asked).toEqual(['when#0']);
	});

	it('gives a copy, so a node cannot change the item it read', () => {
		const items = [{ json: { lines: [{ id: 1 }] } }];
		const { get } = context({ contents: '={{ $json.lines }}' }, items);
		const read = get('contents', 0) as Array<{ id: number }>;
		read[0].id = 2;
		expect(items[0].json.lines[0].id).toBe(1);
	});
});
