import { randomUUID } from 'node:crypto';
import { startHttpDouble, type Answer, type Recorded } from './httpDouble';

/**
 * A local HubSpot CRM for end-to-end tests, built from the v3/v4 APIs' documented shapes. It keeps
 * state so a test can assert what HubSpot would hold afterwards, not only what was sent:
 * - contacts: batch/upsert (idProperty email), batch/read, GET by id or e-mail, search (EQ filters);
 * - deals: batch/upsert by a unique property (shopify_order_id), GET by id (with
 *   ?associations=contacts, the v3 way of reading a deal's contacts);
 * - properties and property groups: create, 409 when they exist;
 * - v4 default associations deal → contact (batch).
 * Every request must carry `Authorization: Bearer <token>`. With `strictProperties`, writes are
 * checked as HubSpot checks them: a property that is neither built in nor created is refused
 * (400 PROPERTY_DOESNT_EXIST for the batch), an upsert's idProperty must be a unique property,
 * and a property's group must exist before the property.
 * With `rateLimit`, requests are counted as HubSpot counts a private app's: at most `perTenSeconds`
 * in any rolling window of `windowMs` (10 s unless a test shortens it) and `daily` over the double's
 * life; past either, 429 with HubSpot's documented body (policyName TEN_SECONDLY_ROLLING or DAILY).
 * Every answer then carries the X-HubSpot-RateLimit-* headers (Interval-Milliseconds, Max,
 * Remaining, and Daily, Daily-Remaining when a daily limit is set). Refused requests do not count.
 * `latencyMs` delays every answer. A request `down(req)` says true for is answered 503 (an outage,
 * as HubSpot's edge answers one).
 */
export interface CrmRecord {
	id: string;
	properties: Record<string, string>;
	createdAt: string;
	updatedAt: string;
}

type ObjectType = 'contacts' | 'deals';

// The built-in properties (and groups) the package writes; a portal has many more.
const BUILT_IN: Record<string, Set<string>> = {
	contacts: new Set([
		'email',
		'firstname',
		'lastname',
		'phone',
		'mobilephone',
		'address',
		'city',
		'state',
		'zip',
		'country',
		'company',
		'website',
		'lifecyclestage',
		'hs_object_id',
	]),
	deals: new Set([
		'dealname',
		'amount',
		'closedate',
		'pipeline',
		'dealstage',
		'deal_currency_code',
		'description',
		'hubspot_owner_id',
		'hs_object_id',
	]),
	'contacts/groups': new Set(['contactinformation']),
	'deals/groups': new Set(['dealinformation']),
};

export interface HubSpotRateLimit {
	perTenSeconds: number;
	daily?: number;
	/** The rolling window's length (default 10,000 ms, HubSpot's). */
	windowMs?: number;
}

export async function startHubSpotDouble(options: {
	token: string;
	strictProperties?: boolean;
	rateLimit?: HubSpotRateLimit;
	latencyMs?: number;
	down?: (req: Recorded) => boolean;
}) {
	const records: Record<ObjectType, Map<string, CrmRecord>> = { contacts: new Map(), deals: new Map() };
	const definitions = new Map<string, Set<string>>();
	const unique = new Set<string>();
	const known = (key: string, name: string) => BUILT_IN[key]?.has(name) || definitions.get(key)?.has(name) === true;
	const invalidProperty = (names: string[]): Answer => ({
		status: 400,
		body: {
			status: 'error',
			message: `Property values were not valid: ${JSON.stringify(names.map((name) => ({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name })))}`,
			correlationId: '3c4a6f0e-0000-4000-8000-000000000000',
			category: 'VALIDATION_ERROR',
		},
	});
	const associations: Array<{ dealId: string; contactId: string }> = [];
	let nextId = 1001;

	// Contacts by lower-cased e-mail: a scan per upserted contact made a million contacts quadratic.
	// Contacts a test puts into `contacts` itself are not indexed: then a miss still scans.
	const byEmail = new Map<string, CrmRecord>();
	let upserted = 0;
	const find = (type: ObjectType, idProperty: string | undefined, id: string) => {
		if (!idProperty || idProperty === 'hs_object_id') return records[type].get(id);
		if (type === 'contacts' && idProperty === 'email') {
			const hit = byEmail.get(id.toLowerCase());
			if (hit || records.contacts.size === upserted) return hit;
		}
		const wanted = idProperty === 'email' ? id.toLowerCase() : id;
		return [...records[type].values()].find(
			(r) => (idProperty === 'email' ? r.properties.email?.toLowerCase() : r.properties[idProperty]) === wanted,
		);
	};
	const view = (r: CrmRecord, names?: string[]) => ({
		id: r.id,
		properties: names
			? Object.fromEntries(names.filter((n) => n in r.properties).map((n) => [n, r.properties[n]]))
			: r.properties,
		createdAt: r.createdAt,
		updatedAt: r.updatedAt,
		archived: false,
	});
	const asStrings = (p: Record<string, unknown>) =>
		Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));

	const upsert = (
		type: ObjectType,
		body: {
			inputs?: Array<{
				id: string;
				idProperty: string;
				properties: Record<string, unknown>;
				objectWriteTraceId?: string;
			}>;
		},
	): Answer => {
		const inputs = body.inputs ?? [];
		if (inputs.length > 100)
			return {
				status: 400,
				body: { status: 'error', message: 'Batch size exceeds the maximum of 100', category: 'VALIDATION_ERROR' },
			};
		if (options.strictProperties) {
			const idProperty = inputs[0]?.idProperty;
			if (
				idProperty &&
				idProperty !== 'email' &&
				idProperty !== 'hs_object_id' &&
				!unique.has(`${type}/${idProperty}`)
			) {
				return {
					status: 400,
					body: {
						status: 'error',
						message: `Property "${idProperty}" is not a unique property and cannot be used as an idProperty`,
						category: 'VALIDATION_ERROR',
					},
				};
			}
			const missing = [...new Set(inputs.flatMap((input) => Object.keys(input.properties ?? {})))].filter(
				(name) => !known(type, name),
			);
			if (missing.length) return invalidProperty(missing);
		}
		const now = new Date().toISOString();
		const results = inputs.map((input) => {
			if (input.idProperty === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.id)) return { error: input };
			const existing = find(type, input.idProperty, input.id);
			const record = existing ?? {
				id: String(nextId++),
				properties: { [input.idProperty]: input.idProperty === 'email' ? input.id.toLowerCase() : input.id },
				createdAt: now,
				updatedAt: now,
			};
			const before = record.properties.email;
			Object.assign(record.properties, asStrings(input.properties ?? {}));
			// HubSpot keeps contacts' e-mail addresses lower-cased, whatever case was written.
			if (type === 'contacts' && record.properties.email)
				record.properties.email = record.properties.email.toLowerCase();
			if (type === 'contacts') {
				if (before && before !== record.properties.email && byEmail.get(before) === record) byEmail.delete(before);
				if (record.properties.email) byEmail.set(record.properties.email, record);
			}
			record.updatedAt = now;
			if (!existing && type === 'contacts') upserted += 1;
			records[type].set(record.id, record);
			return {
				...view(record),
				new: !existing,
				...(input.objectWriteTraceId !== undefined ? { objectWriteTraceId: input.objectWriteTraceId } : {}),
			};
		});
		const errors = results.filter((r): r is { error: (typeof inputs)[number] } => 'error' in r);
		const ok = results.filter((r) => !('error' in r));
		if (errors.length === 0) return { status: 200, body: { status: 'COMPLETE', results: ok } };
		return {
			status: 207,
			body: {
				status: 'COMPLETE',
				results: ok,
				numErrors: errors.length,
				errors: errors.map((e) => ({
					status: 'error',
					category: 'VALIDATION_ERROR',
					message: `Property values were not valid: email "${e.error.id}" is invalid`,
					context: {
						ids: [e.error.id],
						...(e.error.objectWriteTraceId !== undefined ? { objectWriteTraceId: [e.error.objectWriteTraceId] } : {}),
					},
				})),
			},
		};
	};

	const route = (req: Recorded): Answer => {
		if (req.headers.authorization !== `Bearer ${options.token}`) {
			return {
				status: 401,
				body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' },
			};
		}
		const body = (req.body ?? {}) as Record<string, unknown>;
		let m = /^\/crm\/v3\/objects\/(contacts|deals)\/batch\/upsert$/.exec(req.path);
		if (m && req.method === 'POST') return upsert(m[1] as ObjectType, body as never);
		m = /^\/crm\/v3\/objects\/(contacts|deals)\/batch\/read$/.exec(req.path);
		if (m && req.method === 'POST') {
			const names = body.properties as string[] | undefined;
			const inputs = (body.inputs ?? []) as Array<{ id: string }>;
			const found = inputs.map((i) => ({
				i,
				r: find(m![1] as ObjectType, body.idProperty as string | undefined, i.id),
			}));
			const results = found.filter((f) => f.r).map((f) => view(f.r!, names));
			const missing = found.filter((f) => !f.r).map((f) => f.i.id);
			if (!missing.length) return { status: 200, body: { status: 'COMPLETE', results } };
			return {
				status: 207,
				body: {
					status: 'COMPLETE',
					results,
					numErrors: 1,
					errors: [
						{
							status: 'error',
							category: 'OBJECT_NOT_FOUND',
							message: 'Could not get some CONTACT objects, they may be deleted or not exist.',
							context: { ids: missing },
						},
					],
				},
			};
		}
		m = /^\/crm\/v3\/objects\/contacts\/search$/.exec(req.path);
		if (m && req.method === 'POST') {
			const filters = (
				(body.filterGroups ?? []) as Array<{
					filters: Array<{ propertyName: string; operator: string; value?: string }>;
				}>
			).flatMap((g) => g.filters);
			const all = [...records.contacts.values()].filter((r) =>
				filters.every(
					(f) =>
						f.operator !== 'EQ' ||
						(r.properties[f.propertyName] ?? '').toLowerCase() === String(f.value ?? '').toLowerCase(),
				),
			);
			const start = Number(body.after ?? 0);
			const limit = Number(body.limit ?? 10);
			const results = all.slice(start, start + limit).map((r) => view(r, body.properties as string[] | undefined));
			return {
				status: 200,
				body: {
					total: all.length,
					results,
					...(start + limit < all.length ? { paging: { next: { after: String(start + limit) } } } : {}),
				},
			};
		}
		m = /^\/crm\/v3\/objects\/(contacts|deals)\/([^/]+)$/.exec(req.path);
		if (m && req.method === 'GET') {
			const record = find(m[1] as ObjectType, req.query.get('idProperty') ?? undefined, decodeURIComponent(m[2]));
			if (!record)
				return {
					status: 404,
					body: {
						status: 'error',
						message: 'Object not found.  objectId are usually numeric.',
						category: 'OBJECT_NOT_FOUND',
					},
				};
			const names = req.query.get('properties')?.split(',');
			// ?associations=contacts on a deal: its associated contacts, in v3's shape.
			const linked =
				m[1] === 'deals' && req.query.get('associations')?.split(',').includes('contacts')
					? associations.filter((a) => a.dealId === record.id)
					: undefined;
			return {
				status: 200,
				body: {
					...view(record, names),
					...(linked
						? {
								associations: {
									contacts: { results: linked.map((a) => ({ id: a.contactId, type: 'deal_to_contact' })) },
								},
							}
						: {}),
				},
			};
		}
		m = /^\/crm\/v3\/properties\/(contacts|deals)(\/groups)?$/.exec(req.path);
		if (m && req.method === 'POST') {
			const key = `${m[1]}${m[2] ?? ''}`;
			const names = definitions.get(key) ?? new Set<string>();
			definitions.set(key, names);
			const name = String(body.name ?? '');
			if (names.has(name) || (options.strictProperties && BUILT_IN[key]?.has(name)))
				return {
					status: 409,
					body: {
						status: 'error',
						message: `A property named '${name}' already exists.`,
						category: 'OBJECT_ALREADY_EXISTS',
					},
				};
			if (options.strictProperties && !m[2] && !known(`${m[1]}/groups`, String(body.groupName ?? ''))) {
				return {
					status: 400,
					body: {
						status: 'error',
						message: `Property group ${String(body.groupName)} does not exist.`,
						category: 'VALIDATION_ERROR',
					},
				};
			}
			names.add(name);
			if (!m[2] && body.hasUniqueValue === true) unique.add(`${m[1]}/${name}`);
			return { status: 201, body: { ...body, createdAt: new Date().toISOString() } };
		}
		if (req.path === '/crm/v4/associations/deals/contacts/batch/associate/default' && req.method === 'POST') {
			const inputs = (body.inputs ?? []) as Array<{ from: { id: string }; to: { id: string } }>;
			for (const input of inputs) {
				if (!associations.some((a) => a.dealId === input.from.id && a.contactId === input.to.id))
					associations.push({ dealId: input.from.id, contactId: input.to.id });
			}
			return {
				status: 200,
				body: {
					status: 'COMPLETE',
					results: inputs.map((i) => ({
						from: { id: i.from.id },
						to: { id: i.to.id },
						associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 },
					})),
				},
			};
		}
		return {
			status: 404,
			body: { status: 'error', message: `No route for ${req.method} ${req.path}`, category: 'OBJECT_NOT_FOUND' },
		};
	};

	// Arrival times of the requests the rolling window counts, oldest first.
	const arrivals: number[] = [];
	const limits = { tenSecondly: 0, daily: 0, accepted: 0, maxInWindow: 0 };
	const rateLimited = (policy: 'TEN_SECONDLY_ROLLING' | 'DAILY'): Answer => ({
		status: 429,
		body: {
			status: 'error',
			message: `You have reached your ${policy === 'DAILY' ? 'daily' : 'ten_secondly_rolling'} limit.`,
			errorType: 'RATE_LIMIT',
			correlationId: randomUUID(),
			policyName: policy,
			groupName: 'publicapi:private-app:double',
		},
	});
	const limit = (): Answer | undefined => {
		const rate = options.rateLimit;
		if (!rate) return undefined;
		const now = Date.now();
		const windowMs = rate.windowMs ?? 10_000;
		while (arrivals.length && arrivals[0] <= now - windowMs) arrivals.shift();
		if (rate.daily !== undefined && limits.accepted >= rate.daily) {
			limits.daily += 1;
			return rateLimited('DAILY');
		}
		if (arrivals.length >= rate.perTenSeconds) {
			limits.tenSecondly += 1;
			return rateLimited('TEN_SECONDLY_ROLLING');
		}
		arrivals.push(now);
		limits.accepted += 1;
		limits.maxInWindow = Math.max(limits.maxInWindow, arrivals.length);
		return undefined;
	};
	const rateHeaders = (): Record<string, string> => {
		const rate = options.rateLimit;
		if (!rate) return {};
		return {
			'X-HubSpot-RateLimit-Interval-Milliseconds': String(rate.windowMs ?? 10_000),
			'X-HubSpot-RateLimit-Max': String(rate.perTenSeconds),
			'X-HubSpot-RateLimit-Remaining': String(Math.max(0, rate.perTenSeconds - arrivals.length)),
			...(rate.daily !== undefined
				? {
						'X-HubSpot-RateLimit-Daily': String(rate.daily),
						'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, rate.daily - limits.accepted)),
					}
				: {}),
		};
	};
	const answer = async (req: Recorded): Promise<Answer> => {
		if (options.down?.(req))
			return {
				status: 503,
				body: { status: 'error', message: 'Service Unavailable', category: 'SERVICE_UNAVAILABLE' },
			};
		const authorized = req.headers.authorization === `Bearer ${options.token}`;
		const out = (authorized && limit()) || route(req);
		const headers = rateHeaders();
		if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
		return { ...out, headers: { ...headers, ...out.headers } };
	};

	const double = await startHttpDouble(answer);
	return {
		...double,
		/** With rateLimit: 429s given per policy, requests counted, the most ever in one window. */
		limits,
		contacts: records.contacts,
		deals: records.deals,
		associations,
		/** Names of the properties (or groups, under `contacts/groups`) created, by object. */
		definitions,
		contactByEmail: (email: string) => find('contacts', 'email', email),
	};
}

export type HubSpotDouble = Awaited<ReturnType<typeof startHubSpotDouble>>;
