import { envelopeBytes, eventsRequestBody, utf8Bytes } from '../../../nodes/core/capi/batch';
import { MAX_REQUEST_BYTES } from '../../../nodes/core/capi/limits';
import type { ServerEvent } from '../../../nodes/core/capi/types';
import type { Classified, Usage } from '../../../nodes/core/errors';
import { authFields, graphPostText } from './graphTransport';

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
		...authFields(settings),
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
	const answer = await graphPostText(settings, `${encodeURIComponent(pixelId)}/events`, body.text);
	if (!answer.ok) return { ok: false, error: answer.error };
	const b = (answer.body ?? {}) as { fbtrace_id?: string; events_received?: number };
	return { ok: true, fbtraceId: b.fbtrace_id ?? null, eventsReceived: b.events_received ?? null, usage: answer.usage };
}
