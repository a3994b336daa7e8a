import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FLAT_FIELDS, type FlatCustomer, type FlatField } from './fileRows';

/**
 * An uploaded file is kept in the database in chunks, each one encrypted: the rows are customers'
 * raw e-mails, phones and names, which the service never stores in clear.
 *
 * A chunk: version (1 byte) | nonce (12) | AES-256-GCM of gzip(JSON lines) | tag (16). The job id
 * (and the version) are the additional data, so a chunk copied into another job does not decrypt.
 */

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;
// Fixed labels: every replica derives the same key from the shared API secret.
const KEY_SALT = 'conversion-relay';
const KEY_INFO = 'sync-job file chunk v1';

/** At most this many rows a chunk. */
export const MAX_CHUNK_ROWS = 10_000;
/** The JSON lines of a chunk stay under this; gzip never grows them by more than a few bytes. */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;
// Room for gzip's worst case on incompressible text, and a bound for gunzip on decode.
const MAX_PLAIN_BYTES = MAX_CHUNK_BYTES + 64 * 1024;

export class ChunkDecodeError extends Error {
	constructor(reason: string) {
		super(`file chunk: ${reason}`);
		this.name = 'ChunkDecodeError';
	}
}

/** The key chunks are encrypted with, derived (HKDF-SHA256) from the relay's API secret. */
export function chunkKey(apiSecret: string): Buffer {
	if (apiSecret === '') throw new Error('chunkKey: the API secret is empty');
	return Buffer.from(hkdfSync('sha256', apiSecret, KEY_SALT, KEY_INFO, 32));
}

function additionalData(jobId: string): Buffer {
	return Buffer.concat([Buffer.from([VERSION]), Buffer.from(`job:${jobId}`, 'utf8')]);
}

function checkKey(key: Buffer): void {
	if (key.length !== 32) throw new Error(`chunk key: 32 bytes expected, got ${key.length}`);
}

/** Encrypts rows already serialized as JSON lines. */
function encodeLines(key: Buffer, jobId: string, lines: string): Buffer {
	checkKey(key);
	const nonce = randomBytes(NONCE_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
	cipher.setAAD(additionalData(jobId));
	const body = Buffer.concat([cipher.update(gzipSync(Buffer.from(lines, 'utf8'))), cipher.final()]);
	return Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]);
}

const rowLine = (row: FlatCustomer) => `${JSON.stringify(row)}\n`;

/** Rows as one encrypted chunk of the job `jobId`. */
export function encodeChunk(key: Buffer, jobId: string, rows: readonly FlatCustomer[]): Buffer {
	return encodeLines(key, jobId, rows.map(rowLine).join(''));
}

function decrypt(key: Buffer, jobId: string, data: Buffer): Buffer {
	checkKey(key);
	const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(1, HEADER_BYTES), { authTagLength: TAG_BYTES });
	decipher.setAAD(additionalData(jobId));
	decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
	return Buffer.concat([decipher.update(data.subarray(HEADER_BYTES, data.length - TAG_BYTES)), decipher.final()]);
}

const FIELDS = new Set<string>(FLAT_FIELDS);

function parseRow(line: string, index: number): FlatCustomer {
	const value: unknown = JSON.parse(line);
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw new ChunkDecodeError(`row ${index + 1} is not an object`);
	const row: FlatCustomer = {};
	for (const [key, text] of Object.entries(value)) {
		if (!FIELDS.has(key) || typeof text !== 'string')
			throw new ChunkDecodeError(`row ${index + 1} has an unknown value`);
		row[key as FlatField] = text;
	}
	return row;
}

/**
 * The rows of a chunk of the job `jobId`. Several keys may be given (the current secret's first, then
 * the previous one's during a rotation): the tag tells which one encrypted it. Altered data, another
 * job's chunk or an unknown key is a ChunkDecodeError.
 */
export function decodeChunk(keys: Buffer | readonly Buffer[], jobId: string, data: Buffer): FlatCustomer[] {
	if (data.length < HEADER_BYTES + TAG_BYTES) throw new ChunkDecodeError(`too short (${data.length} bytes)`);
	if (data[0] !== VERSION) throw new ChunkDecodeError(`unknown version ${data[0]}`);
	let compressed: Buffer | undefined;
	for (const key of Buffer.isBuffer(keys) ? [keys] : keys) {
		try {
			compressed = decrypt(key, jobId, data);
			break;
		} catch (error) {
			if (error instanceof Error && /^chunk key:/.test(error.message)) throw error;
		}
	}
	if (!compressed)
		throw new ChunkDecodeError('cannot be decrypted: altered, from another job, or encrypted with another API secret');
	let text: string;
	try {
		text = gunzipSync(compressed, { maxOutputLength: MAX_PLAIN_BYTES }).toString('utf8');
	} catch {
		throw new ChunkDecodeError('not a gzip stream within its size bound');
	}
	const lines = text.split('\n');
	if (lines.pop() !== '') throw new ChunkDecodeError('the last row is cut');
	try {
		return lines.map(parseRow);
	} catch (error) {
		if (error instanceof ChunkDecodeError) throw error;
		throw new ChunkDecodeError('a row is not valid JSON');
	}
}

/** Stores one chunk: `seq` counts from 0, `records` is its number of rows. */
export type PutChunk = (seq: number, records: number, data: Buffer) => Promise<void>;

export interface ChunkWriterOptions {
	key: Buffer;
	jobId: string;
	put: PutChunk;
	/** Default MAX_CHUNK_ROWS. */
	maxRows?: number;
	/** Default MAX_CHUNK_BYTES (of JSON lines, before gzip). */
	maxBytes?: number;
}

/**
 * Groups rows into chunks of at most maxRows rows or maxBytes bytes and stores each through `put`.
 * add() resolves once the row is taken; when it fills a chunk, only after the chunk is stored, so an
 * upload is read no faster than the database takes it:
 *
 *   for await (const row of readCustomerFile(req, format)) await writer.add(row);
 *   const { records, chunks } = await writer.close();
 */
export class ChunkWriter {
	private lines: string[] = [];
	private bytes = 0;
	private seq = 0;
	private records = 0;
	private state: 'open' | 'closed' | 'failed' = 'open';
	private busy = false;
	private readonly maxRows: number;
	private readonly maxBytes: number;

	constructor(private readonly options: ChunkWriterOptions) {
		checkKey(options.key);
		this.maxRows = options.maxRows ?? MAX_CHUNK_ROWS;
		this.maxBytes = options.maxBytes ?? MAX_CHUNK_BYTES;
		if (this.maxRows < 1 || this.maxRows > MAX_CHUNK_ROWS) throw new Error(`maxRows: 1..${MAX_CHUNK_ROWS}`);
		if (this.maxBytes < 1 || this.maxBytes > MAX_CHUNK_BYTES) throw new Error(`maxBytes: 1..${MAX_CHUNK_BYTES}`);
	}

	/** One call at a time: await it before the next. */
	async add(row: FlatCustomer): Promise<void> {
		this.usable();
		const line = rowLine(row);
		const size = Buffer.byteLength(line, 'utf8');
		if (size > this.maxBytes) throw new Error(`a row of ${size} bytes exceeds the chunk bound of ${this.maxBytes}`);
		if (this.bytes + size > this.maxBytes) await this.flushing();
		this.lines.push(line);
		this.bytes += size;
		if (this.lines.length >= this.maxRows) await this.flushing();
	}

	/** Stores what is left; the totals are what JobSpec.file records. */
	async close(): Promise<{ records: number; chunks: number }> {
		this.usable();
		if (this.lines.length > 0) await this.flushing();
		this.state = 'closed';
		return { records: this.records, chunks: this.seq };
	}

	private usable(): void {
		if (this.state !== 'open') throw new Error(`chunk writer is ${this.state}`);
		// Two adds at once would store two chunks under one seq, or none.
		if (this.busy) throw new Error('chunk writer: add() called before the previous one resolved');
	}

	private async flushing(): Promise<void> {
		this.busy = true;
		try {
			await this.flush();
		} finally {
			this.busy = false;
		}
	}

	private async flush(): Promise<void> {
		const rows = this.lines.length;
		const data = encodeLines(this.options.key, this.options.jobId, this.lines.join(''));
		this.lines = [];
		this.bytes = 0;
		try {
			await this.options.put(this.seq, rows, data);
		} catch (error) {
			// A chunk that may or may not be stored: the upload cannot go on from here.
			this.state = 'failed';
			throw error;
		}
		this.seq++;
		this.records += rows;
	}
}
