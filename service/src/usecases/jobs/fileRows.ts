import { SourceLineError, type FileFormat } from './types';

/**
 * Reading an uploaded customer file (a CRM export, NDJSON or CSV) as a stream: one physical line
 * at a time, each bounded, so a file of hundreds of MB costs one line of memory and time linear in
 * its size. Errors name the line and the reason, never a value (values are personal data).
 */

/** The columns a customer file can fill; every value is text as the file had it, trimmed. */
export const FLAT_FIELDS = [
	'email',
	'phone',
	'first_name',
	'last_name',
	'city',
	'state',
	'zip',
	'country',
	'external_id',
	'dob',
	'gender',
] as const;
export type FlatField = (typeof FLAT_FIELDS)[number];
export type FlatCustomer = Partial<Record<FlatField, string>>;

/** A physical line, and a CSV row spanning lines, may hold at most this many bytes. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Unknown column names kept for the answer, and how much of each. */
export const MAX_UNKNOWN_COLUMNS = 50;
const MAX_NAME_CHARS = 64;

// Names compared without case and separators: "First Name", "first_name" and "FirstName" are one.
const ALIASES: Record<FlatField, string[]> = {
	email: ['email', 'emailaddress'],
	phone: ['phone', 'phonenumber'],
	first_name: ['firstname', 'givenname'],
	last_name: ['lastname', 'surname', 'familyname'],
	city: ['city'],
	state: ['state', 'province', 'region'],
	zip: ['zip', 'zipcode', 'postalcode', 'postcode'],
	country: ['country', 'countrycode'],
	external_id: ['externalid', 'id', 'customerid'],
	dob: ['dob', 'dateofbirth', 'birthday'],
	gender: ['gender'],
};
const BY_NAME = new Map<string, FlatField>(
	FLAT_FIELDS.flatMap((field) => ALIASES[field].map((name) => [name, field] as const)),
);

const squeeze = (name: string) => name.toLowerCase().replace(/[\s_\-.]+/g, '');

/** The field a column (CSV) or key (NDJSON) fills, or undefined for one this service does not use. */
export function fieldOfColumn(name: string): FlatField | undefined {
	// Longer names cannot be an alias; not squeezing them keeps a 60 KB header name cheap.
	return name.length > MAX_NAME_CHARS ? undefined : BY_NAME.get(squeeze(name.trim()));
}

/** Column names (as the user wrote them, shortened) that fill no field; empty names are left out. */
export function unknownColumns(names: readonly string[]): string[] {
	const seen = new Set<string>();
	for (const name of names) {
		if (seen.size >= MAX_UNKNOWN_COLUMNS) break;
		if (name.trim() !== '' && fieldOfColumn(name) === undefined) seen.add(shorten(name));
	}
	return [...seen];
}

/**
 * Whether a file with these fields can match anybody: an e-mail, a phone or an external id, or a
 * whole name with a zip or a country. A name alone, a city or a birthday alone cannot.
 */
export function hasIdentifier(fields: ReadonlySet<FlatField>): boolean {
	if (fields.has('email') || fields.has('phone') || fields.has('external_id')) return true;
	return fields.has('first_name') && fields.has('last_name') && (fields.has('zip') || fields.has('country'));
}

const shorten = (name: string) => {
	const text = name.trim();
	// Whole characters: a cut surrogate pair would not survive JSON or Postgres.
	const kept = Array.from(text.slice(0, MAX_NAME_CHARS * 2))
		.slice(0, MAX_NAME_CHARS)
		.join('');
	return kept.length < text.length ? `${kept}…` : kept;
};

// A column or key name inside an error: quoted, shortened, control characters dropped.
const CONTROL = /[\u0000-\u001f\u007f]/g;
const quoted = (name: string) => `"${shorten(name).replace(CONTROL, '')}"`;

export interface CustomerFileStream extends AsyncGenerator<FlatCustomer, void, undefined> {
	/** Column (CSV header) or key (NDJSON, so far) names that fill no field, at most 50. */
	unknownColumns(): string[];
	/** Physical lines read so far. */
	lines(): number;
}

/**
 * The customers of an uploaded file, one at a time. `body` is the request (or any stream of bytes);
 * a refused line ends the stream with a SourceLineError. Use unknownColumns() after the first
 * row (CSV: the header) or at the end (NDJSON) to tell the user which columns were ignored.
 */
export function readCustomerFile(body: AsyncIterable<Buffer | string>, format: FileFormat): CustomerFileStream {
	const state: ReaderState = { lines: 0, unknown: new Set() };
	const rows = customers(body, state, format === 'csv' ? new CsvReader(state) : new NdjsonReader(state));
	return Object.assign(rows, {
		unknownColumns: () => [...state.unknown],
		lines: () => state.lines,
	});
}

interface ReaderState {
	lines: number;
	unknown: Set<string>;
}

interface PhysicalLine {
	/** 1-based over the file. */
	number: number;
	text: string;
	/** What ended it: '\n', '\r\n', or '' for the last line of a file without a final newline. */
	eol: string;
	/** Its length in bytes, without the line break. */
	bytes: number;
}

/** Turns physical lines into customers: a line gives one, none (blank, header, open quote) or a refusal. */
interface LineReader {
	line(line: PhysicalLine): FlatCustomer | undefined;
	/** After the last line: refuses what is left unfinished. */
	end(): void;
}

/**
 * Lines are handled synchronously, chunk by chunk: only rows cross the async generator, so a
 * file of blank lines does not pay an await per line.
 */
async function* customers(
	body: AsyncIterable<Buffer | string>,
	state: ReaderState,
	reader: LineReader,
): AsyncGenerator<FlatCustomer, void, undefined> {
	const splitter = new LineSplitter(state);
	for await (const piece of body) {
		for (const line of splitter.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece)) {
			const row = reader.line(line);
			if (row) yield row;
		}
	}
	const last = splitter.end();
	if (last) {
		const row = reader.line(last);
		if (row) yield row;
	}
	reader.end();
}

const LF = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Physical lines of a byte stream. Splitting on the LF byte is safe in UTF-8 (no multi-byte
 * character contains 0x0a), so a character or a CRLF cut between two chunks is whole again here.
 * A line is kept only up to its bound: a longer one is refused before the rest of it arrives.
 */
class LineSplitter {
	private parts: Buffer[] = [];
	private pending = 0;
	private number = 0;

	constructor(private readonly state: ReaderState) {}

	*push(chunk: Buffer): Generator<PhysicalLine> {
		let from = 0;
		for (let at = chunk.indexOf(LF, from); at !== -1; at = chunk.indexOf(LF, from)) {
			// One byte over the bound may be the CR of a CRLF: line() decides.
			if (this.pending + at - from > MAX_LINE_BYTES + 1) throw this.tooLong(this.number + 1);
			if (this.parts.length === 0) {
				yield this.line(chunk, from, at, false);
			} else {
				const bytes = Buffer.concat([...this.parts, chunk.subarray(from, at)], this.pending + at - from);
				this.parts = [];
				this.pending = 0;
				yield this.line(bytes, 0, bytes.length, false);
			}
			from = at + 1;
		}
		if (from < chunk.length) {
			this.pending += chunk.length - from;
			if (this.pending > MAX_LINE_BYTES + 1) throw this.tooLong(this.number + 1);
			this.parts.push(chunk.subarray(from));
		}
	}

	/** The last line, when the file does not end with a line break. */
	end(): PhysicalLine | undefined {
		if (this.pending === 0) return undefined;
		const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.pending);
		this.parts = [];
		this.pending = 0;
		return this.line(bytes, 0, bytes.length, true);
	}

	private tooLong(line: number): SourceLineError {
		return new SourceLineError(line, `line longer than ${MAX_LINE_BYTES} bytes`);
	}

	/** The line held in bytes[start, end), its LF (if any) not included. */
	private line(bytes: Buffer, start: number, end: number, last: boolean): PhysicalLine {
		const number = ++this.number;
		this.state.lines = number;
		const crlf = end > start && bytes[end - 1] === CR;
		if (crlf) end--;
		const eol = last ? '' : crlf ? '\r\n' : '\n';
		if (end - start > MAX_LINE_BYTES) throw this.tooLong(number);
		if (number === 1) {
			if (bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
			else if (
				(bytes[start] === 0xff && bytes[start + 1] === 0xfe) ||
				(bytes[start] === 0xfe && bytes[start + 1] === 0xff)
			)
				throw new SourceLineError(1, 'the file is UTF-16; export it as UTF-8');
		}
		if (end <= start) return { number, text: '', eol, bytes: 0 };
		let text: string;
		try {
			text = decoder.decode(bytes.subarray(start, end));
		} catch {
			throw new SourceLineError(number, 'not valid UTF-8');
		}
		return { number, text, eol, bytes: end - start };
	}
}

// ---- NDJSON ----------------------------------------------------------------------------------

const KEY_CACHE_LIMIT = 1_000;

class NdjsonReader implements LineReader {
	// Lines of one export share their keys: each name is looked up once.
	private readonly fieldOf = new Map<string, FlatField | null>();

	constructor(private readonly state: ReaderState) {}

	line({ number, text }: PhysicalLine): FlatCustomer | undefined {
		if (text === '' || text.trim() === '') return undefined;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			// V8's message quotes the text around the error: the customer's data.
			throw new SourceLineError(number, 'not valid JSON');
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value))
			throw new SourceLineError(number, `a JSON ${jsonKind(value)}, not an object`);
		return this.customer(value as Record<string, unknown>, number);
	}

	end(): void {}

	private lookup(key: string): FlatField | undefined {
		const known = this.fieldOf.get(key);
		if (known !== undefined) return known ?? undefined;
		const field = fieldOfColumn(key);
		if (this.fieldOf.size < KEY_CACHE_LIMIT) this.fieldOf.set(key, field ?? null);
		const unknown = this.state.unknown;
		if (!field && key.trim() !== '' && unknown.size < MAX_UNKNOWN_COLUMNS) unknown.add(shorten(key));
		return field;
	}

	private customer(object: Record<string, unknown>, line: number): FlatCustomer {
		const customer: FlatCustomer = {};
		const from: Partial<Record<FlatField, string>> = {};
		for (const key in object) {
			if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
			const field = this.lookup(key);
			if (!field) continue;
			const text = scalarText(object[key], key, line);
			const before = from[field];
			if (before !== undefined)
				throw new SourceLineError(line, `keys ${quoted(before)} and ${quoted(key)} both give ${field}`);
			from[field] = key;
			if (text !== undefined) customer[field] = text;
		}
		return customer;
	}
}

function jsonKind(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

function scalarText(raw: unknown, key: string, line: number): string | undefined {
	if (raw === null || raw === undefined) return undefined;
	if (typeof raw === 'string') return raw.trim() || undefined;
	if (typeof raw === 'boolean') return String(raw);
	if (typeof raw === 'number') {
		// 12345678901234567890 parses as ...000: a wrong id or phone, silently. Ask for a string.
		if (!Number.isFinite(raw) || (Number.isInteger(raw) && !Number.isSafeInteger(raw)))
			throw new SourceLineError(line, `key ${quoted(key)}: a number too large to be exact; write it as a string`);
		return String(raw);
	}
	throw new SourceLineError(line, `key ${quoted(key)}: a nested ${jsonKind(raw)}, not a text or a number`);
}

// ---- CSV (RFC 4180) --------------------------------------------------------------------------

/** A CSV record being read: it may span physical lines when a quoted field holds a line break. */
interface CsvRecord {
	fields: string[];
	/** Pieces of the quoted field still open at the end of the last line. */
	open: string[] | undefined;
	startLine: number;
	quoteLine: number;
	bytes: number;
}

/**
 * The delimiter of an export: the first comma, semicolon or tab outside quotes in the header's
 * first line (European spreadsheets write semicolons); a comma when there is none (one column).
 */
function detectDelimiter(text: string): string {
	let inQuotes = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '"') inQuotes = !inQuotes;
		else if (!inQuotes && (c === ',' || c === ';' || c === '\t')) return c;
	}
	return ',';
}

const unclosed = (line: number) =>
	new SourceLineError(line, 'a quoted field opened on this line is not closed by the end of the file');

/**
 * Parses one physical line into `record`; true when the record is complete. Each character is
 * looked at a bounded number of times (indexOf scans forward from where the last one stopped).
 */
function parseCsvLine(line: PhysicalLine, record: CsvRecord, delimiter: string): boolean {
	const s = line.text;
	let i = 0;
	for (;;) {
		if (record.open) {
			const quote = s.indexOf('"', i);
			if (quote === -1) {
				if (line.eol === '') throw unclosed(record.quoteLine);
				if (i < s.length) record.open.push(s.slice(i));
				record.open.push(line.eol);
				return false;
			}
			if (quote > i) record.open.push(s.slice(i, quote));
			if (s[quote + 1] === '"') {
				record.open.push('"');
				i = quote + 2;
				continue;
			}
			record.fields.push(record.open.join(''));
			record.open = undefined;
			const next = quote + 1;
			if (next === s.length) return true;
			if (s[next] !== delimiter)
				throw new SourceLineError(
					line.number,
					`field ${record.fields.length}: text after its closing quote (a quote inside a quoted field is written "")`,
				);
			i = next + 1;
			continue;
		}
		if (s[i] === '"') {
			record.open = [];
			record.quoteLine = line.number;
			i++;
			continue;
		}
		// Unquoted: up to the next delimiter. A stray quote inside stays as written.
		const end = s.indexOf(delimiter, i);
		record.fields.push(s.slice(i, end === -1 ? s.length : end));
		if (end === -1) return true;
		i = end + 1;
	}
}

class CsvReader implements LineReader {
	private delimiter: string | undefined;
	/** Per column, the field it fills (undefined: ignored); unset until the header is read. */
	private columns: (FlatField | undefined)[] | undefined;
	private record: CsvRecord | undefined;

	constructor(private readonly state: ReaderState) {}

	line(line: PhysicalLine): FlatCustomer | undefined {
		// Blank lines between rows (and at the end) are no rows.
		if (!this.record && line.text.trim() === '') return undefined;
		this.delimiter ??= detectDelimiter(line.text);
		const record = (this.record ??= { fields: [], open: undefined, startLine: line.number, quoteLine: 0, bytes: 0 });
		// Line breaks count: a quoted field of a million empty lines is a million bytes.
		record.bytes += line.bytes + line.eol.length;
		if (record.bytes > MAX_LINE_BYTES + line.eol.length)
			throw new SourceLineError(record.startLine, `row longer than ${MAX_LINE_BYTES} bytes`);
		if (!parseCsvLine(line, record, this.delimiter)) return undefined;
		this.record = undefined;
		if (!this.columns) {
			this.columns = this.header(record.fields, record.startLine);
			return undefined;
		}
		return this.customer(record);
	}

	end(): void {
		if (this.record?.open) throw unclosed(this.record.quoteLine);
	}

	private header(names: string[], line: number): (FlatField | undefined)[] {
		const columns = names.map((name) => fieldOfColumn(name));
		const columnOf = new Map<FlatField, number>();
		columns.forEach((field, column) => {
			if (!field) return;
			const before = columnOf.get(field);
			if (before !== undefined)
				throw new SourceLineError(
					line,
					`columns ${before + 1} ${quoted(names[before])} and ${column + 1} ${quoted(names[column])} both give ${field}`,
				);
			columnOf.set(field, column);
		});
		if (!hasIdentifier(new Set(columnOf.keys())))
			// The names are not repeated: a file without a header has a customer's values in its first row.
			throw new SourceLineError(
				line,
				'the header names no identifier column: email, phone or external_id, or first_name, last_name and zip or country',
			);
		const unknown = this.state.unknown;
		for (let column = 0; column < names.length && unknown.size < MAX_UNKNOWN_COLUMNS; column++)
			if (!columns[column] && names[column].trim() !== '') unknown.add(shorten(names[column]));
		return columns;
	}

	private customer(record: CsvRecord): FlatCustomer {
		const columns = this.columns as (FlatField | undefined)[];
		if (record.fields.length !== columns.length)
			throw new SourceLineError(
				record.startLine,
				`the row has ${record.fields.length} fields, the header ${columns.length}`,
			);
		const customer: FlatCustomer = {};
		for (let column = 0; column < columns.length; column++) {
			const field = columns[column];
			if (!field) continue;
			const value = record.fields[column].trim();
			if (value !== '') customer[field] = value;
		}
		return customer;
	}
}
