import { MAX_AUDIENCE_ROWS } from '../../../nodes/core/audiences/rows';
import type { AudiencePayload, ReplaceSession } from '../../../nodes/core/audiences/types';
import { isRecord, type Classified, type Usage } from '../../../nodes/core/errors';
import { AudienceSessionLost, DestinationRefused } from '../usecases/jobs/destinationErrors';
import { RetryBudget, type RetryPolicy } from '../usecases/jobs/destinationRetry';
import type { GraphSettings } from './graphClient';
import { authFields, graphPostText } from './graphTransport';

export type AudienceUploadMode = 'add' | 'remove' | 'replace';

/** GraphSettings, and how long a call may wait out Meta's transient failures. */
export type AudienceClientSettings = GraphSettings & { retry?: RetryPolicy };

export interface AudienceBatchResult {
	num_received: number;
	num_invalid_entries: number;
	/** HTTP requests this batch took, retries included. */
	requests: number;
	/** Meta's usage headers on the answer: a caller near 100 % slows down before Meta throttles it. */
	usage: Usage;
}

/**
 * Bytes of one request. Meta documents rows, not bytes: 10,000 rows of all 15 hashed keys are about
 * 10 MB, so this only stops bodies no real schema makes (a huge EXTERN_ID in every row).
 */
export const MAX_AUDIENCE_REQUEST_BYTES = 16_000_000;

// Meta's answers (code 2650) that end a replace session: its earlier batches are gone.
const SESSION_ENDED: Record<number, string> = {
	1870158: 'the session timed out (a replace session ends 90 minutes after its first batch)',
	1870159: 'the session had already finished (its last batch was sent)',
	1870147: 'the session did not start with batch_seq 1',
};

// The override carries a removal in a POST body: large DELETE bodies break on Meta's side.
const ENDPOINT: Record<AudienceUploadMode, { edge: string; extra: Record<string, unknown> }> = {
	add: { edge: 'users', extra: {} },
	remove: { edge: 'users', extra: { method: 'DELETE' } },
	replace: { edge: 'usersreplace', extra: {} },
};

function checkRequest(
	audienceId: string,
	mode: AudienceUploadMode,
	payload: AudiencePayload,
	session: ReplaceSession | undefined,
): void {
	if (!/^\d{1,32}$/.test(audienceId)) throw new RangeError('audienceId: not a Custom Audience id (digits)');
	if (!ENDPOINT[mode]) throw new RangeError(`mode: "${String(mode).slice(0, 20)}" is not add, remove or replace`);
	if (!Array.isArray(payload?.schema) || payload.schema.length === 0)
		throw new RangeError('payload.schema: needs at least one key');
	if (!Array.isArray(payload.data) || payload.data.length === 0 || payload.data.length > MAX_AUDIENCE_ROWS)
		throw new RangeError(`payload.data: needs 1..${MAX_AUDIENCE_ROWS} rows, got ${payload.data?.length ?? 0}`);
	const width = payload.schema.length;
	const bad = payload.data.findIndex((row) => !Array.isArray(row) || row.length !== width);
	if (bad >= 0) throw new RangeError(`payload.data[${bad}]: a row needs ${width} values, one per schema key`);
	if (mode === 'replace' && !session) throw new RangeError('session: a replace needs its usersreplace session');
	if (session) {
		if (!Number.isSafeInteger(session.session_id) || session.session_id < 1)
			throw new RangeError('session.session_id: needs a positive integer');
		if (!Number.isSafeInteger(session.batch_seq) || session.batch_seq < 1)
			throw new RangeError('session.batch_seq: needs an integer from 1');
	}
}

/** Meta's words and codes, for a job's error: the message is already capped and redacted. */
function describe(error: Classified): string {
	const code = error.code !== undefined ? ` (code ${error.code}${error.subcode ? `/${error.subcode}` : ''})` : '';
	const trace = error.traceId ? `, fbtrace_id ${error.traceId}` : '';
	return `${error.message}${code}${trace}`;
}

const count = (value: unknown): number => {
	const n = Number(value);
	return Number.isFinite(n) && n >= 0 ? n : 0;
};

/**
 * Sends one batch of hashed rows to a Custom Audience: `add` and `remove` to /{id}/users (remove
 * as POST with method=DELETE), `replace` to /{id}/usersreplace within its session. Transient
 * failures (5xx, network, timeouts, throttling, 1870145 another update in progress) are retried
 * here, waiting as long as Meta asks (Retry-After, estimated_time_to_regain_access) within the
 * bounded budget of settings.retry, past which DestinationUnavailable is thrown. Meta ending the
 * session throws AudienceSessionLost; anything else it refuses (token, permission, an audience that
 * does not exist, an invalid request) throws DestinationRefused with Meta's reason, redacted.
 * A request retried after no answer carries the same batch_seq: Meta may have taken it already,
 * and sending the same rows twice in one session changes nothing.
 */
export async function uploadAudienceBatch(
	settings: AudienceClientSettings,
	audienceId: string,
	mode: AudienceUploadMode,
	payload: AudiencePayload,
	session?: ReplaceSession,
	signal?: AbortSignal,
): Promise<AudienceBatchResult> {
	checkRequest(audienceId, mode, payload, session);
	const { edge, extra } = ENDPOINT[mode];
	const body = JSON.stringify({
		...extra,
		payload: { schema: payload.schema, data: payload.data },
		...(session ? { session } : {}),
		...authFields(settings),
	});
	const bytes = Buffer.byteLength(body, 'utf8');
	if (bytes > MAX_AUDIENCE_REQUEST_BYTES)
		throw new RangeError(
			`payload: the request is ${bytes.toLocaleString('en-US')} bytes, above the ${MAX_AUDIENCE_REQUEST_BYTES.toLocaleString('en-US')} one request may carry`,
		);
	const budget = new RetryBudget('audience', settings.retry);
	for (let requests = 1; ; requests++) {
		signal?.throwIfAborted();
		const answer = await graphPostText(settings, `${audienceId}/${edge}`, body, signal);
		if (answer.ok) {
			const b = isRecord(answer.body) ? answer.body : {};
			return {
				num_received: count(b.num_received),
				num_invalid_entries: count(b.num_invalid_entries),
				requests,
				usage: answer.usage,
			};
		}
		const error = answer.error;
		const ended = error.code === 2650 && error.subcode !== undefined ? SESSION_ENDED[error.subcode] : undefined;
		if (ended) throw new AudienceSessionLost(`${ended}: ${describe(error)}`, error.subcode, session?.session_id);
		if (!error.retryable) throw new DestinationRefused('audience', describe(error), error.code);
		await budget.wait(describe(error), error.retryAfterMs, signal);
	}
}
