/**
 * A stand-in for n8n's IExecuteFunctions, enough to run a node's execute() in jest with real HTTP
 * (so nock sees the exact requests). The real-n8n end-to-end suite covers n8n itself.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

type Param = unknown | ((itemIndex: number) => unknown);

export interface ContextOptions {
	items?: INodeExecutionData[];
	params: Record<string, Param>;
	credentials: IDataObject;
	continueOnFail?: boolean;
	/** Header name → credential property, as the credential's `authenticate` would inject them. */
	authenticate?: (credentials: IDataObject) => Record<string, string>;
	/** A credential's own `authenticate` function (e.g. one that signs the body), run as n8n would. */
	authenticateRequest?: (
		credentials: ICredentialDataDecryptedObject,
		options: IHttpRequestOptions,
	) => Promise<IHttpRequestOptions>;
	/** Binary data kept outside memory, as n8n's filesystem mode does: binary id → file path. */
	binaryFiles?: Record<string, string>;
	/** What getExecutionCancelSignal returns (n8n aborts it when the execution is stopped). */
	cancelSignal?: AbortSignal;
}

export interface Recorded {
	options: IHttpRequestOptions;
}

const isBinaryBody = (body: unknown) =>
	Buffer.isBuffer(body) || typeof (body as { pipe?: unknown } | null)?.pipe === 'function';

async function realRequest(options: IHttpRequestOptions, headers: Record<string, string>, signal?: AbortSignal) {
	const url = new URL(options.url);
	for (const [k, v] of Object.entries(options.qs ?? {}))
		if (v !== undefined) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
	const response = await fetch(url, {
		method: options.method ?? 'GET',
		headers: {
			...headers,
			...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
			...(options.headers as Record<string, string>),
		},
		// A string body is sent as it is (a signed body must arrive byte for byte); a Buffer or a
		// stream (a file upload) too, streamed as n8n's HTTP client streams it.
		body:
			options.body === undefined
				? undefined
				: typeof options.body === 'string' || isBinaryBody(options.body)
					? (options.body as string)
					: JSON.stringify(options.body),
		...(isBinaryBody(options.body) ? { duplex: 'half' } : {}),
		signal: (options.abortSignal as AbortSignal | undefined) ?? signal,
	} as RequestInit);
	const text = await response.text();
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : {};
	} catch {
		// keep text
	}
	if (!options.ignoreHttpStatusErrors && response.status >= 400)
		throw Object.assign(new Error(`HTTP ${response.status}`), { response: { status: response.status, data: body } });
	const responseHeaders = Object.fromEntries(response.headers.entries());
	return options.returnFullResponse ? { statusCode: response.status, body, headers: responseHeaders } : body;
}

export function executeContext(
	opts: ContextOptions,
): IExecuteFunctions & { requests: Recorded[]; binaryCalls: string[] } {
	const items: INodeExecutionData[] = opts.items ?? [{ json: {} }];
	const requests: Recorded[] = [];
	/** Which binary helpers the node called, e.g. "getBinaryStream:<id>". */
	const binaryCalls: string[] = [];
	const binaryFile = (id: string) => {
		const path = opts.binaryFiles?.[id];
		if (!path) throw new Error(`test context: no binary data with id ${id}`);
		return path;
	};
	// As n8n stores them: a per-item parameter is an expression (not a bare $json path, so the node
	// asks getNodeParameter for each item), the others plain values, read once.
	const parameters = Object.fromEntries(
		Object.entries(opts.params).map(([name, value]) => [
			name,
			typeof value === 'function' ? '={{ $test(name) }}' : value,
		]),
	) as INode['parameters'];
	const node: INode = { id: 'n1', name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters };
	const authenticate =
		opts.authenticate ?? ((c: IDataObject) => ({ Authorization: `Bearer ${String(c.accessToken)}` }));
	const context = {
		requests,
		binaryCalls,
		getInputData: () => items,
		getExecutionCancelSignal: () => opts.cancelSignal,
		getNode: () => node,
		continueOnFail: () => opts.continueOnFail ?? false,
		getCredentials: async () => opts.credentials,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = opts.params[name];
			if (value === undefined) {
				if (fallback === undefined) throw new Error(`test context: parameter ${name} not set`);
				return fallback;
			}
			return typeof value === 'function' ? (value as (i: number) => unknown)(itemIndex) : value;
		},
		helpers: {
			httpRequestWithAuthentication: async (_credential: string, options: IHttpRequestOptions) => {
				if (opts.authenticateRequest) {
					const signed = await opts.authenticateRequest(opts.credentials as ICredentialDataDecryptedObject, options);
					requests.push({ options: signed });
					return await realRequest(signed, {}, opts.cancelSignal);
				}
				requests.push({ options });
				return await realRequest(options, authenticate(opts.credentials), opts.cancelSignal);
			},
			// n8n's binary helpers (n8n-core binary-helper-functions), over files on disk or the
			// base64 data an item carries.
			assertBinaryData: (itemIndex: number, name: string): IBinaryData => {
				const binary = items[itemIndex]?.binary?.[name];
				if (!binary)
					throw new Error(
						`This operation expects the node's input data to contain a binary file '${name}', but none was found [item ${itemIndex}]`,
					);
				return binary;
			},
			getBinaryMetadata: async (id: string) => {
				binaryCalls.push(`getBinaryMetadata:${id}`);
				return { fileSize: statSync(binaryFile(id)).size };
			},
			getBinaryStream: async (id: string, chunkSize?: number) => {
				binaryCalls.push(`getBinaryStream:${id}`);
				return createReadStream(binaryFile(id), { highWaterMark: chunkSize ?? 64 * 1024 });
			},
			getBinaryDataBuffer: async (itemIndex: number, nameOrData: string | IBinaryData) => {
				const binary = typeof nameOrData === 'string' ? items[itemIndex]?.binary?.[nameOrData] : nameOrData;
				if (!binary) throw new Error(`test context: item ${itemIndex} has no binary ${String(nameOrData)}`);
				binaryCalls.push(`getBinaryDataBuffer:${binary.id ?? 'in-memory'}`);
				return binary.id ? readFileSync(binaryFile(binary.id)) : Buffer.from(binary.data, 'base64');
			},
		},
	};
	return context as unknown as IExecuteFunctions & { requests: Recorded[]; binaryCalls: string[] };
}
