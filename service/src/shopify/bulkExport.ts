import { isUtf8 } from 'node:buffer';
import type { EventEmitter } from 'node:events';
import { describeValue, isRecord, redactText } from '../../../nodes/core/errors';
import {
	classifyCustomerSegment,
	customerToAudienceRecord,
	customerToUserData,
} from '../../../nodes/core/shopify/customer';
import {
	customerFromGraphql,
	orderFromGraphql,
	type GraphqlCustomer,
	type GraphqlLineItem,
	type GraphqlOrder,
} from '../../../nodes/core/shopify/graphql';
import { customerToHubSpotProperties, orderToHubSpotProperties } from '../../../nodes/core/shopify/hubspot';
import { orderToPurchaseEvent, type OrderEventOptions } from '../../../nodes/core/shopify/order';
import { present } from '../../../nodes/core/values';
import { SourceLineError, type SyncRecord } from '../usecases/jobs/types';
import type { ShopifyAdminClient } from './adminClient';

/**
 * A whole shop read through Shopify's Bulk Operations (Admin GraphQL 2025-10): start the export
 * (bulkOperationRunQuery, no point cost), watch it (node(id:) on the BulkOperation), then stream
 * its JSONL file one top-level object at a time, children attached. Memory stays flat however
 * large the file: one line and one object's children at a time.
 */

export const BULK_STATUSES = ['CREATED', 'RUNNING', 'COMPLETED', 'CANCELING', 'CANCELED', 'FAILED', 'EXPIRED'] as const;
export type BulkOperationStatus = (typeof BULK_STATUSES)[number];

export interface BulkOperationState {
	id: string;
	/** A BulkOperationStatus; a value a later API version adds is passed through as text. */
	status: BulkOperationStatus | (string & {});
	/** ACCESS_DENIED | INTERNAL_SERVER_ERROR | TIMEOUT */
	errorCode?: string;
	/** Every line of the file so far, children included. */
	objectCount?: number;
	rootObjectCount?: number;
	fileSize?: number;
	/** The file, once COMPLETED with at least one object: a signed link to customer data, never logged or stored. */
	url?: string;
	partialDataUrl?: string;
}

export type BulkErrorReason =
	'in_progress' | 'limit_reached' | 'invalid' | 'not_found' | 'failed' | 'canceled' | 'expired' | 'file';

/** Why an export could not start, finish or be read; never carries a file URL or a customer's data. */
export class BulkExportError extends Error {
	override readonly name = 'BulkExportError';
	constructor(
		readonly reason: BulkErrorReason,
		message: string,
		/** The bulk operation concerned; for 'in_progress', the one already running. */
		readonly operationId?: string,
		readonly errorCode?: string,
	) {
		super(redactText(message));
	}
}

const RUN_QUERY = `mutation RunBulkQuery($query: String!) {
	bulkOperationRunQuery(query: $query, groupObjects: true) {
		bulkOperation { id status }
		userErrors { field message code }
	}
}`;

const OPERATION_FIELDS = 'id status errorCode objectCount rootObjectCount fileSize url partialDataUrl';

const OPERATION_STATUS = `query BulkOperationStatus($id: ID!) {
	node(id: $id) { ... on BulkOperation { ${OPERATION_FIELDS} } }
}`;

const CURRENT_OPERATION = `query CurrentBulkQuery {
	currentBulkOperation(type: QUERY) { id status }
}`;

interface UserError {
	field?: string[] | null;
	message?: string | null;
	code?: string | null;
}

/**
 * Starts a bulk query. groupObjects: true (the 2025-10 default, false from 2026-01) keeps each
 * child line right after its parent, which bulkRecords needs to stream without holding the file.
 * The mutation is not retried on a lost answer (it would start a second export); a throttle is.
 */
export async function startBulkExport(
	client: ShopifyAdminClient,
	query: string,
	signal?: AbortSignal,
): Promise<{ id: string }> {
	const data = await client.graphql<{
		bulkOperationRunQuery?: { bulkOperation?: { id?: string } | null; userErrors?: UserError[] | null } | null;
	}>(RUN_QUERY, { query }, { signal, idempotent: false });
	const payload = data.bulkOperationRunQuery;
	const userErrors = payload?.userErrors ?? [];
	if (userErrors.length) {
		const codes = userErrors.map((e) => e.code ?? '');
		const words = userErrors
			.map((e) => (e.field?.length ? `${e.field.join('.')}: ${e.message ?? ''}` : (e.message ?? '')))
			.join('; ');
		if (codes.includes('OPERATION_IN_PROGRESS') || /already in progress/i.test(words)) {
			const running = await currentBulkQuery(client, signal).catch(() => undefined);
			const which = running ? ` (${running.id}, ${running.status})` : '';
			throw new BulkExportError(
				'in_progress',
				`a bulk query is already running for this app on ${client.shop}${which}: Shopify runs one at a time per app and shop; wait for it to finish or cancel it (bulkOperationCancel), then start again`,
				running?.id,
			);
		}
		if (codes.includes('LIMIT_REACHED'))
			throw new BulkExportError('limit_reached', `Shopify refused the bulk query: ${words} (try again later)`);
		throw new BulkExportError('invalid', `Shopify refused the bulk query: ${words}`);
	}
	const id = payload?.bulkOperation?.id;
	if (typeof id !== 'string' || !id)
		throw new BulkExportError('invalid', 'Shopify answered bulkOperationRunQuery without a bulk operation');
	return { id };
}

async function currentBulkQuery(
	client: ShopifyAdminClient,
	signal?: AbortSignal,
): Promise<{ id: string; status: string } | undefined> {
	const data = await client.graphql<{ currentBulkOperation?: { id?: string; status?: string } | null }>(
		CURRENT_OPERATION,
		{},
		{ signal },
	);
	const op = data.currentBulkOperation;
	return op?.id ? { id: op.id, status: String(op.status ?? '') } : undefined;
}

// UnsignedInt64 comes as a string.
function countOf(value: unknown): number | undefined {
	const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
	return Number.isFinite(n) && n >= 0 ? n : undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** The operation as Shopify reports it now. */
export async function bulkOperationStatus(
	client: ShopifyAdminClient,
	id: string,
	signal?: AbortSignal,
): Promise<BulkOperationState> {
	const data = await client.graphql<{ node?: Record<string, unknown> | null }>(OPERATION_STATUS, { id }, { signal });
	const node = data.node;
	if (!isRecord(node) || typeof node.status !== 'string')
		throw new BulkExportError('not_found', `Shopify has no bulk operation ${id}`, id);
	const state: BulkOperationState = { id: text(node.id) ?? id, status: node.status };
	const fields = {
		errorCode: text(node.errorCode),
		objectCount: countOf(node.objectCount),
		rootObjectCount: countOf(node.rootObjectCount),
		fileSize: countOf(node.fileSize),
		url: text(node.url),
		partialDataUrl: text(node.partialDataUrl),
	};
	for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(state, { [key]: value });
	return state;
}

const ERROR_HINTS: Record<string, string> = {
	ACCESS_DENIED:
		"the app lacks an access scope the query needs (read_customers; read_orders, and read_all_orders for orders older than 60 days) or Shopify's protected customer data approval",
	INTERNAL_SERVER_ERROR: "an intermittent error on Shopify's side: start the export again",
	TIMEOUT: 'the query took Shopify too long: start the export again',
};

function finalFailure(state: BulkOperationState): BulkExportError | undefined {
	const code = state.errorCode;
	switch (state.status) {
		case 'FAILED':
			return new BulkExportError(
				'failed',
				`Shopify's bulk operation ${state.id} failed: ${code ?? 'no error code'}${code && ERROR_HINTS[code] ? ` (${ERROR_HINTS[code]})` : ''}`,
				state.id,
				code,
			);
		case 'CANCELED':
			return new BulkExportError('canceled', `Shopify's bulk operation ${state.id} was canceled`, state.id, code);
		case 'EXPIRED':
			return new BulkExportError(
				'expired',
				`the file of Shopify's bulk operation ${state.id} has expired (kept seven days): start a new export`,
				state.id,
				code,
			);
		default:
			return undefined;
	}
}

export interface WaitOptions {
	/** The longest pause between two polls; the first is shorter and each grows until this. */
	pollMs: number;
	/** The first pause; default min(1 s, pollMs). */
	firstPollMs?: number;
	signal?: AbortSignal;
	/** Each state read, RUNNING with its objectCount included (for progress). */
	onStatus?: (state: BulkOperationState) => void;
	/**
	 * Wake-ups from elsewhere (the bulk_operations/finish webhook): an `emit(operationId)` on this
	 * emitter polls at once. Same as calling wake() on the returned handle.
	 */
	wakeups?: EventEmitter;
}

/** A wait: a promise of the COMPLETED state, with wake() to poll at once instead of after the pause. */
export type BulkWait = Promise<BulkOperationState> & { wake(): void };

/**
 * Polls the operation until COMPLETED (resolved with its state: `url` is absent when it found no
 * object) or FAILED / CANCELED / EXPIRED (rejected with a BulkExportError naming the errorCode).
 * CREATED, RUNNING, CANCELING and statuses a later API version adds keep it polling. The pause
 * grows by half each time up to pollMs; wake() (or `wakeups.emit(id)`) ends the current pause
 * so Shopify's bulk_operations/finish webhook cuts the wait short. An abort rejects with the
 * signal's reason.
 */
export function waitForBulkOperation(client: ShopifyAdminClient, id: string, options: WaitOptions): BulkWait {
	let woken = false;
	let endPause: (() => void) | undefined;
	const wake = () => {
		woken = true;
		endPause?.();
	};
	const listener = () => wake();
	options.wakeups?.on(id, listener);

	const pause = (ms: number): Promise<void> =>
		new Promise((resolve, reject) => {
			const signal = options.signal;
			if (signal?.aborted) return reject(signal.reason);
			const finish = () => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', aborted);
				endPause = undefined;
				resolve();
			};
			const aborted = () => {
				clearTimeout(timer);
				endPause = undefined;
				reject(signal?.reason);
			};
			const timer = setTimeout(finish, ms);
			signal?.addEventListener('abort', aborted, { once: true });
			endPause = finish;
		});

	const run = async (): Promise<BulkOperationState> => {
		let interval = Math.max(1, Math.min(options.firstPollMs ?? 1000, options.pollMs));
		for (;;) {
			woken = false;
			const state = await bulkOperationStatus(client, id, options.signal);
			options.onStatus?.(state);
			if (state.status === 'COMPLETED') return state;
			const failure = finalFailure(state);
			if (failure) throw failure;
			// A wake-up during the poll itself polls again at once.
			if (!woken) await pause(interval);
			interval = Math.min(options.pollMs, Math.ceil(interval * 1.5));
		}
	};
	const promise = run().finally(() => options.wakeups?.off(id, listener));
	return Object.assign(promise, { wake });
}

// ---- The JSONL file ---------------------------------------------------------------------------

/** One top-level object of the file and the child lines (nested connections) that followed it. */
export interface BulkRecord {
	value: Record<string, unknown>;
	/** In file order; grandchildren too (their __parentId names the child). */
	children: Array<Record<string, unknown>>;
	/** 1-based line of the object in the file. */
	line: number;
	/** 0-based position among the file's top-level objects (skipped ones counted). */
	index: number;
}

export interface BulkRecordsOptions {
	/** Top-level objects to pass over without parsing them (a resume: what was already handled). */
	skip?: number;
	signal?: AbortSignal;
	/**
	 * The lines Shopify counted (objectCount): a file that ends cleanly but short is refused instead
	 * of read as complete.
	 */
	expectedLines?: number;
	/** Default 1 MiB. */
	maxLineBytes?: number;
	/** Children of one object; default 10,000. */
	maxChildren?: number;
	/** Abort a download that sends nothing for this long; default 120 s. */
	idleTimeoutMs?: number;
}

export const MAX_LINE_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;
const PARENT_KEY = Buffer.from('"__parentId"');

/**
 * Whether a line has a structural "__parentId" key: one whose opening quote follows `{` or `,`
 * (JSON whitespace between). Inside a JSON string a quote is escaped (`\"`), so a customer's note
 * saying "__parentId" does not make a line a child. Searched in the bytes: no string is made.
 */
function isChildLine(bytes: Buffer): boolean {
	for (let at = bytes.indexOf(PARENT_KEY); at >= 0; at = bytes.indexOf(PARENT_KEY, at + 1)) {
		let before = at - 1;
		while (before >= 0 && (bytes[before] === 0x20 || bytes[before] === 0x09 || bytes[before] === 0x0d)) before--;
		if (before < 0 || (bytes[before] !== 0x7b && bytes[before] !== 0x2c)) continue;
		let after = at + PARENT_KEY.length;
		while (after < bytes.length && (bytes[after] === 0x20 || bytes[after] === 0x09 || bytes[after] === 0x0d)) after++;
		if (bytes[after] === 0x3a) return true;
	}
	return false;
}

/**
 * Streams the bulk file at `url` and yields one top-level object at a time with its children. Lines
 * split on \n across chunk boundaries (bytes, so a multi-byte character split by a chunk is whole
 * again before decoding); a line past maxLineBytes, invalid UTF-8 or JSON, or a child that does not
 * follow its parent is a SourceLineError naming the line. A download that breaks off, or ends
 * short of expectedLines, is a BulkExportError ('file'): never a silent short read.
 */
export async function* bulkRecords(url: string, options: BulkRecordsOptions = {}): AsyncGenerator<BulkRecord> {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		throw new BulkExportError('file', 'the bulk file URL is not a URL');
	}
	if (target.protocol !== 'https:' && target.protocol !== 'http:')
		throw new BulkExportError('file', `the bulk file URL must be http(s), not ${target.protocol}`);
	const skip = Math.max(0, Math.floor(options.skip ?? 0));
	const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
	const maxChildren = options.maxChildren ?? 10_000;
	const idleMs = options.idleTimeoutMs ?? 120_000;

	const controller = new AbortController();
	const onAbort = () => controller.abort(options.signal?.reason);
	if (options.signal?.aborted) throw options.signal.reason;
	options.signal?.addEventListener('abort', onAbort, { once: true });
	let idle: NodeJS.Timeout | undefined;
	const armIdle = () => {
		clearTimeout(idle);
		idle = setTimeout(() => controller.abort(new Error(`nothing received for ${idleMs} ms`)), idleMs);
	};

	let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
	let finished = false;
	let lines = 0; // every line, blank ones too: line numbers as an editor shows them
	let objects = 0; // non-blank lines: what objectCount counts
	let topLevel = 0;
	let current: BulkRecord | undefined;
	let currentIds: Set<string> | undefined;

	const parse = (line: number, bytes: Buffer): Record<string, unknown> => {
		// isUtf8 and toString: the same check as a fatal TextDecoder at half its cost.
		if (!isUtf8(bytes)) throw new SourceLineError(line, 'is not valid UTF-8');
		const textLine = bytes.toString('utf8');
		let value: unknown;
		try {
			value = JSON.parse(textLine);
		} catch {
			// JSON.parse's message quotes the text: a customer's data.
			throw new SourceLineError(line, 'is not valid JSON');
		}
		if (!isRecord(value)) throw new SourceLineError(line, 'is not a JSON object');
		return value;
	};

	/** The object completed by this line, when the line starts a new one. */
	const take = (bytes: Buffer): BulkRecord | undefined => {
		lines++;
		const line = lines;
		if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0x0d)) return undefined;
		objects++;
		const isChild = isChildLine(bytes);
		if (!isChild) {
			topLevel++;
			if (topLevel <= skip) return undefined;
			const value = parse(line, bytes);
			const done = current;
			current = { value, children: [], line, index: topLevel - 1 };
			currentIds = new Set(typeof value.id === 'string' ? [value.id] : []);
			return done;
		}
		// A child of a skipped object: skipped with it.
		if (topLevel <= skip) return undefined;
		if (!current || !currentIds) throw new SourceLineError(line, 'is a child line (__parentId) before any parent line');
		const child = parse(line, bytes);
		const parent = child.__parentId;
		if (typeof parent !== 'string' || !currentIds.has(parent))
			throw new SourceLineError(
				line,
				`its __parentId ${describeValue(parent)} is not the object before it (the file must be grouped: groupObjects)`,
			);
		if (current.children.length >= maxChildren)
			throw new SourceLineError(line, `the object on line ${current.line} has more than ${maxChildren} child lines`);
		current.children.push(child);
		if (typeof child.id === 'string') currentIds.add(child.id);
		return undefined;
	};

	try {
		armIdle();
		let response: Response;
		try {
			response = await fetch(target, { signal: controller.signal });
		} catch (error) {
			if (options.signal?.aborted) throw options.signal.reason;
			throw new BulkExportError('file', `the bulk file could not be fetched: ${causeOf(error)}`);
		}
		if (!response.ok || !response.body) {
			await response.body?.cancel().catch(() => undefined);
			const expired = response.status === 403 || response.status === 404 || response.status === 410;
			throw new BulkExportError(
				'file',
				`the bulk file answered HTTP ${response.status}${expired ? ' (its signed URL may have expired: read the operation again for a fresh one)' : ''}`,
			);
		}
		reader = response.body.getReader();
		// The current line's bytes so far, when it spans chunks.
		let pieces: Buffer[] = [];
		let pieceBytes = 0;
		for (;;) {
			let chunk: Awaited<ReturnType<typeof reader.read>>;
			try {
				chunk = await reader.read();
			} catch (error) {
				if (options.signal?.aborted) throw options.signal.reason;
				throw new BulkExportError(
					'file',
					`the bulk file broke off after line ${lines} (${topLevel} top-level objects): ${causeOf(error)}`,
				);
			}
			if (chunk.done) break;
			armIdle();
			const bytes = Buffer.from(chunk.value.buffer, chunk.value.byteOffset, chunk.value.byteLength);
			let start = 0;
			for (;;) {
				const end = bytes.indexOf(NEWLINE, start);
				const part = bytes.subarray(start, end < 0 ? bytes.length : end);
				if (pieceBytes + part.length > maxLineBytes)
					throw new SourceLineError(lines + 1, `is longer than ${maxLineBytes} bytes`);
				if (end < 0) {
					if (part.length) {
						pieces.push(part);
						pieceBytes += part.length;
					}
					break;
				}
				const whole = pieces.length ? Buffer.concat([...pieces, part]) : part;
				pieces = [];
				pieceBytes = 0;
				start = end + 1;
				const done = take(whole);
				if (done) yield done;
			}
		}
		finished = true;
		// The last line may lack its \n.
		if (pieceBytes) {
			const done = take(Buffer.concat(pieces));
			if (done) yield done;
		}
		if (current) {
			const last = current;
			current = undefined;
			yield last;
		}
		if (options.expectedLines !== undefined && objects !== options.expectedLines)
			throw new BulkExportError(
				'file',
				`the bulk file ended after ${objects} lines, Shopify counted ${options.expectedLines}: it was cut short`,
			);
	} finally {
		clearTimeout(idle);
		options.signal?.removeEventListener('abort', onAbort);
		// A consumer that stops early (break, an error downstream) ends the download too.
		if (reader && !finished) await reader.cancel().catch(() => undefined);
	}
}

function causeOf(error: unknown): string {
	const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
	const code = e?.cause?.code;
	return redactText(`${e?.name ?? 'Error'}${code ? ` ${code}` : ''}: ${e?.cause?.message ?? e?.message ?? ''}`, 200);
}

// ---- From file objects to sync records ----------------------------------------------------------

export interface CustomerRecordsOptions {
	/** Segments are relative to this (a Date or unix ms), not to the wall clock. */
	now: Date | number;
	/** Default 30. */
	newWithinDays?: number;
}

/**
 * Customers of a bulk file as sync records: the audience identifiers (raw, hashed on the way to
 * Meta), the HubSpot contact (only with an e-mail, HubSpot's key) and the segment as of `now`.
 */
export async function* customersFrom(
	objects: AsyncIterable<BulkRecord>,
	options: CustomerRecordsOptions,
): AsyncGenerator<SyncRecord> {
	for await (const object of objects) {
		if (typeof object.value.id !== 'string') throw new SourceLineError(object.line, 'the customer has no id');
		const customer = customerFromGraphql(object.value as unknown as GraphqlCustomer);
		const record: SyncRecord = {
			segment: classifyCustomerSegment(customer, { now: options.now, newWithinDays: options.newWithinDays }),
		};
		// Both mappings start from the same identifiers: read them once.
		const userData = customerToUserData(customer);
		const audience = customerToAudienceRecord(customer, userData);
		if (Object.keys(audience).length) record.audience = audience;
		const contact = customerToHubSpotProperties(customer, userData);
		if (present(contact.email)) record.contact = contact;
		yield record;
	}
}

export interface OrderRecordsOptions extends OrderEventOptions {
	/** Test orders give no Purchase event unless this is true. */
	includeTest?: boolean;
	/** Cancelled orders give no Purchase event unless this is true. */
	includeCancelled?: boolean;
}

const LINE_ITEM_GID = 'gid://shopify/LineItem/';

/**
 * Orders of a bulk file as sync records: the Purchase event (its line items from the child lines)
 * and the buyer's HubSpot contact, with Shopify's absolute counters (only with an e-mail).
 */
export async function* ordersFrom(
	objects: AsyncIterable<BulkRecord>,
	options: OrderRecordsOptions = {},
): AsyncGenerator<SyncRecord> {
	const { includeTest, includeCancelled, ...eventOptions } = options;
	for await (const object of objects) {
		if (typeof object.value.id !== 'string') throw new SourceLineError(object.line, 'the order has no id');
		const lines = object.children.filter(
			(child) => typeof child.id === 'string' && child.id.startsWith(LINE_ITEM_GID),
		) as unknown as GraphqlLineItem[];
		const graphqlOrder = { ...(object.value as unknown as GraphqlOrder), lineItems: { nodes: lines } };
		const order = orderFromGraphql(graphqlOrder);
		const record: SyncRecord = {};
		const skipped = (order.test === true && !includeTest) || (present(order.cancelled_at) && !includeCancelled);
		if (!skipped) record.purchase = orderToPurchaseEvent(order, eventOptions);
		const contact = orderToHubSpotProperties(order);
		if (present(contact.email)) record.contact = contact;
		yield record;
	}
}
