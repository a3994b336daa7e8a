import { createHash, createHmac } from 'node:crypto';
import {
	safeEqual,
	shopifyHeader,
	signChatwootWebhook,
	signHubSpotV3,
	signRelayRequest,
	signShopifyWebhook,
	verifyChatwootWebhook,
	verifyHubSpotV1,
	verifyHubSpotV3,
	verifyRelaySignature,
	verifySharedSecret,
	verifyShopifyWebhook,
} from '../../../nodes/core/signatures';

const body = Buffer.from('{"id":450789469,"email":"bob.norman@mail.example.com","total_price":"598.94"}');
const flipBit = (b: Buffer) => {
	const c = Buffer.from(b);
	c[5] ^= 0x01;
	return c;
};
const flipChar = (s: string, i = 3) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

describe('safeEqual', () => {
	it('compares without throwing on different lengths', () => {
		expect(safeEqual('abc', 'abc')).toBe(true);
		expect(safeEqual('abc', 'abcd')).toBe(false);
		expect(safeEqual(Buffer.alloc(0), '')).toBe(true);
		expect(safeEqual(Buffer.from([1, 2]), Buffer.from([1, 2, 3]))).toBe(false);
	});
});

describe('Shopify webhooks', () => {
	const secret = 'hush';
	// Computed independently: base64 HMAC-SHA256 of the raw bytes.
	const good = createHmac('sha256', secret).update(body).digest('base64');

	it('accepts the right signature, for a Buffer or the same string', () => {
		expect(signShopifyWebhook(body, secret)).toBe(good);
		expect(verifyShopifyWebhook(body, good, secret)).toBe(true);
		expect(verifyShopifyWebhook(body.toString(), good, [secret])).toBe(true);
	});

	it('accepts the old secret during a rotation', () => {
		expect(verifyShopifyWebhook(body, good, ['new-secret', secret])).toBe(true);
	});

	it.each([
		['a flipped bit in the body', flipBit(body), good],
		['a flipped character in the signature', body, flipChar(good)],
		['a truncated signature', body, good.slice(0, 20)],
		['an empty header', body, ''],
		['a missing header', body, undefined],
		['a null header', body, null],
		['non-base64 garbage', body, '!!!not base64!!!'],
		['a hex signature instead of base64', body, createHmac('sha256', secret).update(body).digest('hex')],
		['a signature with another secret', body, createHmac('sha256', 'other').update(body).digest('base64')],
	])('rejects %s without throwing', (_label, b, header) => {
		expect(() => verifyShopifyWebhook(b, header as string, secret)).not.toThrow();
		expect(verifyShopifyWebhook(b, header as string, secret)).toBe(false);
	});

	it('rejects when no secret is configured', () => {
		expect(verifyShopifyWebhook(body, good, [])).toBe(false);
		expect(verifyShopifyWebhook(body, good, '')).toBe(false);
	});

	it('finds headers in webhook and events form', () => {
		expect(shopifyHeader({ 'X-Shopify-Topic': 'orders/paid' }, 'topic')).toBe('orders/paid');
		expect(shopifyHeader({ 'shopify-webhook-id': ['w-1'] }, 'webhook-id')).toBe('w-1');
		expect(shopifyHeader({}, 'hmac-sha256')).toBeUndefined();
	});
});

describe('Chatwoot webhooks', () => {
	const secret = 'cw-secret';
	const now = 1_780_000_000;
	const expected = `sha256=${createHmac('sha256', secret).update(`${now}.${body.toString()}`).digest('hex')}`;

	it('accepts sha256=hex of "timestamp.body"', () => {
		expect(signChatwootWebhook(body, secret, now)).toBe(expected);
		expect(verifyChatwootWebhook({ rawBody: body, signature: expected, timestamp: String(now), secret, now })).toBe(
			true,
		);
		expect(
			verifyChatwootWebhook({ rawBody: body, signature: expected, timestamp: String(now), secret, now: now + 300 }),
		).toBe(true);
	});

	it.each([
		['a stale timestamp', { now: now + 301 }],
		['a future timestamp beyond the window', { now: now - 301 }],
		['another timestamp than signed', { timestamp: String(now + 1) }],
		['a flipped bit in the body', { rawBody: flipBit(body) }],
		['a flipped character', { signature: flipChar(expected, 12) }],
		['a truncated signature', { signature: expected.slice(0, 40) }],
		['a missing prefix', { signature: expected.slice(7) }],
		['a missing signature', { signature: undefined }],
		['a missing timestamp', { timestamp: undefined }],
		['a garbage timestamp', { timestamp: '17e8' }],
		['the wrong secret', { secret: 'nope' }],
	])('rejects %s', (_label, change) => {
		const input = {
			rawBody: body,
			signature: expected as string | undefined,
			timestamp: String(now) as string | undefined,
			secret,
			now,
			...change,
		};
		expect(verifyChatwootWebhook(input)).toBe(false);
	});

	it('checks the shared-secret fallback in constant time', () => {
		expect(verifySharedSecret('s3cret', 's3cret')).toBe(true);
		expect(verifySharedSecret('s3cret-longer', 's3cret')).toBe(false);
		expect(verifySharedSecret(undefined, 's3cret')).toBe(false);
		expect(verifySharedSecret('', '')).toBe(false);
	});
});

describe('HubSpot signatures', () => {
	const secret = 'hs-client-secret';
	const now = 1_780_000_000_000;
	const uri = 'https://relay.example.com/v1/webhooks/hubspot?portal=123%3A456';
	const raw = '[{"objectId":1246965,"propertyName":"dealstage","propertyValue":"closedwon"}]';
	// Independently: HubSpot decodes %3A to ":" before signing.
	const expected = createHmac('sha256', secret)
		.update(`POSThttps://relay.example.com/v1/webhooks/hubspot?portal=123:456${raw}${now}`)
		.digest('base64');

	it('verifies v3 with the decoded URI', () => {
		expect(signHubSpotV3('post', uri, raw, secret, now)).toBe(expected);
		expect(
			verifyHubSpotV3({
				method: 'POST',
				uri,
				rawBody: raw,
				signature: expected,
				timestamp: String(now),
				clientSecret: secret,
				now,
			}),
		).toBe(true);
	});

	it.each([
		['older than 5 minutes', { now: now + 300_001 }],
		['a changed body', { rawBody: raw.replace('closedwon', 'closedlost') }],
		['a changed method', { method: 'GET' }],
		['a truncated signature', { signature: expected.slice(0, 30) }],
		['garbage', { signature: '%%%' }],
		['no timestamp', { timestamp: undefined }],
		['the wrong secret', { clientSecret: 'x' }],
	])('rejects v3 with %s', (_label, change) => {
		const input = {
			method: 'POST',
			uri,
			rawBody: raw,
			signature: expected as string | undefined,
			timestamp: String(now) as string | undefined,
			clientSecret: secret,
			now,
			...change,
		};
		expect(verifyHubSpotV3(input)).toBe(false);
	});

	it('verifies v1 (hex sha256 of secret + body)', () => {
		const v1 = createHash('sha256')
			.update(secret + raw)
			.digest('hex');
		expect(verifyHubSpotV1(raw, v1, secret)).toBe(true);
		expect(verifyHubSpotV1(raw, v1.slice(2), secret)).toBe(false);
		expect(verifyHubSpotV1(raw + ' ', v1, secret)).toBe(false);
	});
});

describe('relay request signatures', () => {
	const secret = 'relay-secret';
	const now = 1_780_000_000;
	const header = signRelayRequest(body, secret, now);

	it('signs t=…,v1=hex of "t.body" and verifies it', () => {
		expect(header).toBe(
			`t=${now},v1=${createHmac('sha256', secret).update(`${now}.${body.toString()}`).digest('hex')}`,
		);
		expect(verifyRelaySignature({ rawBody: body, header, secrets: secret, now })).toEqual({ ok: true, timestamp: now });
	});

	it('accepts rotation: several v1 values or several secrets', () => {
		const other = signRelayRequest(body, 'old', now).split(',')[1];
		expect(verifyRelaySignature({ rawBody: body, header: `${header},${other}`, secrets: 'old', now }).ok).toBe(true);
		expect(verifyRelaySignature({ rawBody: body, header, secrets: ['new', secret], now }).ok).toBe(true);
	});

	it.each([
		['missing', undefined, 'missing'],
		['empty', '', 'missing'],
		['without a timestamp', header.split(',')[1], 'malformed'],
		['without a v1', `t=${now}`, 'malformed'],
		['with a truncated v1', header.slice(0, -4), 'malformed'],
		['garbage', 'hello world', 'malformed'],
		['stale', signRelayRequest(body, secret, now - 301), 'stale'],
		['from the future', signRelayRequest(body, secret, now + 301), 'stale'],
		['with another secret', signRelayRequest(body, 'other', now), 'mismatch'],
		['with a flipped character', flipChar(header, header.length - 3), 'mismatch'],
	])('rejects a header %s', (_label, h, reason) => {
		expect(verifyRelaySignature({ rawBody: body, header: h, secrets: secret, now })).toEqual({ ok: false, reason });
	});

	it('rejects a tampered body', () => {
		expect(verifyRelaySignature({ rawBody: flipBit(body), header, secrets: secret, now })).toEqual({
			ok: false,
			reason: 'mismatch',
		});
	});
});
