import { z } from 'zod';
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
	SUPABASE_WEBHOOK_SECRET: z.string().min(8).optional(),
	RELAY_API_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
	/** During a rotation: the old secret, still accepted until it is removed. */
	RELAY_API_SECRET_PREVIOUS: z.string().min(16, 'must be at least 16 characters').optional(),
	/** Read-only: the status page and GET /v1/events; cannot send or retry events. */
	RELAY_STATUS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

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
	return parsed.data;
}
