import { createHash } from 'node:crypto';
import {
	audienceBatches,
	parseSchema,
	SessionCounter,
	withSessions,
	type InvalidRecord,
} from '../../../nodes/core/audiences';
import { audienceRow } from '../../../nodes/core/normalize';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('audience rows', () => {
	it('hashes mary@example.com to the documented value', () => {
		expect(audienceRow(['EMAIL'], { EMAIL: 'mary@example.com' })).toEqual([
			'f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79',
		]);
	});

	it('hashes each key by its rule, keeps "" for missing values and leaves MADID / EXTERN_ID unhashed', () => {
		const schema = parseSchema([
			'EMAIL',
			'PHONE',
			'FN',
			'FI',
			'LN',
			'GEN',
			'DOBY',
			'DOBM',
			'DOBD',
			'CT',
			'ST',
			'ZIP',
			'COUNTRY',
			'MADID',
			'EXTERN_ID',
		]);
		const row = audienceRow(schema, {
			EMAIL: ' Mary@Example.com ',
			PHONE: '(650) 555-1212',
			FN: 'Mary-Ann',
			FI: 'Mary',
			LN: '',
			GEN: 'Female',
			DOBY: '1997-02-16',
			DOBM: 'Feb',
			DOBD: '6',
			CT: 'St. Louis',
			ST: 'Missouri',
			ZIP: '63101-1234',
			COUNTRY: 'United States',
			MADID: 'AB12CD34-1234-5678-9ABC-DEF012345678',
			EXTERN_ID: ' cust-42 ',
		});
		expect(row).toEqual([
			sha('mary@example.com'),
			sha('16505551212'),
			sha('maryann'),
			sha('m'),
			'',
			sha('f'),
			sha('1997'),
			sha('02'),
			sha('06'),
			sha('stlouis'),
			sha('mo'),
			sha('63101'),
			sha('us'),
			'ab12cd34-1234-5678-9abc-def012345678',
			'cust-42',
		]);
	});

	it('treats a row with no identifier as invalid, and LOOKALIKE_VALUE alone as none', () => {
		expect(audienceRow(['EMAIL', 'PHONE'], { EMAIL: 'nope', PHONE: '' })).toBeUndefined();
		expect(audienceRow(['EMAIL', 'LOOKALIKE_VALUE'], { LOOKALIKE_VALUE: 12.5 })).toBeUndefined();
		expect(audienceRow(['EMAIL', 'LOOKALIKE_VALUE'], { EMAIL: 'a@b.co', LOOKALIKE_VALUE: 12.5 })).toEqual([
			sha('a@b.co'),
			'12.5',
		]);
	});

	it('validates the schema, naming the bad key', () => {
		expect(parseSchema([' email', 'Phone'])).toEqual(['EMAIL', 'PHONE']);
		expect(() => parseSchema(['EMAIL', 'MAIL'])).toThrow('schema key "MAIL" is not one of');
		expect(() => parseSchema(['EMAIL', 'email'])).toThrow('schema key EMAIL appears twice');
		expect(() => parseSchema([])).toThrow('at least one key');
	});
});

describe('audience batches and replace sessions', () => {
	function* customers(n: number) {
		for (let i = 0; i < n; i++) yield { EMAIL: i % 1000 === 7 ? 'broken' : `c${i}@example.com` };
	}

	it('cuts 25,000 records into 10,000-row requests, reporting invalid rows by index', () => {
		const invalid: InvalidRecord[] = [];
		const batches = [...audienceBatches(['EMAIL'], customers(25_000), invalid)];
		expect(batches.map((b) => b.payload.data.length)).toEqual([10_000, 10_000, 4_975]);
		expect(invalid.length).toBe(25);
		expect(invalid[0]).toEqual({ index: 7, reason: 'no usable identifier for EMAIL' });
		expect(batches[0].indexes[7]).toBe(8);
		expect(batches[0].payload.schema).toEqual(['EMAIL']);
	});

	it('numbers one session across batches, flagging only the last', () => {
		const counter = new SessionCounter(123456789, 25_000);
		const sessions = [...withSessions(audienceBatches(['EMAIL'], customers(25_000)), counter)].map((b) => b.session);
		expect(sessions).toEqual([
			{ session_id: 123456789, batch_seq: 1, last_batch_flag: false, estimated_num_total: 25_000 },
			{ session_id: 123456789, batch_seq: 2, last_batch_flag: false, estimated_num_total: 25_000 },
			{ session_id: 123456789, batch_seq: 3, last_batch_flag: true, estimated_num_total: 25_000 },
		]);
	});

	it('makes random session ids that are safe integers', () => {
		const ids = new Set(Array.from({ length: 100 }, () => new SessionCounter().sessionId));
		expect(ids.size).toBe(100);
		for (const id of ids) expect(Number.isSafeInteger(id) && id > 0).toBe(true);
	});
});
