import type { EventInput } from './build';
import type { ActionSource, CustomData, RawUserData } from './types';

/**
 * The simple event shape the relay's API takes and the nodes map automatically: Meta's own
 * fields (user_data, custom_data, event_id, …) plus flat names for the usual identifiers.
 */
export interface FlatEvent {
	event_name?: unknown;
	event_time?: unknown;
	event_id?: unknown;
	action_source?: unknown;
	messaging_channel?: unknown;
	event_source_url?: unknown;
	referrer_url?: unknown;
	opt_out?: unknown;
	data_processing_options?: unknown;
	data_processing_options_country?: unknown;
	data_processing_options_state?: unknown;
	user_data?: unknown;
	custom_data?: unknown;
	email?: unknown;
	phone?: unknown;
	first_name?: unknown;
	last_name?: unknown;
	external_id?: unknown;
	client_ip_address?: unknown;
	client_user_agent?: unknown;
	fbp?: unknown;
	fbc?: unknown;
	value?: unknown;
	currency?: unknown;
}

/** The flat fields that fill a user_data key. A user_data key given as well wins. */
export const FLAT_USER_DATA_KEYS: ReadonlyArray<{ field: keyof FlatEvent; key: keyof RawUserData }> = [
	{ field: 'email', key: 'em' },
	{ field: 'phone', key: 'ph' },
	{ field: 'first_name', key: 'fn' },
	{ field: 'last_name', key: 'ln' },
	{ field: 'external_id', key: 'external_id' },
	{ field: 'client_ip_address', key: 'client_ip_address' },
	{ field: 'client_user_agent', key: 'client_user_agent' },
	{ field: 'fbp', key: 'fbp' },
	{ field: 'fbc', key: 'fbc' },
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A text field: absent, or a string. Anything else is an error naming the field, not a silent default. */
function text(
	body: FlatEvent,
	field: 'event_name' | 'action_source' | 'messaging_channel' | 'event_source_url' | 'referrer_url',
): string | undefined {
	const value = body[field];
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string')
		throw new FlatEventError(field, `must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`);
	return value;
}

/** Thrown for a part of the shape that is not what it must be (user_data that is a list…). */
export class FlatEventError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(`${field}: ${message}`);
	}
}

/**
 * The flat shape as the core's EventInput; values stay raw (the core normalizes, hashes and
 * validates them). Defaults fill what the event leaves out.
 */
export function flatToEventInput(
	body: FlatEvent,
	defaults: { eventName?: string; actionSource?: ActionSource } = {},
): EventInput {
	if (body.user_data !== undefined && !isObject(body.user_data))
		throw new FlatEventError('user_data', 'must be an object of Meta user_data keys');
	if (body.custom_data !== undefined && !isObject(body.custom_data))
		throw new FlatEventError('custom_data', 'must be an object');
	const user_data: RawUserData = { ...(body.user_data as RawUserData | undefined) };
	for (const { field, key } of FLAT_USER_DATA_KEYS)
		if (body[field] !== undefined && user_data[key] === undefined) user_data[key] = body[field];
	const custom_data = { ...(body.custom_data as CustomData | undefined) } as CustomData & Record<string, unknown>;
	if (body.value !== undefined && custom_data.value === undefined) custom_data.value = body.value as number;
	if (body.currency !== undefined && custom_data.currency === undefined) custom_data.currency = body.currency as string;
	const dpo = body.data_processing_options;
	return {
		event_name: text(body, 'event_name') ?? defaults.eventName ?? '',
		event_time: body.event_time,
		event_id: body.event_id,
		action_source: (text(body, 'action_source') ?? defaults.actionSource) as ActionSource | undefined,
		messaging_channel: text(body, 'messaging_channel'),
		event_source_url: text(body, 'event_source_url'),
		referrer_url: text(body, 'referrer_url'),
		opt_out: typeof body.opt_out === 'boolean' ? body.opt_out : undefined,
		data_processing_options: Array.isArray(dpo) ? dpo.map(String) : undefined,
		data_processing_options_country:
			typeof body.data_processing_options_country === 'number' ? body.data_processing_options_country : undefined,
		data_processing_options_state:
			typeof body.data_processing_options_state === 'number' ? body.data_processing_options_state : undefined,
		user_data,
		custom_data,
	};
}
