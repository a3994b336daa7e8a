import { appSecretProof } from '../../../nodes/core/capi/appSecretProof';
import { eventsRequestBody } from '../../../nodes/core/capi/batch';
import type { ServerEvent } from '../../../nodes/core/capi/types';
import { classifyGraphError, classifyNetworkError, parseUsageHeaders, type Classified, type Usage } from '../../../nodes/core/errors';

export interface GraphSettings {
	graphUrl: string;
	apiVersion: string;
	accessToken: string;
	appSecret?: string;
	timeoutMs?: number;
}

export type SendResult = { ok: true; fbtraceId: string | null; eventsReceived: number | null; usage: Usage } | { ok: false; error: Classified };

/** The service's one transport to Meta's Conversions API. The token goes in a header, never a URL. */
export async function sendEvents(settings: GraphSettings, pixelId: string, events: readonly ServerEvent[], testEventCode?: string | null): Promise<SendResult> {
	const body: Record<string, unknown> = eventsRequestBody(events, { testEventCode: testEventCode ?? undefined });
	if (settings.appSecret) body.appsecret_proof = appSecretProof(settings.accessToken, settings.appSecret);
	const url = `${settings.graphUrl.replace(/\/+$/, '')}/${settings.apiVersion}/${encodeURIComponent(pixelId)}/events`;
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers: { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(settings.timeoutMs ?? 30_000),
		});
	} catch (error) {
		return { ok: false, error: classifyNetworkError(error) };
	}
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON: classified by status
	}
	if (response.ok) {
		const b = (parsed ?? {}) as { fbtrace_id?: string; events_received?: number };
		return { ok: true, fbtraceId: b.fbtrace_id ?? null, eventsReceived: b.events_received ?? null, usage: parseUsageHeaders(Object.fromEntries(response.headers.entries())) };
	}
	return { ok: false, error: classifyGraphError(response.status, parsed, Object.fromEntries(response.headers.entries())) };
}
