import { envelopeBytes, MAX_EVENTS_PER_REQUEST, utf8Bytes } from '../../../nodes/core/capi/batch';
import { MAX_REQUEST_BYTES } from '../../../nodes/core/capi/limits';
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

/** The request's own failure: about its content, not the network. */
const invalid = (code: string, message: string): { ok: false; error: Classified } => ({
	ok: false,
	error: { class: 'invalid', retryable: false, code, message },
});

/**
 * The body as sent, from its events' JSON texts, or why it cannot be: a body above
 * MAX_REQUEST_BYTES is about the content, not the network ('invalid'), so a batch bisects down to
 * the event at fault and the others still go.
 */
function bodyOf(
	settings: GraphSettings,
	texts: readonly string[],
	testEventCode: string | null | undefined,
): { ok: true; text: string } | { ok: false; error: Classified } {
	if (texts.length === 0 || texts.length > MAX_EVENTS_PER_REQUEST) {
		return invalid('request_build', `a request carries 1 to ${MAX_EVENTS_PER_REQUEST} events, not ${texts.length}`);
	}
	// The events as written, the other fields after them: the body JSON.stringify would write.
	const rest = JSON.stringify(requestFields(settings, testEventCode));
	const text = `{"data":[${texts.join(',')}]${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
	const bytes = utf8Bytes(text);
	if (bytes > MAX_REQUEST_BYTES) {
		return invalid(
			'too_large',
			`the request is ${bytes.toLocaleString('en-US')} bytes, above the ${MAX_REQUEST_BYTES.toLocaleString('en-US')} bytes a request may carry`,
		);
	}
	return { ok: true, text };
}

/** Events sent as their JSON texts are (the dispatcher's, as stored): no parse, no new serialization. */
export async function sendEventTexts(
	settings: GraphSettings,
	pixelId: string,
	texts: readonly string[],
	testEventCode?: string | null,
): Promise<SendResult> {
	const body = bodyOf(settings, texts, testEventCode);
	if (!body.ok) return body;
	const answer = await graphPostText(settings, `${encodeURIComponent(pixelId)}/events`, body.text);
	if (!answer.ok) return { ok: false, error: answer.error };
	const b = (answer.body ?? {}) as { fbtrace_id?: string; events_received?: number };
	return { ok: true, fbtraceId: b.fbtrace_id ?? null, eventsReceived: b.events_received ?? null, usage: answer.usage };
}
