import { z } from 'zod';
import { ACTION_SOURCES, HASHED_USER_DATA_KEYS, PLAIN_USER_DATA_KEYS } from '../../../nodes/core/capi/types';

const identifier = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]);
const scalar = z.union([z.string(), z.number()]);

/**
 * Meta deduplicates on event_id, and it is stored as text. A number past 2^53 − 1 arrives as the
 * text of its digits (http/jsonLimits); any other number that is not a whole one (1.5, 1e300, or
 * 1e400 read as Infinity) would be stored as a text no sender wrote, so several could collide.
 */
const eventId = scalar.refine((id) => typeof id === 'string' || Number.isSafeInteger(id), 'a number event_id must be a whole number of at most 2^53 − 1; send other ids as text');

const userData = z.strictObject({
	...Object.fromEntries(HASHED_USER_DATA_KEYS.map((k) => [k, identifier.optional()])),
	...Object.fromEntries(PLAIN_USER_DATA_KEYS.map((k) => [k, scalar.optional()])),
});

/**
 * One event: the flat shape simple senders use (event_name, email, phone, …) or the full
 * Conversions API shape (user_data with any key, raw or pre-hashed). Both may be mixed.
 */
export const EventInputSchema = z.strictObject({
	event_name: z.string().trim().min(1).max(100).regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters'),
	event_time: z.union([z.number(), z.string()]).optional(),
	event_id: eventId.optional(),
	action_source: z.enum(ACTION_SOURCES).optional(),
	event_source_url: z.string().max(2048).optional(),
	referrer_url: z.string().max(2048).optional(),
	opt_out: z.boolean().optional(),
	pixel_id: z.string().regex(/^\d+$/, 'must be digits only').optional(),
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
	client_ip_address: z.string().optional(),
	client_user_agent: z.string().optional(),
	fbp: z.string().optional(),
	fbc: z.string().optional(),
	value: z.union([z.number(), z.string()]).optional(),
	currency: z.string().optional(),
});
export type EventInputBody = z.infer<typeof EventInputSchema>;
