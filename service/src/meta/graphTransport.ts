import { appSecretProof } from '../../../nodes/core/capi/appSecretProof';
import {
	classifyGraphError,
	classifyNetworkError,
	parseUsageHeaders,
	redactText,
	type Classified,
	type Usage,
} from '../../../nodes/core/errors';
import { getText, postText, type PostAnswer } from '../httpPost';
import type { GraphSettings } from './graphClient';

export type GraphAnswer =
	{ ok: true; status: number; body: unknown; usage: Usage } | { ok: false; status: number | null; error: Classified };

/** What every POST to the Graph API carries besides its own fields: the appsecret_proof. */
export function authFields(settings: GraphSettings): Record<string, unknown> {
	return settings.appSecret ? { appsecret_proof: appSecretProof(settings.accessToken, settings.appSecret) } : {};
}

export function graphUrl(settings: GraphSettings, path: string): string {
	return `${settings.graphUrl.replace(/\/+$/, '')}/${settings.apiVersion}/${path}`;
}

/**
 * One POST of an already serialized body to the Graph API, classified. The token goes in a header,
 * never a URL; Meta's error text comes back capped and redacted. A network failure, a timeout and
 * an answer that breaks off halfway are 'retry'; an abort by the caller's signal is thrown.
 */
export async function graphPostText(
	settings: GraphSettings,
	path: string,
	body: string,
	signal?: AbortSignal,
): Promise<GraphAnswer> {
	return classified(signal, () =>
		postText(graphUrl(settings, path), body, {
			headers: { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json' },
			timeoutMs: settings.timeoutMs ?? 30_000,
			signal,
		}),
	);
}

/**
 * One GET of a Graph API read, classified as graphPostText classifies. The token goes in a header;
 * the query carries the read's parameters and the appsecret_proof (a hash, not the token). An
 * answer longer than maxAnswerBytes is a network failure ('retry').
 */
export async function graphGet(
	settings: GraphSettings,
	path: string,
	query: Record<string, string | undefined>,
	{ signal, maxAnswerBytes }: { signal?: AbortSignal; maxAnswerBytes?: number } = {},
): Promise<GraphAnswer> {
	const params = new URLSearchParams();
	for (const [name, value] of Object.entries({ ...query, ...authFields(settings) }))
		if (value !== undefined) params.set(name, String(value));
	return classified(signal, () =>
		getText(`${graphUrl(settings, path)}?${params}`, {
			headers: { authorization: `Bearer ${settings.accessToken}`, accept: 'application/json' },
			timeoutMs: settings.timeoutMs ?? 30_000,
			signal,
			maxAnswerBytes,
		}),
	);
}

async function classified(signal: AbortSignal | undefined, exchange: () => Promise<PostAnswer>): Promise<GraphAnswer> {
	let answer: PostAnswer;
	try {
		answer = await exchange();
	} catch (error) {
		if (signal?.aborted) throw signal.reason;
		return { ok: false, status: null, error: classifyNetworkError(error) };
	}
	const { status, headers, text } = answer;
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON: classified by status
	}
	if (status >= 200 && status < 300) return { ok: true, status, body: parsed, usage: parseUsageHeaders(headers) };
	const error = classifyGraphError(status, parsed, headers);
	return { ok: false, status, error: { ...error, message: redactText(error.message) } };
}
