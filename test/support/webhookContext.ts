import { randomUUID } from 'node:crypto';
/**
 * Stand-ins for n8n's IHookFunctions (activation: checkExists / create / delete) and
 * IWebhookFunctions (a delivery), enough to run a trigger node in jest with real HTTP, so nock
 * sees the exact requests. Static data is a plain object the test keeps and passes to every
 * call, as n8n keeps it between activation and deliveries. The real-n8n suite covers n8n itself.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';

export interface Recorded {
	options: IHttpRequestOptions;
	authenticated: boolean;
}

export interface HookOptions {
	params: Record<string, unknown>;
	credentials: ICredentialDataDecryptedObject;
	/** Kept by the test across calls; created empty when not given. */
	staticData?: IDataObject;
	webhookUrl?: string;
	/** The workflow's id; each context gets its own unless given (n8n runs many requests of one workflow). */
	workflowId?: string;
	/** The credential's own `authenticate`, run as n8n runs it for httpRequestWithAuthentication. */
	authenticate?: (
		credentials: ICredentialDataDecryptedObject,
		options: IHttpRequestOptions,
	) => Promise<IHttpRequestOptions>;
}

export interface DeliveryOptions extends HookOptions {
	headers: Record<string, string>;
	/** The bytes Shopify signed and sent. */
	rawBody: Buffer | string;
	/** What n8n parsed from the body; JSON.parse(rawBody) when not given. */
	body?: IDataObject;
}

export interface RecordedResponse {
	statusCode?: number;
	body?: unknown;
	status(code: number): RecordedResponse;
	json(body: unknown): RecordedResponse;
	send(body?: unknown): RecordedResponse;
	end(body?: unknown): RecordedResponse;
}

async function realRequest(options: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(options.url);
	for (const [k, v] of Object.entries(options.qs ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
	const hasBody = options.body !== undefined;
	const response = await fetch(url, {
		method: options.method ?? 'GET',
		headers: {
			...(hasBody ? { 'content-type': 'application/json' } : {}),
			...(options.headers as Record<string, string>),
		},
		body: !hasBody ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
	});
	const text = await response.text();
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : {};
	} catch {
		// not JSON: keep the text
	}
	if (!options.ignoreHttpStatusErrors && response.status >= 400) {
		throw Object.assign(new Error(`HTTP ${response.status}`), { response: { status: response.status, data: body } });
	}
	return options.returnFullResponse
		? { statusCode: response.status, body, headers: Object.fromEntries(response.headers.entries()) }
		: body;
}

function base(opts: HookOptions) {
	const requests: Recorded[] = [];
	const staticData = opts.staticData ?? {};
	const workflow = { id: opts.workflowId ?? `wf-${randomUUID()}`, active: true };
	const node: INode = {
		id: 'n1',
		name: 'Shopify Trigger',
		type: 'shopifyRelayTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	return {
		requests,
		staticData,
		getNode: () => node,
		// Each context is its own workflow: the trigger's process-wide duplicate memory is per workflow.
		getWorkflow: () => workflow,
		getMode: () => 'trigger',
		getActivationMode: () => 'activate',
		getWebhookName: () => 'default',
		getNodeWebhookUrl: () => opts.webhookUrl ?? 'https://n8n.example.com/webhook/abc/webhook',
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => opts.credentials,
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = opts.params[name];
			if (value === undefined) {
				if (fallback === undefined) throw new Error(`test context: parameter ${name} not set`);
				return fallback;
			}
			return value;
		},
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				requests.push({ options, authenticated: false });
				return await realRequest(options);
			},
			httpRequestWithAuthentication: async (_credential: string, options: IHttpRequestOptions) => {
				const signed = opts.authenticate ? await opts.authenticate(opts.credentials, options) : options;
				requests.push({ options: signed, authenticated: true });
				return await realRequest(signed);
			},
		},
	};
}

export function hookContext(opts: HookOptions): IHookFunctions & { requests: Recorded[]; staticData: IDataObject } {
	return base(opts) as unknown as IHookFunctions & { requests: Recorded[]; staticData: IDataObject };
}

export function webhookContext(
	opts: DeliveryOptions,
): IWebhookFunctions & { requests: Recorded[]; staticData: IDataObject; response: RecordedResponse } {
	const rawBody = Buffer.isBuffer(opts.rawBody) ? opts.rawBody : Buffer.from(opts.rawBody);
	const headers = Object.fromEntries(Object.entries(opts.headers).map(([k, v]) => [k.toLowerCase(), v]));
	const response: RecordedResponse = {
		status(code) {
			response.statusCode = code;
			return response;
		},
		json(body) {
			response.body = body;
			return response;
		},
		send(body) {
			response.body = body;
			return response;
		},
		end(body) {
			response.body = body;
			return response;
		},
	};
	const request = {
		headers,
		rawBody,
		body: opts.body ?? JSON.parse(rawBody.toString('utf8')),
		readRawBody: async () => undefined,
	};
	return {
		...base(opts),
		response,
		getHeaderData: () => headers,
		getBodyData: () => request.body,
		getRequestObject: () => request,
		getResponseObject: () => response,
	} as unknown as IWebhookFunctions & { requests: Recorded[]; staticData: IDataObject; response: RecordedResponse };
}
