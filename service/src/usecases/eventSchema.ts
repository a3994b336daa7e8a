import { z } from 'zod';
import {
	MAX_EVENT_ID_LENGTH,
	MAX_EVENT_NAME_LENGTH,
	MAX_IDENTIFIER_LENGTH,
	MAX_IDENTIFIER_VALUES,
	MAX_PIXEL_ID_LENGTH,
} from '../../../nodes/core/capi/limits';
import {
	ACTION_SOURCES,
	HASHED_USER_DATA_KEYS,
	MESSAGING_CHANNELS,
	PLAIN_USER_DATA_KEYS,
} from '../../../nodes/core/capi/types';

const count = (n: number) => n.toLocaleString('en-US');
const atMost = (max: number) => `at most ${count(max)} characters`;
const scalar = z.union([z.string(), z.number()]);

/**
 * Customer identifiers are capped before any normalizer reads them, per value and per key: a
 * phone of 60,000 characters is refused here, by its length, not after a regex has walked it.
 */
const identifier = z.union([scalar, z.array(scalar)]).superRefine((value, ctx) => {
	const values = Array.isArray(value) ? value : [value];
	if (values.length > MAX_IDENTIFIER_VALUES)
		ctx.addIssue({
			code: 'custom',
			message: `${count(values.length)} values; at most ${count(MAX_IDENTIFIER_VALUES)}`,
		});
	const long = values.findIndex((v) => typeof v === 'string' && v.length > MAX_IDENTIFIER_LENGTH);
	if (long >= 0)
		ctx.addIssue({
			code: 'custom',
			message: `${Array.isArray(value) ? `value ${long} has` : 'has'} ${count(String(values[long]).length)} characters; ${atMost(MAX_IDENTIFIER_LENGTH)}`,
		});
});
/** A user_data key Meta takes as it is (fbc, client_user_agent, …): one value, capped alike. */
const plainIdentifier = scalar.refine(
	(v) => typeof v !== 'string' || v.length <= MAX_IDENTIFIER_LENGTH,
	atMost(MAX_IDENTIFIER_LENGTH),
);
const plainText = z.string().max(MAX_IDENTIFIER_LENGTH, atMost(MAX_IDENTIFIER_LENGTH));

/**
 * Meta deduplicates on event_id, and it is stored as text. A number past 2^53 − 1 arrives as the
 * text of its digits (http/jsonLimits); any other number that is not a whole one (1.5, 1e300, or
 * 1e400 read as Infinity) would be stored as a text no sender wrote, so several could collide.
 * Its length is capped with the other stored keys (pixel_id, event_name): their unique index
 * must stay under Postgres's index row limit.
 */
const eventId = scalar.superRefine((id, ctx) => {
	if (typeof id === 'number' && !Number.isSafeInteger(id))
		ctx.addIssue({
			code: 'custom',
			message: 'a number event_id must be a whole number of at most 2^53 − 1; send other ids as text',
		});
	if (typeof id === 'string' && id.length > MAX_EVENT_ID_LENGTH)
		ctx.addIssue({ code: 'custom', message: `has ${count(id.length)} characters; ${atMost(MAX_EVENT_ID_LENGTH)}` });
});

const userData = z.strictObject({
	...Object.fromEntries(HASHED_USER_DATA_KEYS.map((k) => [k, identifier.optional()])),
	...Object.fromEntries(PLAIN_USER_DATA_KEYS.map((k) => [k, plainIdentifier.optional()])),
});

/**
 * One event: the flat shape simple senders use (event_name, email, phone, …) or the full
 * Conversions API shape (user_data with any key, raw or pre-hashed). Both may be mixed.
 */
export const EventInputSchema = z.strictObject({
	event_name: z
		.string()
		.trim()
		.min(1)
		.max(MAX_EVENT_NAME_LENGTH, atMost(MAX_EVENT_NAME_LENGTH))
		.regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters'),
	event_time: z.union([z.number(), z.string()]).optional(),
	event_id: eventId.optional(),
	action_source: z.enum(ACTION_SOURCES).optional(),
	/** With action_source business_messaging: the chat's channel (nodes/core/capi/messaging.ts). */
	messaging_channel: z.enum(MESSAGING_CHANNELS).optional(),
	event_source_url: z.string().max(2048).optional(),
	referrer_url: z.string().max(2048).optional(),
	opt_out: z.boolean().optional(),
	pixel_id: z
		.string()
		.max(MAX_PIXEL_ID_LENGTH, atMost(MAX_PIXEL_ID_LENGTH))
		.regex(/^\d+$/, 'must be digits only')
		.optional(),
	test_event_code: z.string().max(64).optional(),
	data_processing_options: z.array(z.string()).optional(),
	data_processing_options_country: z.number().int().optional(),
	data_processing_options_state: z.number().int().optional(),
	user_data: userData.optional(),
	custom_data: z.record(z.string(), z.unknown()).optional(),
	// The simple shape.
	email: identifier.optional(),
	phone: identifier.optional(),
	first_name: identifier.optional(),
	last_name: identifier.optional(),
	external_id: identifier.optional(),
	client_ip_address: plainText.optional(),
	client_user_agent: plainText.optional(),
	fbp: plainText.optional(),
	fbc: plainText.optional(),
	value: z.union([z.number(), z.string()]).optional(),
	currency: z.string().optional(),
});
export type EventInputBody = z.infer<typeof EventInputSchema>;
