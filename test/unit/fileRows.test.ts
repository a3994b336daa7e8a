import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
	fieldOfColumn,
	MAX_LINE_BYTES,
	readCustomerFile,
	unknownColumns,
	type FlatCustomer,
} from '../../service/src/usecases/jobs/fileRows';
import { SourceLineError, type FileFormat } from '../../service/src/usecases/jobs/types';

/** A body as the request gives it: the pieces in turn. */
async function* pieces(...parts: (string | Buffer)[]): AsyncGenerator<Buffer | string> {
	for (const part of parts) yield part;
}

/** The same bytes cut after every `size` bytes. */
function cut(input: string | Buffer, size: number): Buffer[] {
	const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8');
	const out: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
	return out;
}

async function read(format: FileFormat, ...parts: (string | Buffer)[]): Promise<FlatCustomer[]> {
	const rows: FlatCustomer[] = [];
	for await (const row of readCustomerFile(pieces(...parts), format)) rows.push(row);
	return rows;
}

/** The refusal of a file: its line and reason. The message must not carry any of `values`. */
async function refusal(
	format: FileFormat,
	input: string | Buffer | Buffer[],
	values: string[] = [],
): Promise<{ line: number; reason: string }> {
	const parts = Array.isArray(input) ? input : [input];
	try {
		await read(format, ...parts);
	} catch (error) {
		if (!(error instanceof SourceLineError)) throw error;
		for (const value of values) expect(error.message).not.toContain(value);
		expect(error.message).toBe(`line ${error.line}: ${error.reason}`);
		return { line: error.line, reason: error.reason };
	}
	throw new Error('the file was not refused');
}

describe('column names', () => {
	it('match their field whatever the case and separators', () => {
		const table: Record<string, string[]> = {
			email: ['email', 'Email', 'E-Mail', 'EMAIL', 'e_mail', 'Email Address'],
			phone: ['phone', 'Phone', 'PHONE_NUMBER', 'Phone Number'],
			first_name: ['first_name', 'firstname', 'First Name', 'FirstName', 'given_name', 'Given-Name'],
			last_name: ['last_name', 'lastname', 'Surname', 'family_name', 'Last Name'],
			city: ['city', 'City'],
			state: ['state', 'Province', 'REGION'],
			zip: ['zip', 'Zip Code', 'postal_code', 'Postal Code', 'postcode', 'PostCode'],
			country: ['country', 'Country Code', 'country_code'],
			external_id: ['external_id', 'ExternalId', 'id', 'ID', 'customer_id', 'Customer ID'],
			dob: ['dob', 'DOB', 'date_of_birth', 'Date of Birth', 'birthday'],
			gender: ['gender', 'Gender'],
		};
		for (const [field, names] of Object.entries(table))
			for (const name of names) expect([name, fieldOfColumn(name)]).toEqual([name, field]);
		for (const name of ['notes', 'name', 'first', 'mail', 'e mail x', 'x'.repeat(70_000)])
			expect(fieldOfColumn(name)).toBeUndefined();
	});

	it('that fill nothing are reported once, shortened, at most 50', () => {
		expect(unknownColumns(['email', 'Notes', 'Lifetime Value', 'Notes', '', ' '])).toEqual(['Notes', 'Lifetime Value']);
		const many = unknownColumns(Array.from({ length: 500 }, (_, i) => `col${i}`));
		expect(many).toHaveLength(50);
		expect(unknownColumns(['y'.repeat(1_000)])).toEqual([`${'y'.repeat(64)}…`]);
	});
});

describe('CSV', () => {
	it('reads the header and maps each row, ignoring unknown columns and empty values', async () => {
		const file =
			'E-Mail,First Name,Surname,Phone Number,Postal Code,Country Code,Customer ID,Date of Birth,Gender,Notes\n' +
			'anna@example.com,Anna,Berg,+49 30 1234567,10115,DE,c-1,1990-05-17,f,VIP\n' +
			'bob@example.com,,  ,,,,,,,\n';
		const stream = readCustomerFile(pieces(file), 'csv');
		const rows: FlatCustomer[] = [];
		for await (const row of stream) rows.push(row);
		expect(rows).toEqual([
			{
				email: 'anna@example.com',
				first_name: 'Anna',
				last_name: 'Berg',
				phone: '+49 30 1234567',
				zip: '10115',
				country: 'DE',
				external_id: 'c-1',
				dob: '1990-05-17',
				gender: 'f',
			},
			{ email: 'bob@example.com' },
		]);
		expect(stream.unknownColumns()).toEqual(['Notes']);
		expect(stream.lines()).toBe(3);
	});

	it('reads quoted fields: delimiters, "" escapes, line breaks (LF and CRLF) and empty quotes', async () => {
		const file = [
			'email,city,state,first_name',
			'"a@example.com","Berlin, Mitte","say ""hi""",""',
			'b@example.com,"two',
			'lines","three\r',
			'lines",x',
			'"""quoted""@example.com",,"",',
		].join('\n');
		expect(await read('csv', file)).toEqual([
			{ email: 'a@example.com', city: 'Berlin, Mitte', state: 'say "hi"' },
			{ email: 'b@example.com', city: 'two\nlines', state: 'three\r\nlines', first_name: 'x' },
			{ email: '"quoted"@example.com' },
		]);
	});

	it('keeps a stray quote inside an unquoted field as written', async () => {
		expect(await read('csv', 'email,city\na@example.com,O"Hare\n')).toEqual([
			{ email: 'a@example.com', city: 'O"Hare' },
		]);
	});

	it('reads CRLF files, a BOM, no final line break, and skips blank lines', async () => {
		const file = '\ufeffemail,zip\r\na@example.com,10115\r\n\r\n\r\nb@example.com,"2000"';
		expect(await read('csv', file)).toEqual([
			{ email: 'a@example.com', zip: '10115' },
			{ email: 'b@example.com', zip: '2000' },
		]);
	});

	it('takes semicolons or tabs when the header is written with them', async () => {
		expect(await read('csv', 'email;city\na@example.com;"Köln; Süd"\n')).toEqual([
			{ email: 'a@example.com', city: 'Köln; Süd' },
		]);
		expect(await read('csv', 'email\tcity\na@example.com\tBerlin, Mitte\n')).toEqual([
			{ email: 'a@example.com', city: 'Berlin, Mitte' },
		]);
		expect(await read('csv', '"e,mail";email\n1;a@example.com\n')).toEqual([{ email: 'a@example.com' }]);
	});

	it('reads the same rows wherever the chunks cut it: inside a character, a CRLF, a quote or the BOM', async () => {
		const file = Buffer.from(
			'\ufeffemail,first_name,city\r\n"zoë@example.com","Zoë ""Z""","東京\r\n都"\r\nsøren@example.com,Søren 🙂,"Ærø"\r\n',
			'utf8',
		);
		const whole = await read('csv', file);
		expect(whole).toEqual([
			{ email: 'zoë@example.com', first_name: 'Zoë "Z"', city: '東京\r\n都' },
			{ email: 'søren@example.com', first_name: 'Søren 🙂', city: 'Ærø' },
		]);
		for (let at = 1; at < file.length; at++) {
			expect(await read('csv', file.subarray(0, at), file.subarray(at))).toEqual(whole);
		}
		expect(await read('csv', ...cut(file, 1))).toEqual(whole);
		expect(await read('csv', ...cut(file, 3))).toEqual(whole);
	});

	it('accepts strings as chunks', async () => {
		expect(await read('csv', 'ema', 'il\nä@exa', 'mple.com\n')).toEqual([{ email: 'ä@example.com' }]);
	});

	it('refuses a row with more or fewer fields than the header, naming its line and both counts', async () => {
		expect(await refusal('csv', 'email,city\na@example.com,Berlin\nb@example.com\n', ['b@example.com'])).toEqual({
			line: 3,
			reason: 'the row has 1 fields, the header 2',
		});
		expect(await refusal('csv', 'email,city\na@example.com,Berlin,Mitte,x\n', ['Berlin', 'Mitte'])).toEqual({
			line: 2,
			reason: 'the row has 4 fields, the header 2',
		});
	});

	it('counts physical lines: a row after a quoted line break, blank lines, CRLF', async () => {
		const file = 'email,city\r\n"a@example.com","one\r\ntwo"\r\n\r\nb@example.com\r\n';
		expect(await refusal('csv', file, ['b@example.com'])).toEqual({
			line: 5,
			reason: 'the row has 1 fields, the header 2',
		});
	});

	it('refuses a quote left open at the end, naming the line it opened on', async () => {
		const file = 'email,city\na@example.com,Berlin\nb@example.com,"Ham\nburg\n';
		expect(await refusal('csv', file, ['Ham', 'burg', 'b@example.com'])).toEqual({
			line: 3,
			reason: 'a quoted field opened on this line is not closed by the end of the file',
		});
		expect((await refusal('csv', 'email\n"a@example.com')).line).toBe(2);
	});

	it('refuses text after a closing quote', async () => {
		expect(await refusal('csv', 'email,city\n"a@example.com"x,Berlin\n', ['a@example.com'])).toEqual({
			line: 2,
			reason: 'field 1: text after its closing quote (a quote inside a quoted field is written "")',
		});
	});

	it('refuses a header without an identifier column at line 1, without repeating it', async () => {
		const reason =
			'the header names no identifier column: email, phone or external_id, or first_name, last_name and zip or country';
		// A file without a header: its first row (a customer) is read as the header.
		expect(await refusal('csv', 'Anna,Berg,Berlin\nBob,Smith,Paris\n', ['Anna', 'Berg', 'Berlin'])).toEqual({
			line: 1,
			reason,
		});
		expect(await refusal('csv', 'first_name,last_name,city\nAnna,Berg,Berlin\n')).toEqual({ line: 1, reason });
		expect(await refusal('csv', 'first_name,zip\nAnna,10115\n')).toEqual({ line: 1, reason });
		expect(await refusal('csv', '\n\nnotes\n')).toEqual({ line: 3, reason });
		for (const header of ['phone', 'Customer ID', 'first name,last name,zip', 'firstname,surname,country'])
			expect(await read('csv', `${header}\n`)).toEqual([]);
	});

	it('refuses two columns that give the same field', async () => {
		expect(await refusal('csv', 'email,E-Mail\na@example.com,b@example.com\n')).toEqual({
			line: 1,
			reason: 'columns 1 "email" and 2 "E-Mail" both give email',
		});
	});

	it('refuses invalid UTF-8 and UTF-16, naming the line', async () => {
		const bad = Buffer.concat([Buffer.from('email\na@example.com\n'), Buffer.from([0x62, 0xc3, 0x28, 0x0a])]);
		expect(await refusal('csv', bad)).toEqual({ line: 3, reason: 'not valid UTF-8' });
		// An overlong form and a lone surrogate are not UTF-8 either.
		expect((await refusal('csv', Buffer.from([...Buffer.from('email\n'), 0xc0, 0xaf, 0x0a]))).line).toBe(2);
		expect((await refusal('csv', Buffer.from([...Buffer.from('email\n'), 0xed, 0xa0, 0x80, 0x0a]))).line).toBe(2);
		expect(await refusal('csv', Buffer.from('\ufeffemail\n', 'utf16le'))).toEqual({
			line: 1,
			reason: 'the file is UTF-16; export it as UTF-8',
		});
	});

	it('refuses a line longer than 64 KB before reading all of it, naming the line', async () => {
		const long = `a@example.com,${'x'.repeat(MAX_LINE_BYTES)}\n`;
		const refused = refusal('csv', cut(`email,city\n${long}b@example.com,y\n`, 4096), ['a@example.com']);
		expect(await refused).toEqual({ line: 2, reason: 'line longer than 65536 bytes' });
		// Exactly the bound passes, with LF or CRLF.
		const fits = `email\n${'x'.repeat(MAX_LINE_BYTES)}\r\n${'y'.repeat(MAX_LINE_BYTES)}`;
		expect(await read('csv', ...cut(fits, 1000))).toEqual([
			{ email: 'x'.repeat(MAX_LINE_BYTES) },
			{ email: 'y'.repeat(MAX_LINE_BYTES) },
		]);
		expect((await refusal('csv', `email\n${'z'.repeat(MAX_LINE_BYTES + 1)}`)).line).toBe(2);
	});

	it('refuses a row whose quoted line breaks make it longer than 64 KB, naming the line it starts on', async () => {
		const rows = `email,city\na@example.com,x\nb@example.com,"${'\n'.repeat(MAX_LINE_BYTES + 10)}"\n`;
		expect(await refusal('csv', cut(rows, 8192))).toEqual({ line: 3, reason: 'row longer than 65536 bytes' });
	});
});

describe('NDJSON', () => {
	it('reads one object a line: numbers and booleans as their text, null and empty as absent, unknown keys ignored', async () => {
		const file =
			'{"Email":"a@example.com","First Name":"Anna","phone":4930123456,"zip":10115,"gender":null,"vip":true,"tags":["x"]}\n' +
			'\n   \r\n' +
			'{"customer_id":42,"email":"  ","country":"DE","lifetime":{"value":3},"Notes":"n"}\r\n' +
			'{"id":"c-3","dob":"1990-05-17","city":"Köln","state":true}';
		const stream = readCustomerFile(pieces(file), 'ndjson');
		const rows: FlatCustomer[] = [];
		for await (const row of stream) rows.push(row);
		expect(rows).toEqual([
			{ email: 'a@example.com', first_name: 'Anna', phone: '4930123456', zip: '10115' },
			{ external_id: '42', country: 'DE' },
			{ external_id: 'c-3', dob: '1990-05-17', city: 'Köln', state: 'true' },
		]);
		expect(stream.unknownColumns()).toEqual(['vip', 'tags', 'lifetime', 'Notes']);
		expect(stream.lines()).toBe(5);
	});

	it('reads the same wherever the chunks cut it', async () => {
		const file = Buffer.from('\ufeff{"email":"zoë@example.com","city":"東京"}\r\n\r\n{"email":"ß@example.com"}\r\n');
		const whole = await read('ndjson', file);
		expect(whole).toEqual([{ email: 'zoë@example.com', city: '東京' }, { email: 'ß@example.com' }]);
		for (let at = 1; at < file.length; at++)
			expect(await read('ndjson', file.subarray(0, at), file.subarray(at))).toEqual(whole);
		expect(await read('ndjson', ...cut(file, 1))).toEqual(whole);
	});

	it('refuses lines that are not JSON objects, naming the line and what they are', async () => {
		const first = '{"email":"a@example.com"}\n\n';
		const cases: Array<[string, string]> = [
			['["b@example.com"]', 'a JSON array, not an object'],
			['4930123456', 'a JSON number, not an object'],
			['"b@example.com"', 'a JSON string, not an object'],
			['null', 'a JSON null, not an object'],
			['true', 'a JSON boolean, not an object'],
		];
		for (const [line, reason] of cases)
			expect(await refusal('ndjson', `${first}${line}\n`, ['b@example.com', '4930123456'])).toEqual({
				line: 3,
				reason,
			});
	});

	it('refuses text that is not JSON without quoting it (V8 would)', async () => {
		for (const text of ['{"email": b@example.com}', '{"email":"b@example.com"', "{'email':'b@example.com'}"])
			expect(await refusal('ndjson', `{"email":"a@example.com"}\n${text}\n`, ['b@example.com', 'example'])).toEqual({
				line: 2,
				reason: 'not valid JSON',
			});
	});

	it('refuses a nested value under a key it uses, naming the key, and ignores one under another key', async () => {
		expect(
			await refusal('ndjson', '{"email":"a@example.com"}\n{"Phone":{"home":"4930123456"}}\n', ['4930123456']),
		).toEqual({ line: 2, reason: 'key "Phone": a nested object, not a text or a number' });
		expect(await refusal('ndjson', '{"email":["a@example.com","b@example.com"]}\n', ['a@example.com'])).toEqual({
			line: 1,
			reason: 'key "email": a nested array, not a text or a number',
		});
		expect(await read('ndjson', '{"email":"a@example.com","address":{"city":"Berlin"}}\n')).toEqual([
			{ email: 'a@example.com' },
		]);
	});

	it('refuses an integer past 2^53 (it would be read as another number) and two keys for one field', async () => {
		expect(await refusal('ndjson', '{"id":12345678901234567890}\n')).toEqual({
			line: 1,
			reason: 'key "id": a number too large to be exact; write it as a string',
		});
		expect(await read('ndjson', '{"id":9007199254740991,"phone":1.5}\n')).toEqual([
			{ external_id: '9007199254740991', phone: '1.5' },
		]);
		expect(await refusal('ndjson', '{"email":"a@example.com","E-Mail":"b@example.com"}\n', ['a@example.com'])).toEqual({
			line: 1,
			reason: 'keys "email" and "E-Mail" both give email',
		});
	});

	it('refuses a long line and invalid UTF-8, naming the line', async () => {
		const long = `{"email":"a@example.com","x":"${'x'.repeat(MAX_LINE_BYTES)}"}\n`;
		expect(await refusal('ndjson', cut(`{"email":"a@example.com"}\n\n${long}`, 5000))).toEqual({
			line: 3,
			reason: 'line longer than 65536 bytes',
		});
		const bad = Buffer.concat([Buffer.from('{"email":"a'), Buffer.from([0xff]), Buffer.from('@example.com"}\n')]);
		expect(await refusal('ndjson', [Buffer.from('\n'), bad])).toEqual({ line: 2, reason: 'not valid UTF-8' });
	});
});

describe('reading takes time linear in the input', () => {
	/**
	 * The worst inputs for a CSV or NDJSON reader (a field of quotes, of delimiters, of quoted line
	 * breaks, deep nesting) against an ordinary export of the same size, in the same run. A
	 * quadratic step costs thousands of times more at 60,000 characters; linear stays within a
	 * small factor. Then the same worst case at 1/16 of the size: linear grows about 16 times.
	 */
	const N = 60_000;
	const ordinaryCsv = (n: number) => {
		const row = 'person.name123@example.com,Anna,Berlin,+4930123456\n';
		return `email,first_name,city,phone\n${row.repeat(Math.ceil(n / row.length))}`;
	};
	const ordinaryNdjson = (n: number) => {
		const row = '{"email":"person.name123@example.com","first_name":"Anna","city":"Berlin"}\n';
		return row.repeat(Math.ceil(n / row.length));
	};
	const HOSTILE: Record<string, { format: FileFormat; make: (n: number) => string }> = {
		'a field of "" escapes': { format: 'csv', make: (n) => `email\n"${'""'.repeat(n / 2)}"\n` },
		'a quote then nothing but quotes, unclosed': { format: 'csv', make: (n) => `email\n"${'"'.repeat(n - 1)}` },
		'a row of delimiters under a header of as many columns': {
			format: 'csv',
			make: (n) => `email${',c'.repeat(n / 4)}\n${','.repeat(n / 4)}\n`,
		},
		'a field of quoted line breaks': { format: 'csv', make: (n) => `email\n"${'\n'.repeat(n)}"\n` },
		'a field of quoted CRLFs': { format: 'csv', make: (n) => `email\n"${'\r\n'.repeat(n / 2)}"\n` },
		'one long unquoted field': { format: 'csv', make: (n) => `email\n${'a'.repeat(n)}\n` },
		'blank lines': { format: 'csv', make: (n) => `email\n${'\n'.repeat(n)}` },
		'deep nesting under an unknown key': {
			format: 'ndjson',
			make: (n) => `{"email":"a","x":${'['.repeat(n / 2)}${']'.repeat(n / 2)}}\n`,
		},
		'many distinct unknown keys': {
			format: 'ndjson',
			make: (n) => `{${Array.from({ length: n / 12 }, (_, i) => `"k${String(i).padStart(5, '0')}":1`).join(',')}}\n`,
		},
		'empty lines': { format: 'ndjson', make: (n) => '\n'.repeat(n) },
	};

	async function consume(format: FileFormat, input: Buffer): Promise<void> {
		try {
			for await (const row of readCustomerFile(pieces(...cut(input, 16 * 1024)), format)) void row;
		} catch (error) {
			if (!(error instanceof SourceLineError)) throw error;
		}
	}

	async function cost(format: FileFormat, input: Buffer, repeat: number): Promise<number> {
		const started = process.hrtime.bigint();
		for (let i = 0; i < repeat; i++) await consume(format, input);
		return Number(process.hrtime.bigint() - started);
	}

	/**
	 * Cost of `hostile` over the cost of `baseline`, measured in turns so a busy moment weighs on
	 * both; enough repeats that the baseline takes ~10 ms; the best of five turns counts, and of up to
	 * three attempts while the ratio is over `limit` (the machine runs other suites).
	 */
	async function ratio(format: FileFormat, hostile: Buffer, baseline: Buffer, limit: number): Promise<number> {
		let best = Infinity;
		for (let attempt = 0; attempt < 3 && best >= limit; attempt++) {
			let repeat = 1;
			while (repeat < 1 << 12 && (await cost(format, baseline, repeat)) < 1e7) repeat *= 2;
			let hostileCost = Infinity;
			let baselineCost = Infinity;
			for (let turn = 0; turn < 5; turn++) {
				hostileCost = Math.min(hostileCost, await cost(format, hostile, repeat));
				baselineCost = Math.min(baselineCost, await cost(format, baseline, repeat));
			}
			best = Math.min(best, hostileCost / baselineCost);
		}
		return best;
	}

	// A quadratic step at 60,000 characters costs a thousand times an ordinary file and more; linear
	// ones differ by their cost per line or column (a header of 15,000 columns, 60,000 empty lines).
	const SAME_SIZE_LIMIT = 50;
	// Sixteen times the input: linear is about 16, quadratic 256.
	const GROWTH = 16;
	const GROWTH_LIMIT = 64;

	for (const [name, { format, make }] of Object.entries(HOSTILE)) {
		it(name, async () => {
			const hostile = Buffer.from(make(N));
			const ordinary = Buffer.from((format === 'csv' ? ordinaryCsv : ordinaryNdjson)(hostile.length));
			const sameSize = await ratio(format, hostile, ordinary, SAME_SIZE_LIMIT);
			const growth = await ratio(format, hostile, Buffer.from(make(N / GROWTH)), GROWTH_LIMIT);
			expect({ sameSize: sameSize < SAME_SIZE_LIMIT, growth: growth < GROWTH_LIMIT }).toEqual({
				sameSize: true,
				growth: true,
			});
		});
	}
});

describe('memory', () => {
	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	const used = () => {
		gc();
		const { heapUsed, arrayBuffers } = process.memoryUsage();
		return heapUsed + arrayBuffers;
	};

	/** 200,000 customers (about 30 MB) made as they are read, 64 KB at a time. */
	async function* bigFile(format: FileFormat, rows: number): AsyncGenerator<Buffer> {
		let text = format === 'csv' ? 'email,first_name,last_name,phone,city,zip,country,Notes\r\n' : '';
		for (let i = 0; i < rows; i++) {
			const email = `customer.${i}@example.com`;
			text +=
				format === 'csv'
					? `${email},Anna ${i},"Berg, ${i}",+49301234${i},Berlin,${10000 + (i % 90000)},DE,"note ""${i}"" here"\r\n`
					: `${JSON.stringify({ email, first_name: `Anna ${i}`, last_name: `Berg ${i}`, phone: `+49301234${i}`, city: 'Berlin', zip: 10000 + (i % 90000), country: 'DE', notes: `note ${i}` })}\n`;
			if (text.length >= 64 * 1024) {
				yield Buffer.from(text);
				text = '';
			}
		}
		if (text) yield Buffer.from(text);
	}

	for (const format of ['csv', 'ndjson'] as const) {
		it(`${format}: 200,000 rows streamed with flat memory`, async () => {
			const ROWS = 200_000;
			const baseline = used();
			const samples: number[] = [];
			let count = 0;
			let last: FlatCustomer | undefined;
			for await (const row of readCustomerFile(bigFile(format, ROWS), format)) {
				count++;
				last = row;
				if (count % 20_000 === 0) samples.push(used() - baseline);
			}
			expect(count).toBe(ROWS);
			expect(last).toMatchObject({ email: `customer.${ROWS - 1}@example.com`, country: 'DE' });
			// Keeping the rows would cost over 100 MB; a reader holds one line and one 64 KB piece.
			const peak = Math.max(...samples);
			expect({ peakMB: Math.round(peak / 1e6) < 16, growthMB: (samples.at(-1)! - samples[0]) / 1e6 < 8 }).toEqual({
				peakMB: true,
				growthMB: true,
			});
		});
	}
});
