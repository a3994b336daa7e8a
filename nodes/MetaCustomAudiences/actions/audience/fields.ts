import type { INodeProperties } from 'n8n-workflow';

/** What get and list read unless the user asks for other fields. */
export const DEFAULT_AUDIENCE_FIELDS = [
	'id',
	'name',
	'description',
	'subtype',
	'customer_file_source',
	'approximate_count_lower_bound',
	'approximate_count_upper_bound',
	'operation_status',
	'delivery_status',
	'time_created',
	'time_updated',
].join(',');

export const audienceFieldsField: INodeProperties = {
	displayName: 'Fields',
	name: 'fields',
	type: 'string',
	default: DEFAULT_AUDIENCE_FIELDS,
	description:
		'Comma-separated Custom Audience fields to read. Counts are approximate; operation_status 471 means Meta flagged the audience.',
};
