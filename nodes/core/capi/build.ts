import type { NormalizeContext } from '../normalize/fields';
import { hashUserData } from '../normalize/userData';
import { present } from '../values';
import { checkRawLeadId, withCrmSpelling } from './crm';
import { toUnixSeconds } from './time';
import type { ActionSource, CustomData, MessagingChannel, RawUserData, ServerEvent } from './types';
import { validateEvent, type Issue, type ValidateOptions } from './validate';

/** An event as a source or a node gives it: raw identifiers, loose time formats. */
export interface EventInput {
	event_name: string;
	event_time?: unknown;
	action_source?: ActionSource | string;
	messaging_channel?: MessagingChannel | string;
	user_data?: RawUserData;
	custom_data?: CustomData;
	event_id?: unknown;
	event_source_url?: string;
	referrer_url?: string;
	opt_out?: boolean;
	data_processing_options?: string[];
	data_processing_options_country?: number;
	data_processing_options_state?: number;
}

export interface BuildOptions extends ValidateOptions {
	defaultActionSource?: ActionSource;
	normalize?: NormalizeContext;
}

export type Prepared = { ok: true; event: ServerEvent } | { ok: false; issues: Issue[]; event: ServerEvent };

function cleanCustomData(cd: CustomData | undefined): CustomData | undefined {
	if (!cd) return undefined;
	const out: CustomData = {};
	for (const [key, value] of Object.entries(cd)) {
		if (value === undefined || value === null || value === '') continue;
		out[key] = value;
	}
	if (typeof out.currency === 'string') out.currency = out.currency.trim().toUpperCase();
	// Values from forms and webhooks often arrive as strings ("29.99").
	const value: unknown = out.value;
	if (typeof value === 'string' && value.trim() !== '') out.value = Number(value);
	return Object.keys(out).length ? withCrmSpelling(out) : undefined;
}

/** Hash the identifiers and fill the defaults; the result is what would be sent. */
export function buildEvent(input: EventInput, options: BuildOptions = {}): ServerEvent {
	const event: ServerEvent = {
		event_name: present(input.event_name) ?? '',
		event_time:
			input.event_time === undefined
				? (options.now ?? Math.floor(Date.now() / 1000))
				: (toUnixSeconds(input.event_time) ?? NaN),
		action_source: (present(input.action_source) ?? options.defaultActionSource ?? 'website') as ActionSource,
		user_data: hashUserData(input.user_data ?? {}, options.normalize),
	};
	const channel = present(input.messaging_channel);
	if (channel) event.messaging_channel = channel as MessagingChannel;
	const eventId = present(input.event_id);
	if (eventId) event.event_id = eventId;
	const url = present(input.event_source_url);
	if (url) event.event_source_url = url;
	const referrer = present(input.referrer_url);
	if (referrer) event.referrer_url = referrer;
	if (input.opt_out !== undefined) event.opt_out = input.opt_out;
	const customData = cleanCustomData(input.custom_data);
	if (customData) event.custom_data = customData;
	if (input.data_processing_options !== undefined) {
		event.data_processing_options = input.data_processing_options;
		if (input.data_processing_options_country !== undefined)
			event.data_processing_options_country = input.data_processing_options_country;
		if (input.data_processing_options_state !== undefined)
			event.data_processing_options_state = input.data_processing_options_state;
	}
	return event;
}

/** buildEvent, then validateEvent: an event that Meta would reject never reaches a batch. */
export function prepareEvent(input: EventInput, options: BuildOptions = {}): Prepared {
	const event = buildEvent(input, options);
	const raw = checkRawLeadId(input.user_data);
	const issues = [...raw, ...validateEvent(event, options).filter((i) => !raw.some((r) => r.field === i.field))];
	return issues.length ? { ok: false, issues, event } : { ok: true, event };
}
