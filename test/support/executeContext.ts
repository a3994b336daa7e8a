/**
 * A stand-in for n8n's IExecuteFunctions, enough to run a node's execute() in jest with real HTTP
 * (so nock sees the exact requests). The real-n8n end-to-end suite covers n8n itself.
 */
import type {
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
}

export interface Recorded {
	options: IHttpRequestOptions;
}

async function realRequest(options: IHttpRequestOptions, headers: Record<string, string>) {
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
		// A string body is sent as it is (a signed body must arrive byte for byte).
		body:
			options.body === undefined
				? undefined
				: typeof options.body === 'string'
					? options.body
					: JSON.stringify(options.body),
	});
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

export function executeContext(opts: ContextOptions): IExecuteFunctions & { requests: Recorded[] } {
	const items = opts.items ?? [{ json: {} }];
	const requests: Recorded[] = [];
	const node: INode = { id: 'n1', name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
	const authenticate =
		opts.authenticate ?? ((c: IDataObject) => ({ Authorization: `Bearer ${String(c.accessToken)}` }));
	const context = {
		requests,
		getInputData: () => items,
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
					return await realRequest(signed, {});
				}
				requests.push({ options });
				return await realRequest(options, authenticate(opts.credentials));
			},
		},
	};
	return context as unknown as IExecuteFunctions & { requests: Recorded[] };
}
