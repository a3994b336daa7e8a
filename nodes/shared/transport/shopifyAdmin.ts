import { createHash } from 'node:crypto';
import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestOptions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';
import { classifyShopifyError } from '../../core/errors/shopify';
import { redactBody, redactText } from '../../core/errors/redact';
import { isRecord, type Headers } from '../../core/errors/types';

export const SHOPIFY_CREDENTIAL = 'shopifyRelayApi';

export interface ShopifyCredential {
	shopDomain: string;
	apiVersion?: string;
	authMethod?: 'accessToken' | 'clientCredentials';
	accessToken?: string;
	clientId?: string;
	clientSecret?: string;
	previousClientSecret?: string;
	baseUrl?: string;
}

export type ShopifyContext = IHookFunctions | IWebhookFunctions | IExecuteFunctions;

interface FullResponse {
	statusCode: number;
	body: unknown;
	headers: Headers;
}

const MAX_ATTEMPTS = 4;
// A throttle that asks for longer than this is reported instead of waited out.
const MAX_WAIT_MS = 30_000;

/** "My-Shop", "https://my-shop.myshopify.com/" → "my-shop.myshopify.com". */
export function shopDomainOf(credential: Pick<ShopifyCredential, 'shopDomain'>): string {
	const domain = String(credential.shopDomain ?? '')
		.trim()
		.replace(/^https?:\/\//i, '')
		.replace(/\/.*$/, '')
		.toLowerCase();
	return domain && !domain.includes('.') ? `${domain}.myshopify.com` : domain;
}

/** Where requests go: the base URL override, else the shop itself. */
export function shopOrigin(credential: ShopifyCredential): string {
	const base = String(credential.baseUrl ?? '').trim() || `https://${shopDomainOf(credential)}`;
	return base.replace(/\/+$/, '');
}

/** The API's own words: GraphQL errors[] (or a plain string on 401), OAuth's error_description. */
export function shopifyMessage(body: unknown, status: number): string {
	if (isRecord(body)) {
		if (typeof body.errors === 'string' && body.errors) return body.errors;
		if (Array.isArray(body.errors)) {
			const messages = body.errors.map((e) => (isRecord(e) ? e.message : e)).filter((m) => typeof m === 'string' && m);
			if (messages.length) return messages.join('; ');
		}
		if (isRecord(body.errors))
			return Object.entries(body.errors)
				.map(([k, v]) => `${k}: ${String(v)}`)
				.join('; ');
		if (typeof body.error_description === 'string' && body.error_description) return body.error_description;
		if (typeof body.error === 'string' && body.error) return body.error;
	}
	if (typeof body === 'string' && body.trim() && body.length < 300) return body.trim();
	return `Shopify answered HTTP ${status}`;
}

function apiError(context: ShopifyContext, response: FullResponse, what: string): NodeApiError {
	const body = isRecord(response.body) ? response.body : { body: response.body };
	return new NodeApiError(context.getNode(), redactBody(body) as JsonObject, {
		message: redactText(shopifyMessage(response.body, response.statusCode)),
		description: what,
		httpCode: String(response.statusCode),
	});
}

// ---- client-credentials tokens ----------------------------------------------------------------

interface CachedToken {
	token: string;
	expiresAt: number;
}

/**
 * Tokens by shop, client id and a digest of the secret (a credential with a wrong secret must
 * not borrow a token another one obtained). Bounded; the oldest entry goes first.
 */
const tokens = new Map<string, Promise<CachedToken>>();
const MAX_CACHED_TOKENS = 100;
// Renew a minute early so a token never expires between reading it and Shopify checking it.
const RENEW_EARLY_MS = 60_000;
// When Shopify gives no expires_in: an hour, well inside the 24 h tokens live today.
const DEFAULT_LIFETIME_S = 3600;

function tokenKey(origin: string, credential: ShopifyCredential): string {
	const secret = createHash('sha256')
		.update(String(credential.clientSecret ?? ''))
		.digest('hex')
		.slice(0, 16);
	return `${origin}\u0000${credential.clientId ?? ''}\u0000${secret}`;
}

/** The client-credentials grant request: for this transport's cache and the credential's preAuthentication. */
export function clientCredentialsGrant(credential: ShopifyCredential): IHttpRequestOptions {
	return {
		method: 'POST',
		url: `${shopOrigin(credential)}/admin/oauth/access_token`,
		body: { client_id: credential.clientId, client_secret: credential.clientSecret, grant_type: 'client_credentials' },
		json: true,
	};
}

async function requestToken(context: ShopifyContext, credential: ShopifyCredential): Promise<CachedToken> {
	const response = (await context.helpers.httpRequest({
		...clientCredentialsGrant(credential),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as FullResponse;
	const body = isRecord(response.body) ? response.body : {};
	if (
		response.statusCode < 200 ||
		response.statusCode >= 300 ||
		typeof body.access_token !== 'string' ||
		!body.access_token
	) {
		throw apiError(
			context,
			response,
			'The client credentials grant failed: check the client ID and secret, and that the app is installed on this shop',
		);
	}
	const lifetime = Number(body.expires_in);
	const seconds = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_S;
	return {
		token: body.access_token,
		expiresAt: Date.now() + seconds * 1000 - Math.min(RENEW_EARLY_MS, (seconds * 1000) / 2),
	};
}

/** A valid token for the client-credentials grant: cached until shortly before it expires. */
export async function clientCredentialsToken(
	this: ShopifyContext,
	credential: ShopifyCredential,
	renew = false,
): Promise<string> {
	const origin = shopOrigin(credential);
	const key = tokenKey(origin, credential);
	const cached = tokens.get(key);
	if (cached && !renew) {
		const value = await cached.catch(() => undefined);
		if (value && value.expiresAt > Date.now()) return value.token;
	}
	// Concurrent callers share one request; a failed one is not remembered.
	const pending = requestToken(this, credential);
	tokens.delete(key);
	tokens.set(key, pending);
	if (tokens.size > MAX_CACHED_TOKENS) tokens.delete(tokens.keys().next().value as string);
	pending.catch(() => {
		if (tokens.get(key) === pending) tokens.delete(key);
	});
	return (await pending).token;
}

// ---- Admin GraphQL ----------------------------------------------------------------------------

/**
 * Every Admin GraphQL request of this package goes through here. Throttles (HTTP 429 or a
 * THROTTLED error) and 5xx are retried after the time Shopify's cost data or Retry-After gives;
 * with client credentials a 401 renews the token once. Anything else becomes a NodeApiError
 * carrying Shopify's message. userErrors are the caller's: see throwOnUserErrors.
 */
export async function adminGraphql(this: ShopifyContext, query: string, variables: IDataObject = {}): Promise<unknown> {
	const credential = (await this.getCredentials(SHOPIFY_CREDENTIAL)) as unknown as ShopifyCredential;
	const clientCredentials = credential.authMethod === 'clientCredentials';
	const url = `${shopOrigin(credential)}/admin/api/${credential.apiVersion || '2025-10'}/graphql.json`;
	let renewed = false;
	for (let attempt = 1; ; attempt++) {
		const headers = clientCredentials
			? { 'X-Shopify-Access-Token': await clientCredentialsToken.call(this, credential) }
			: undefined;
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, SHOPIFY_CREDENTIAL, {
			method: 'POST',
			url,
			headers,
			body: { query, variables },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as FullResponse;
		const classified = classifyShopifyError(response.statusCode, response.body, response.headers);
		if (!classified) return isRecord(response.body) ? response.body.data : undefined;
		if (classified.class === 'auth' && response.statusCode === 401 && clientCredentials && !renewed) {
			// Revoked or expired early: one fresh token, then the 401 stands.
			renewed = true;
			await clientCredentialsToken.call(this, credential, true);
			continue;
		}
		const wait = classified.retryAfterMs ?? 1000 * 2 ** (attempt - 1);
		if (!classified.retryable || attempt >= MAX_ATTEMPTS || wait > MAX_WAIT_MS) {
			throw apiError(
				this,
				response,
				classified.class === 'auth'
					? "Check the credential's token and the app's access scopes"
					: `Shopify Admin GraphQL (${classified.class})`,
			);
		}
		await sleep(wait);
	}
}

export interface UserError {
	field?: string[] | null;
	message?: string;
	code?: string | null;
}

/** A mutation's userErrors (answered with HTTP 200) as a NodeApiError naming the fields. */
export function throwOnUserErrors(
	this: ShopifyContext,
	userErrors: UserError[] | null | undefined,
	what: string,
): void {
	if (!Array.isArray(userErrors) || userErrors.length === 0) return;
	const message = userErrors
		.map((e) => (e.field?.length ? `${e.field.join('.')}: ${e.message ?? ''}` : (e.message ?? '')))
		.join('; ');
	throw new NodeApiError(this.getNode(), { userErrors } as unknown as JsonObject, {
		message: `${what}: ${message}`,
		httpCode: '200',
	});
}
