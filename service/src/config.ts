import { z } from 'zod';
import type { MessagingChannel } from '../../nodes/core/capi/types';
import { contentIdSettingIssues, DEFAULT_CONTENT_ID, parseContentIdSetting } from '../../nodes/core/shopify/contentIds';
import { eventIdTemplateIssues } from '../../nodes/core/shopify/order';

const csv = z
	.string()
	.optional()
	.transform((v) =>
		v
			? v
					.split(',')
					.map((s) => s.trim())
					.filter(Boolean)
			: [],
	);

/** Every setting of the service, from the environment, declared once and checked at start. */
export const ConfigSchema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	RELAY_DATA_DIR: z.string().min(1).default('./.relay-data'),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
		.optional(),
	SUPABASE_URL: z.url().optional(),
	SUPABASE_SERVICE_ROLE_KEY: z.string().min(20).optional(),
	META_ACCESS_TOKEN: z.string().min(10).optional(),
	META_PIXEL_ID: z.string().regex(/^\d+$/, 'must be digits only').optional(),
	META_APP_SECRET: z.string().min(8).optional(),
	META_TEST_EVENT_CODE: z.string().min(1).optional(),
	META_API_VERSION: z
		.string()
		.regex(/^v\d+\.\d+$/, 'must look like v25.0')
		.default('v25.0'),
	META_GRAPH_URL: z.url().default('https://graph.facebook.com'),
	/** A request to Meta that takes longer is abandoned and retried. */
	META_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
	/** How often Meta's own match quality (Dataset Quality API) is read per pixel; 0: never. */
	META_QUALITY_INTERVAL_MINUTES: z.coerce
		.number()
		.int()
		.refine((m) => m === 0 || (m >= 15 && m <= 10_080), 'must be 0 (off) or 15 to 10080 minutes')
		.default(360),
	SHOPIFY_WEBHOOK_SECRETS: csv,
	SHOPIFY_PURCHASE_TOPIC: z.enum(['orders/paid', 'orders/create']).default('orders/paid'),
	SHOPIFY_CUSTOMER_EVENT: z.enum(['Lead', 'CompleteRegistration']).default('Lead'),
	// A template that can leave the id empty or shared would make Meta drop orders as duplicates.
	SHOPIFY_EVENT_ID_TEMPLATE: z
		.string()
		.min(1)
		.default('{id}')
		.superRefine((template, ctx) => {
			for (const message of eventIdTemplateIssues(template)) ctx.addIssue({ code: 'custom', message });
		}),
	// Which id an order line gets in contents and content_ids, to match the shop's catalog; parsed once here.
	SHOPIFY_CONTENT_ID: z
		.string()
		.default(DEFAULT_CONTENT_ID)
		.transform((setting, ctx) => {
			const issues = contentIdSettingIssues(setting);
			for (const message of issues) ctx.addIssue({ code: 'custom', message });
			return issues.length ? z.NEVER : parseContentIdSetting(setting);
		}),
	CHATWOOT_WEBHOOK_SECRET: z.string().min(8).optional(),
	// trigger=>Event pairs: conversation_created, contact_created, label:<name>, status:<status>.
	CHATWOOT_RULES: z
		.string()
		.default('conversation_created=>Lead')
		.transform((v, ctx) => {
			const rules = v
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean)
				.map((pair) => {
					const m =
						/^(conversation_created|contact_created|label:[^=]+|status:[a-z_]+)=>([A-Za-z][A-Za-z0-9_ ]{0,49})$/.exec(
							pair,
						);
					if (!m) ctx.addIssue({ code: 'custom', message: `"${pair}" is not trigger=>EventName` });
					return m ? { trigger: m[1], event: m[2].trim() } : { trigger: '', event: '' };
				});
			return rules;
		}),
	// Chatwoot inboxes on Meta's channels: <inbox id>=><channel>:<account id>[@<dataset id>] pairs.
	// Their chats from ads are sent as business messaging (usecases/chatwootWebhook.ts). Chatwoot's
	// payloads carry neither the WhatsApp Business Account, the Page nor the Instagram account id.
	CHATWOOT_INBOXES: z
		.string()
		.default('')
		.transform((v, ctx) => {
			const inboxes = new Map<string, ChatwootInbox>();
			for (const pair of v
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean)) {
				const m = /^([0-9]{1,18})=>(whatsapp|messenger|instagram):([0-9]{1,32})(?:@([0-9]{1,32}))?$/.exec(pair);
				if (!m)
					ctx.addIssue({
						code: 'custom',
						message: `"${pair.slice(0, 100)}" is not <inbox id>=><whatsapp|messenger|instagram>:<account id>[@<dataset id>]`,
					});
				else if (inboxes.has(m[1])) ctx.addIssue({ code: 'custom', message: `inbox ${m[1]} is listed twice` });
				else inboxes.set(m[1], { channel: m[2] as MessagingChannel, accountId: m[3], pixelId: m[4] });
			}
			return inboxes;
		}),
	SUPABASE_WEBHOOK_SECRET: z.string().min(8).optional(),
	RELAY_API_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
	/** During a rotation: the old secret, still accepted until it is removed. */
	RELAY_API_SECRET_PREVIOUS: z.string().min(16, 'must be at least 16 characters').optional(),
	/** Read-only: the status page and GET /v1/events; cannot send or retry events. */
	RELAY_STATUS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
	/** Sync jobs read whole shops from here (x.myshopify.com) through Bulk Operations. */
	SHOPIFY_SHOP: z
		.string()
		.regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be the shop's x.myshopify.com domain")
		.optional(),
	SHOPIFY_ADMIN_TOKEN: z.string().min(10).optional(),
	/** Instead of a fixed token: the app's client-credentials grant. */
	SHOPIFY_CLIENT_ID: z.string().min(8).optional(),
	SHOPIFY_CLIENT_SECRET: z.string().min(8).optional(),
	SHOPIFY_API_VERSION: z
		.string()
		.regex(/^\d{4}-\d{2}$/, 'must look like 2025-10')
		.default('2025-10'),
	/** The Admin API's origin; https://<SHOPIFY_SHOP> unless a proxy or a test double stands in. */
	SHOPIFY_ADMIN_URL: z.url().optional(),
	/** Sync jobs upsert contacts here (a private app's token). */
	HUBSPOT_ACCESS_TOKEN: z.string().min(10).optional(),
	HUBSPOT_API_URL: z.url().default('https://api.hubapi.com'),
	/** The portal's burst limit: 100 requests per 10 s (Free, Starter), 190 (Professional, Enterprise). */
	HUBSPOT_REQUESTS_PER_10S: z.coerce.number().int().min(1).max(1_000).default(100),
	HUBSPOT_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
	/** A customer file sent to POST /v1/jobs may be at most this large. */
	JOB_FILE_MAX_BYTES: z.coerce
		.number()
		.int()
		.min(1024)
		.max(20 * 1024 ** 3)
		.default(2 * 1024 ** 3),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** A Chatwoot inbox on a Meta channel: the business's account there and, if not META_PIXEL_ID, its dataset. */
export interface ChatwootInbox {
	channel: MessagingChannel;
	/** The WhatsApp Business Account, Facebook Page or Instagram professional account id. */
	accountId: string;
	pixelId?: string;
}

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value stops start-up with the variable's name and the reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
	const parsed = ConfigSchema.safeParse(cleaned);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
	}
	if (parsed.data.SUPABASE_URL && !parsed.data.SUPABASE_SERVICE_ROLE_KEY) {
		throw new ConfigError('invalid configuration:\n  SUPABASE_SERVICE_ROLE_KEY: required when SUPABASE_URL is set');
	}
	const shopifyAuth = [parsed.data.SHOPIFY_ADMIN_TOKEN, parsed.data.SHOPIFY_CLIENT_ID].filter(Boolean).length;
	if (parsed.data.SHOPIFY_SHOP && shopifyAuth === 0) {
		throw new ConfigError(
			'invalid configuration:\n  SHOPIFY_ADMIN_TOKEN: required with SHOPIFY_SHOP (or SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET)',
		);
	}
	if (parsed.data.SHOPIFY_CLIENT_ID && !parsed.data.SHOPIFY_CLIENT_SECRET) {
		throw new ConfigError('invalid configuration:\n  SHOPIFY_CLIENT_SECRET: required when SHOPIFY_CLIENT_ID is set');
	}
	if ((parsed.data.SHOPIFY_ADMIN_TOKEN || parsed.data.SHOPIFY_CLIENT_ID) && !parsed.data.SHOPIFY_SHOP) {
		throw new ConfigError('invalid configuration:\n  SHOPIFY_SHOP: required with a Shopify token or client id');
	}
	return parsed.data;
}
