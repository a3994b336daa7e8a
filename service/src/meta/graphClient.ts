import { appSecretProof } from '../../../nodes/core/capi/appSecretProof';
import { envelopeBytes, eventsRequestBody, utf8Bytes } from '../../../nodes/core/capi/batch';
import { MAX_REQUEST_BYTES } from '../../../nodes/core/capi/limits';
import type { ServerEvent } from '../../../nodes/core/capi/types';
import {
	classifyGraphError,
	classifyNetworkError,
	parseUsageHeaders,
	redactText,
	type Classified,
	type Usage,
} from '../../../nodes/core/errors';

export interface GraphSettings {
	graphUrl: string;
	apiVersion: string;
	accessToken: string;
	appSecret?: string;
	timeoutMs?: number;
}

export type SendResult =
	| { ok: true; fbtraceId: string | null; eventsReceived: number | null; usage: Usage }
	| { ok: false; error: Classified };

/** What a request carries besides its events. */
function requestFields(settings: GraphSettings, testEventCode: string | null | undefined): Record<string, unknown> {
	return {
		...(testEventCode ? { test_event_code: testEventCode } : {}),
		...(settings.appSecret ? { appsecret_proof: appSecretProof(settings.accessToken, settings.appSecret) } : {}),
	};
}

/** Bytes of a request to Meta around its events: what a batch cut by bytes must leave room for. */
export function requestEnvelopeBytes(settings: GraphSettings, testEventCode?: string | null): number {
	return envelopeBytes(requestFields(settings, testEventCode));
}

/**
 * The body as sent, or why it cannot be: an event that does not serialize, or a body above
 * MAX_REQUEST_BYTES. Either is about the content, not the network ('invalid'), so a batch
 * bisects down to the event at fault and the others still go.
 */
function serialize(
	settings: GraphSettings,
	events: readonly ServerEvent[],
	testEventCode: string | null | undefined,
): { ok: true; text: string } | { ok: false; error: Classified } {
	let text: string;
	try {
		text = JSON.stringify({ ...eventsRequestBody(events), ...requestFields(settings, testEventCode) });
	} catch (error) {
		return {
			ok: false,
			error: {
				class: 'invalid',
				retryable: false,
				code: 'request_build',
				message: `the request could not be built: ${(error as Error).name}: ${(error as Error).message}`,
			},
		};
	}
	const bytes = utf8Bytes(text);
	if (bytes > MAX_REQUEST_BYTES) {
		return {
			ok: false,
			error: {
				class: 'invalid',
				retryable: false,
				code: 'too_large',
				message: `the request is ${bytes.toLocaleString('en-US')} bytes, above the ${MAX_REQUEST_BYTES.toLocaleString('en-US')} bytes a request may carry`,
			},
		};
	}
	return { ok: true, text };
}

/** The service's one transport to Meta's Conversions API. The token goes in a header, never a URL. */
export async function sendEvents(
	settings: GraphSettings,
	pixelId: string,
	events: readonly ServerEvent[],
	testEventCode?: string | null,
): Promise<SendResult> {
	const body = serialize(settings, events, testEventCode);
	if (!body.ok) return body;
	const url = `${settings.graphUrl.replace(/\/+$/, '')}/${settings.apiVersion}/${encodeURIComponent(pixelId)}/events`;
	let response: Response;
	let text: string;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers: { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json' },
			body: body.text,
			signal: AbortSignal.timeout(settings.timeoutMs ?? 30_000),
		});
		// The answer can fail halfway too: a network error like no answer at all.
		text = await response.text();
	} catch (error) {
		return { ok: false, error: classifyNetworkError(error) };
	}
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON: classified by status
	}
	if (response.ok) {
		const b = (parsed ?? {}) as { fbtrace_id?: string; events_received?: number };
		return {
			ok: true,
			fbtraceId: b.fbtrace_id ?? null,
			eventsReceived: b.events_received ?? null,
			usage: parseUsageHeaders(Object.fromEntries(response.headers.entries())),
		};
	}
	const error = classifyGraphError(response.status, parsed, Object.fromEntries(response.headers.entries()));
	// Meta's text quotes what it refused and can be any length: it goes to last_error, logs and the
	// status page capped and redacted, as the nodes show it.
	return { ok: false, error: { ...error, message: redactText(error.message) } };
}
