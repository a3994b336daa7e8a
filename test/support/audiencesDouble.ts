import { startHttpDouble, type Answer, type Recorded } from './httpDouble';

/**
 * A local stand-in for the Graph API's Custom Audiences (v25.0 shapes), keeping each audience's
 * members so a test can assert membership after adds, removes and replaces:
 * - POST /act_{id}/customaudiences, GET /act_{id}/customaudiences (paged), GET and DELETE /{id};
 * - POST /{id}/users (add, or remove with method=DELETE) and POST /{id}/usersreplace, with
 *   sessions: a replace swaps the members only when its last batch arrives.
 * A member is a row of hashes keyed by schema; rows whose hashed keys are not 64 hex digits are
 * counted invalid, as Meta does. Needs `Authorization: Bearer <token>`.
 * Replace sessions end as Meta's do (code 2650): `sessionTtlMs` after their first batch (Meta: 90
 * minutes) a batch is answered 1870158 (timed out); a batch after the last one 1870159 (already
 * finished); a session whose first batch is not batch_seq 1, 1870147. `latencyMs` delays every
 * answer; `requestsPerEdge` counts requests by edge (users, usersreplace, customaudiences, audience).
 */
export interface Audience {
	id: string;
	name: string;
	description?: string;
	customer_file_source?: string;
	subtype: string;
	members: Map<string, Record<string, string>>;
	deleted: boolean;
}

type Row = Record<string, string>;
interface UsersBody {
	method?: string;
	payload?: { schema?: string | string[]; data?: unknown[][] };
	session?: { session_id: number; batch_seq: number; last_batch_flag: boolean; estimated_num_total?: number };
}

// Keys Meta takes unhashed (or already hex of another length).
const PLAIN = new Set(['MADID', 'EXTERN_ID', 'PAGEUID', 'LOOKALIKE_VALUE']);
const HEX = /^[0-9a-f]{64}$/;

// Meta's answers that end a replace session (wording of the double; codes as Meta documents them).
const SESSION_ERRORS = {
	1870147: { title: 'Invalid Batch Sequence', msg: 'The batch_seq of a new session must start at 1.' },
	1870158: { title: 'Session Timed Out', msg: 'The replace session timed out. Start a new session.' },
	1870159: { title: 'Session Already Finished', msg: 'The replace session has already finished.' },
} as const;

export async function startAudiencesDouble(options: {
	token: string;
	account: string;
	/** Delay before every answer (default 0). */
	latencyMs?: number;
	/** How long a replace session lives after its first batch (default 90 minutes, as Meta's). */
	sessionTtlMs?: number;
}) {
	const audiences = new Map<string, Audience>();
	const replacing = new Map<number, Map<string, Row>>();
	const sessions = new Map<number, { startedAt: number; finished: boolean }>();
	// Read at each batch, so a test can end one session early and let the next one live.
	const sessionTtlMs = () => options.sessionTtlMs ?? 90 * 60_000;
	const requestsPerEdge: Record<string, number> = {};
	let nextId = 23850000000000;
	const sessionError = (subcode: keyof typeof SESSION_ERRORS): Answer => ({
		status: 400,
		body: {
			error: {
				message: '(#2650) Failed to update the custom audience',
				type: 'OAuthException',
				code: 2650,
				error_subcode: subcode,
				is_transient: false,
				error_user_title: SESSION_ERRORS[subcode].title,
				error_user_msg: SESSION_ERRORS[subcode].msg,
				fbtrace_id: 'AbCdEfGhIjKl',
			},
		},
	});

	const rowsOf = (body: UsersBody) => {
		const schema = Array.isArray(body.payload?.schema) ? body.payload.schema : [String(body.payload?.schema ?? '')];
		const rows: Row[] = [];
		const invalid: Record<string, string> = {};
		for (const values of body.payload?.data ?? []) {
			const row: Row = {};
			schema.forEach((key, k) => {
				const value = String(values[k] ?? '');
				if (value) row[key] = value;
			});
			const bad = Object.entries(row).find(([key, value]) => !PLAIN.has(key) && !HEX.test(value));
			if (bad || Object.keys(row).length === 0)
				invalid[JSON.stringify(values)] = bad ? `${bad[0]} is not a SHA-256 hash` : 'empty row';
			else rows.push(row);
		}
		return { rows, invalid, received: (body.payload?.data ?? []).length };
	};
	const keyOf = (row: Row) => JSON.stringify(Object.entries(row).sort());
	// Meta matches people on identifiers; names, dates of birth and places only sharpen a match,
	// so two people sharing a country are not the same person.
	const IDENTIFIERS = ['EMAIL', 'PHONE', 'MADID', 'EXTERN_ID', 'PAGEUID'];
	const matches = (member: Row, row: Row) => IDENTIFIERS.some((k) => row[k] !== undefined && member[k] === row[k]);

	const users = (audience: Audience, body: UsersBody, replace: boolean): Answer => {
		const { rows, invalid, received } = rowsOf(body);
		const session = body.session;
		if (replace) {
			if (!session)
				return {
					status: 400,
					body: { error: { message: '(#100) The parameter session is required', type: 'OAuthException', code: 100 } },
				};
			const known = sessions.get(session.session_id);
			if (!known && session.batch_seq !== 1) return sessionError(1870147);
			if (known?.finished) return sessionError(1870159);
			if (known && Date.now() - known.startedAt > sessionTtlMs()) {
				replacing.delete(session.session_id);
				return sessionError(1870158);
			}
			if (!known) sessions.set(session.session_id, { startedAt: Date.now(), finished: false });
			const pending = replacing.get(session.session_id) ?? new Map<string, Row>();
			for (const row of rows) pending.set(keyOf(row), row);
			replacing.set(session.session_id, pending);
			if (session.last_batch_flag) {
				audience.members = pending;
				replacing.delete(session.session_id);
				sessions.get(session.session_id)!.finished = true;
			}
		} else if (body.method === 'DELETE') {
			for (const [key, member] of audience.members)
				if (rows.some((row) => matches(member, row))) audience.members.delete(key);
		} else {
			for (const row of rows) audience.members.set(keyOf(row), row);
		}
		return {
			status: 200,
			body: {
				audience_id: audience.id,
				session_id: session?.session_id ?? Math.floor(Math.random() * 1e15),
				num_received: received,
				num_invalid_entries: Object.keys(invalid).length,
				invalid_entry_samples: invalid,
			},
		};
	};

	const fields = (a: Audience, wanted: string | null) => {
		const all: Record<string, unknown> = {
			id: a.id,
			name: a.name,
			description: a.description,
			subtype: a.subtype,
			customer_file_source: a.customer_file_source,
			approximate_count_lower_bound: a.members.size >= 1000 ? a.members.size : -1,
			approximate_count_upper_bound: a.members.size >= 1000 ? a.members.size : -1,
			operation_status: { code: 200, description: 'Normal' },
			delivery_status: { code: 300, description: 'This audience is too small to deliver ads.' },
		};
		const names = (wanted ?? 'id').split(',').map((f) => f.trim());
		return Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]]));
	};

	const edgeOf = (path: string) =>
		/\/(users|usersreplace|customaudiences)$/.exec(path)?.[1] ??
		(/^\/(v\d+\.\d+\/)?\d+$/.test(path) ? 'audience' : 'other');
	const answer = async (req: Recorded): Promise<Answer> => {
		const edge = edgeOf(req.path);
		requestsPerEdge[edge] = (requestsPerEdge[edge] ?? 0) + 1;
		const out = route(req);
		if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
		return out;
	};

	const route = (req: Recorded): Answer => {
		if (req.headers.authorization !== `Bearer ${options.token}`)
			return {
				status: 400,
				body: {
					error: {
						message: 'Invalid OAuth access token - Cannot parse access token',
						type: 'OAuthException',
						code: 190,
					},
				},
			};
		const path = req.path.replace(/^\/v\d+\.\d+\//, '');
		const body = (req.body ?? {}) as Record<string, unknown>;
		if (path === `act_${options.account}/customaudiences`) {
			if (req.method === 'POST') {
				if (body.subtype !== 'CUSTOM' || !body.name)
					return {
						status: 400,
						body: {
							error: {
								message: '(#100) Invalid parameter',
								type: 'OAuthException',
								code: 100,
								error_user_msg: 'name and subtype CUSTOM are required',
							},
						},
					};
				const audience: Audience = {
					id: String(nextId++),
					name: String(body.name),
					description: body.description as string | undefined,
					customer_file_source: body.customer_file_source as string | undefined,
					subtype: 'CUSTOM',
					members: new Map(),
					deleted: false,
				};
				audiences.set(audience.id, audience);
				return { status: 200, body: { id: audience.id } };
			}
			if (req.method === 'GET') {
				const live = [...audiences.values()].filter((a) => !a.deleted);
				const start = Number(req.query.get('after') ?? 0);
				const limit = Number(req.query.get('limit') ?? 25);
				const data = live.slice(start, start + limit).map((a) => fields(a, req.query.get('fields')));
				const more = start + limit < live.length;
				return {
					status: 200,
					body: {
						data,
						paging: {
							cursors: { before: String(start), after: String(start + limit) },
							...(more ? { next: `${req.path}?after=${start + limit}` } : {}),
						},
					},
				};
			}
		}
		const m = /^(\d+)(?:\/(users|usersreplace))?$/.exec(path);
		const audience = m ? audiences.get(m[1]) : undefined;
		if (!m || !audience || audience.deleted)
			return {
				status: 400,
				body: {
					error: {
						message: `Unsupported ${req.method.toLowerCase()} request. Object with ID '${path}' does not exist`,
						type: 'GraphMethodException',
						code: 100,
						error_subcode: 33,
					},
				},
			};
		if (!m[2] && req.method === 'GET') return { status: 200, body: fields(audience, req.query.get('fields')) };
		if (!m[2] && req.method === 'DELETE') {
			audience.deleted = true;
			return { status: 200, body: { success: true } };
		}
		if (m[2] && req.method === 'POST') return users(audience, body as UsersBody, m[2] === 'usersreplace');
		return {
			status: 400,
			body: { error: { message: 'Unsupported request', type: 'GraphMethodException', code: 100 } },
		};
	};

	const double = await startHttpDouble(answer);
	return {
		...double,
		audiences,
		/** Requests received by edge: users, usersreplace, customaudiences, audience (GET/DELETE /{id}). */
		requestsPerEdge,
		/** Creates an audience directly (as if made in Ads Manager) and returns its id. */
		seed: (name: string) => {
			const id = String(nextId++);
			audiences.set(id, { id, name, subtype: 'CUSTOM', members: new Map(), deleted: false });
			return id;
		},
		/** The members' values of one key (e.g. EMAIL hashes), sorted. */
		memberValues: (id: string, key: string) =>
			[...(audiences.get(id)?.members.values() ?? [])]
				.map((m) => m[key])
				.filter(Boolean)
				.sort(),
	};
}

export type AudiencesDouble = Awaited<ReturnType<typeof startAudiencesDouble>>;
