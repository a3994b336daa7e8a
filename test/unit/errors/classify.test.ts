import {
	classifyGraphError,
	classifyHubSpotError,
	classifyNetworkError,
	classifyShopifyError,
	parseUsageHeaders,
} from '../../../nodes/core/errors';

const graph = (code: number, extra: Record<string, unknown> = {}) => ({
	error: { message: `error ${code}`, type: 'OAuthException', code, fbtrace_id: 'AbC123', ...extra },
});

describe('Graph API errors', () => {
	it.each([
		[1, 'retry'],
		[2, 'retry'],
		[21009, 'retry'],
		[5000, 'retry'],
		[4, 'throttle'],
		[17, 'throttle'],
		[341, 'throttle'],
		[613, 'throttle'],
		[80000, 'throttle'],
		[80003, 'throttle'],
		[80004, 'throttle'],
		[80014, 'throttle'],
		[368, 'throttle'],
		[190, 'auth'],
		[102, 'auth'],
		[10, 'auth'],
		[200, 'auth'],
		[100, 'invalid'],
		[3, 'invalid'],
		[294, 'auth'], // "requires the extended permission ads_management": a person must grant it
		[105, 'invalid'],
		[2650, 'invalid'],
	])('code %i → %s', (code, expected) => {
		expect(classifyGraphError(400, graph(code)).class).toBe(expected);
	});

	it('treats is_transient as retry and keeps the subcode, message and trace id', () => {
		expect(classifyGraphError(500, graph(999, { is_transient: true })).class).toBe('retry');
		const c = classifyGraphError(
			400,
			graph(100, { error_subcode: 2804003, error_user_msg: 'The timestamp is too old' }),
		);
		expect(c).toEqual({
			class: 'invalid',
			retryable: false,
			code: 100,
			subcode: 2804003,
			message: 'The timestamp is too old',
			traceId: 'AbC123',
		});
	});

	it('retries usersreplace "update in progress" but not its other 2650 subcodes', () => {
		expect(classifyGraphError(400, graph(2650, { error_subcode: 1870145 }))).toMatchObject({
			class: 'retry',
			retryAfterMs: 60_000,
		});
		expect(classifyGraphError(400, graph(2650, { error_subcode: 1870147 })).class).toBe('invalid');
	});

	it('falls back on the HTTP status when the body is not Meta’s', () => {
		expect(classifyGraphError(502, '<html>Bad gateway</html>').class).toBe('retry');
		expect(classifyGraphError(429, {}).class).toBe('throttle');
		expect(classifyGraphError(401, {}).class).toBe('auth');
		expect(classifyGraphError(404, {}).class).toBe('invalid');
	});

	it('reads the usage headers to wait as long as Meta says', () => {
		const headers = {
			'X-Business-Use-Case-Usage': JSON.stringify({
				'123': [
					{
						type: 'ads_management',
						call_count: 97,
						total_cputime: 20,
						total_time: 40,
						estimated_time_to_regain_access: 3,
					},
				],
			}),
			'x-app-usage': '{"call_count":12,"total_time":5,"total_cputime":3}',
		};
		expect(parseUsageHeaders(headers)).toEqual({ maxPercent: 97, regainAfterMs: 180_000 });
		expect(classifyGraphError(400, graph(80004), headers).retryAfterMs).toBe(180_000);
		expect(parseUsageHeaders({ 'x-app-usage': 'not json' })).toEqual({ maxPercent: 0 });
	});

	it('classifies network failures as retry', () => {
		expect(classifyNetworkError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toEqual({
			class: 'retry',
			retryable: true,
			message: 'network error ECONNRESET',
			code: 'ECONNRESET',
		});
	});
});

describe('HubSpot errors', () => {
	const rate = (policyName: string) => ({
		status: 'error',
		message: 'You have reached your ten_secondly_rolling limit.',
		errorType: 'RATE_LIMIT',
		correlationId: 'c-1',
		policyName,
	});

	it('waits out TEN_SECONDLY_ROLLING and surfaces DAILY', () => {
		expect(classifyHubSpotError(429, rate('TEN_SECONDLY_ROLLING'))).toMatchObject({
			class: 'throttle',
			retryable: true,
			retryAfterMs: 10_000,
			traceId: 'c-1',
		});
		expect(classifyHubSpotError(429, rate('TEN_SECONDLY_ROLLING'), { 'Retry-After': '3' }).retryAfterMs).toBe(3000);
		expect(classifyHubSpotError(429, rate('DAILY'))).toMatchObject({
			class: 'throttle',
			retryable: false,
			code: 'DAILY',
		});
	});

	it('maps auth, server and validation errors', () => {
		expect(
			classifyHubSpotError(401, {
				category: 'INVALID_AUTHENTICATION',
				message: 'Authentication credentials not found.',
			}).class,
		).toBe('auth');
		expect(classifyHubSpotError(503, {}).class).toBe('retry');
		expect(classifyHubSpotError(409, { category: 'CONFLICT', message: 'Property already exists' })).toMatchObject({
			class: 'invalid',
			code: 'CONFLICT',
		});
	});
});

describe('Shopify errors', () => {
	it('computes the wait from a THROTTLED GraphQL answer', () => {
		const body = {
			errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
			extensions: {
				cost: {
					requestedQueryCost: 202,
					actualQueryCost: null,
					throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2, restoreRate: 100 },
				},
			},
		};
		expect(classifyShopifyError(200, body)).toEqual({
			class: 'throttle',
			retryable: true,
			message: 'Throttled',
			code: 'THROTTLED',
			retryAfterMs: 2000,
		});
	});

	it('honours Retry-After on a REST 429, and classifies the rest', () => {
		expect(
			classifyShopifyError(429, { errors: 'Exceeded 2 calls per second for api client.' }, { 'Retry-After': '2.0' })
				?.retryAfterMs,
		).toBe(2000);
		expect(classifyShopifyError(401, {})?.class).toBe('auth');
		expect(
			classifyShopifyError(200, { errors: [{ message: 'Access denied', extensions: { code: 'ACCESS_DENIED' } }] })
				?.class,
		).toBe('auth');
		expect(classifyShopifyError(500, {})?.class).toBe('retry');
		expect(classifyShopifyError(200, { data: { shop: { name: 'x' } } })).toBeUndefined();
	});
});
