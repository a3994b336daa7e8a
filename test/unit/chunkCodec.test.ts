import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
	ChunkDecodeError,
	chunkKey,
	ChunkWriter,
	decodeChunk,
	encodeChunk,
	MAX_CHUNK_BYTES,
	MAX_CHUNK_ROWS,
} from '../../service/src/usecases/jobs/chunkCodec';
import { readCustomerFile, type FlatCustomer } from '../../service/src/usecases/jobs/fileRows';

const SECRET = 'relay-api-secret-0123456789abcdef';
const KEY = chunkKey(SECRET);
const JOB = '7d1f3c2a-5b6e-4f7a-8c9d-0e1f2a3b4c5d';

const customer = (i: number): FlatCustomer => ({
	email: `customer.${i}@example.com`,
	phone: `+4930${String(i).padStart(7, '0')}`,
	first_name: i % 2 ? 'Zoë' : 'Søren 🙂',
	last_name: `Berg ${i}`,
	city: '東京',
	zip: String(10000 + i),
	country: 'DE',
	external_id: `c-${i}`,
	dob: '1990-05-17',
	gender: 'f',
});
const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => customer(from + i));

function expectDecodeError(run: () => unknown, reason: RegExp): void {
	let thrown: unknown;
	try {
		run();
	} catch (error) {
		thrown = error;
	}
	expect(thrown).toBeInstanceOf(ChunkDecodeError);
	expect((thrown as Error).message).toMatch(reason);
}

describe('chunkKey', () => {
	it('derives the same 32-byte key from the same secret on every replica, another from another secret', () => {
		expect(KEY).toHaveLength(32);
		expect(chunkKey(SECRET).equals(KEY)).toBe(true);
		expect(chunkKey(`${SECRET}x`).equals(KEY)).toBe(false);
		// Not the secret itself, nor a plain hash of it.
		expect(KEY.toString('latin1')).not.toContain(SECRET.slice(0, 16));
		expect(() => chunkKey('')).toThrow('the API secret is empty');
	});
});

describe('encodeChunk / decodeChunk', () => {
	it('round-trips rows, unicode included', () => {
		const input = [...rows(50), {}, { email: 'a"b\\c\n@example.com', city: '\u0000\u2028' }];
		expect(decodeChunk(KEY, JOB, encodeChunk(KEY, JOB, input))).toEqual(input);
		expect(decodeChunk(KEY, JOB, encodeChunk(KEY, JOB, []))).toEqual([]);
	});

	it('holds no e-mail, phone or name in clear, and encrypts the same rows differently each time', () => {
		const input = rows(200);
		const data = encodeChunk(KEY, JOB, input);
		for (const row of input)
			for (const value of [row.email!, row.email!.split('@')[0], row.phone!, row.last_name!, row.external_id!]) {
				expect(data.includes(Buffer.from(value, 'utf8'))).toBe(false);
				expect(data.includes(Buffer.from(value, 'utf16le'))).toBe(false);
			}
		expect(data.includes(Buffer.from('example.com'))).toBe(false);
		expect(data.includes(Buffer.from('Søren'))).toBe(false);
		const again = encodeChunk(KEY, JOB, input);
		expect(again.equals(data)).toBe(false);
		expect(again.subarray(1, 13).equals(data.subarray(1, 13))).toBe(false);
	});

	it('refuses a chunk altered anywhere: version, nonce, body, tag, length', () => {
		const data = encodeChunk(KEY, JOB, rows(20));
		for (const at of [
			1,
			5,
			12,
			13,
			20,
			Math.floor(data.length / 2),
			data.length - 17,
			data.length - 16,
			data.length - 1,
		]) {
			const altered = Buffer.from(data);
			altered[at] ^= 0x01;
			expectDecodeError(() => decodeChunk(KEY, JOB, altered), /cannot be decrypted/);
		}
		const version = Buffer.from(data);
		version[0] = 2;
		expectDecodeError(() => decodeChunk(KEY, JOB, version), /unknown version 2/);
		expectDecodeError(() => decodeChunk(KEY, JOB, data.subarray(0, data.length - 1)), /cannot be decrypted/);
		expectDecodeError(() => decodeChunk(KEY, JOB, Buffer.concat([data, Buffer.from([0])])), /cannot be decrypted/);
		expectDecodeError(() => decodeChunk(KEY, JOB, data.subarray(0, 20)), /too short/);
		expect(decodeChunk(KEY, JOB, data)).toEqual(rows(20));
	});

	it("refuses another job's chunk and another secret's key", () => {
		const data = encodeChunk(KEY, JOB, rows(3));
		expectDecodeError(() => decodeChunk(KEY, `${JOB.slice(0, -1)}e`, data), /from another job/);
		expectDecodeError(() => decodeChunk(KEY, '', data), /from another job/);
		expectDecodeError(() => decodeChunk(chunkKey('another-secret-0123456789'), JOB, data), /another API secret/);
	});

	it('reads chunks of the previous secret during a rotation, when its key is given too', () => {
		const old = chunkKey('the-previous-secret-0123456789');
		const data = encodeChunk(old, JOB, rows(3));
		expect(decodeChunk([KEY, old], JOB, data)).toEqual(rows(3));
		expectDecodeError(() => decodeChunk([KEY], JOB, data), /cannot be decrypted/);
		expect(() => decodeChunk([Buffer.alloc(16)], JOB, data)).toThrow('32 bytes expected');
	});
});

describe('ChunkWriter', () => {
	interface Stored {
		seq: number;
		records: number;
		data: Buffer;
	}
	const collecting = (stored: Stored[]) => async (seq: number, records: number, data: Buffer) => {
		stored.push({ seq, records, data });
	};

	it('cuts 25,000 rows into chunks of 10,000, numbered from 0, that decode back in order', async () => {
		const stored: Stored[] = [];
		const writer = new ChunkWriter({ key: KEY, jobId: JOB, put: collecting(stored) });
		const input = rows(25_000);
		for (const row of input) await writer.add(row);
		expect(await writer.close()).toEqual({ records: 25_000, chunks: 3 });
		expect(stored.map(({ seq, records }) => [seq, records])).toEqual([
			[0, MAX_CHUNK_ROWS],
			[1, MAX_CHUNK_ROWS],
			[2, 5_000],
		]);
		expect(stored.flatMap(({ data }) => decodeChunk(KEY, JOB, data))).toEqual(input);
	});

	it('cuts by size before 10,000 rows when rows are large, each chunk within ~8 MB', async () => {
		const stored: Stored[] = [];
		const writer = new ChunkWriter({ key: KEY, jobId: JOB, put: collecting(stored) });
		// Random text does not compress: the encoded chunk is about as large as its JSON.
		const big = (i: number): FlatCustomer => ({
			email: `c${i}@example.com`,
			city: randomBytes(600).toString('base64'),
		});
		let sent = 0;
		for (let i = 0; i < 12_000; i++) {
			await writer.add(big(i));
			sent++;
		}
		const totals = await writer.close();
		expect(totals.records).toBe(sent);
		expect(stored.length).toBeGreaterThan(1);
		for (const { records, data } of stored.slice(0, -1)) {
			expect(records).toBeLessThan(MAX_CHUNK_ROWS);
			expect(data.length).toBeLessThanOrEqual(MAX_CHUNK_BYTES + 64 * 1024);
		}
		expect(stored.reduce((n, s) => n + s.records, 0)).toBe(sent);
		expect(decodeChunk(KEY, JOB, stored[1].data)[0].email).toBe(`c${stored[0].records}@example.com`);
	});

	it('a smaller byte bound cuts sooner, and a row larger than the bound is refused', async () => {
		const stored: Stored[] = [];
		const writer = new ChunkWriter({ key: KEY, jobId: JOB, put: collecting(stored), maxBytes: 1_000 });
		for (const row of rows(30)) await writer.add(row);
		await writer.close();
		const sizes = stored.map(({ data }) =>
			decodeChunk(KEY, JOB, data)
				.map((r) => `${JSON.stringify(r)}\n`)
				.join(''),
		);
		for (const text of sizes) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1_000);
		expect(stored.reduce((n, s) => n + s.records, 0)).toBe(30);
		const small = new ChunkWriter({ key: KEY, jobId: JOB, put: collecting([]), maxBytes: 100 });
		await expect(small.add(customer(1))).rejects.toThrow(/exceeds the chunk bound of 100/);
	});

	it('waits for each put before taking more rows (backpressure)', async () => {
		let release: () => void = () => undefined;
		const puts: number[] = [];
		const writer = new ChunkWriter({
			key: KEY,
			jobId: JOB,
			maxRows: 2,
			put: (seq) => {
				puts.push(seq);
				return new Promise<void>((resolve) => (release = resolve));
			},
		});
		await writer.add(customer(0));
		let added = false;
		const second = writer.add(customer(1)).then(() => (added = true));
		await new Promise((resolve) => setImmediate(resolve));
		expect([puts, added]).toEqual([[0], false]);
		await expect(writer.add(customer(2))).rejects.toThrow('before the previous one resolved');
		release();
		await second;
		expect(added).toBe(true);
		await writer.add(customer(3));
		const closing = writer.close();
		await new Promise((resolve) => setImmediate(resolve));
		expect(puts).toEqual([0, 1]);
		release();
		expect(await closing).toEqual({ records: 3, chunks: 2 });
	});

	it('stops at a failed put: the error comes through, and the writer takes nothing more', async () => {
		const writer = new ChunkWriter({
			key: KEY,
			jobId: JOB,
			maxRows: 1,
			put: async () => {
				throw new Error('database gone');
			},
		});
		await expect(writer.add(customer(0))).rejects.toThrow('database gone');
		await expect(writer.add(customer(1))).rejects.toThrow('chunk writer is failed');
		await expect(writer.close()).rejects.toThrow('chunk writer is failed');
	});

	it('closes with nothing to store, and takes nothing after close', async () => {
		const stored: Stored[] = [];
		const writer = new ChunkWriter({ key: KEY, jobId: JOB, put: collecting(stored) });
		expect(await writer.close()).toEqual({ records: 0, chunks: 0 });
		expect(stored).toEqual([]);
		await expect(writer.add(customer(0))).rejects.toThrow('chunk writer is closed');
		expect(() => new ChunkWriter({ key: KEY, jobId: JOB, put: collecting([]), maxRows: 10_001 })).toThrow('maxRows');
		expect(() => new ChunkWriter({ key: Buffer.alloc(8), jobId: JOB, put: collecting([]) })).toThrow('32 bytes');
	});

	it('uploads 200,000 streamed rows into chunks with flat memory, no e-mail in clear', async () => {
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as () => void;
		const used = () => {
			gc();
			const { heapUsed, arrayBuffers } = process.memoryUsage();
			return heapUsed + arrayBuffers;
		};
		const ROWS = 200_000;
		async function* file(): AsyncGenerator<Buffer> {
			let text = 'email,first_name,last_name,phone,zip,country\n';
			for (let i = 0; i < ROWS; i++) {
				text += `customer.${i}@example.com,Anna,"Berg, ${i}",+4930${i},${10000 + (i % 90000)},DE\n`;
				if (text.length >= 64 * 1024) {
					yield Buffer.from(text);
					text = '';
				}
			}
			yield Buffer.from(text);
		}
		// The store keeps what a database would not show in clear: a sample of e-mails to look for.
		const samples: number[] = [];
		let chunks = 0;
		let leaked = 0;
		let storedBytes = 0;
		const baseline = used();
		const writer = new ChunkWriter({
			key: KEY,
			jobId: JOB,
			put: async (seq, records, data) => {
				chunks++;
				storedBytes += data.length;
				const first = seq * MAX_CHUNK_ROWS;
				for (const i of [first, first + 1, first + records - 1])
					if (data.includes(Buffer.from(`customer.${i}@example.com`))) leaked++;
				if (data.includes(Buffer.from('@example.com'))) leaked++;
				samples.push(used() - baseline);
			},
		});
		for await (const row of readCustomerFile(file(), 'csv')) await writer.add(row);
		expect(await writer.close()).toEqual({ records: ROWS, chunks: ROWS / MAX_CHUNK_ROWS });
		expect([chunks, leaked]).toEqual([20, 0]);
		// The file is ~14 MB, its rows as objects over 100 MB; the writer holds one chunk of rows.
		expect(storedBytes).toBeLessThan(14e6);
		const peak = Math.max(...samples);
		expect({ peakUnder24MB: peak < 24e6, growthUnder8MB: samples.at(-1)! - samples[0] < 8e6 }).toEqual({
			peakUnder24MB: true,
			growthUnder8MB: true,
		});
	});
});
