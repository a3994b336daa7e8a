import type { INodeProperties } from 'n8n-workflow';
import { MAX_AUDIENCE_ROWS } from '../../../core/audiences/rows';
import type { AudienceKey } from '../../../core/audiences/types';
import { audienceIdField } from '../ids';

/** n8n field name → schema key, with its label and what the user may type. The core normalizes and hashes. */
export const CUSTOMER_FIELDS: ReadonlyArray<{ name: string; key: AudienceKey; label: string; hint: string }> = [
	{ name: 'email', key: 'EMAIL', label: 'Email', hint: 'Hashed after trimming and lowercasing' },
	{ name: 'phone', key: 'PHONE', label: 'Phone', hint: 'With country code, or a Country to take it from' },
	{ name: 'firstName', key: 'FN', label: 'First Name', hint: 'Hashed after lowercasing, punctuation removed' },
	{ name: 'lastName', key: 'LN', label: 'Last Name', hint: 'Hashed after lowercasing, punctuation removed' },
	{ name: 'firstInitial', key: 'FI', label: 'First Initial', hint: 'A first name is fine: its first letter is used' },
	{ name: 'gender', key: 'GEN', label: 'Gender', hint: 'f, m, female, male…; anything else is left out' },
	{ name: 'birthYear', key: 'DOBY', label: 'Birth Year', hint: 'A year or a whole date of birth' },
	{ name: 'birthMonth', key: 'DOBM', label: 'Birth Month', hint: 'A month (1–12) or a whole date of birth' },
	{ name: 'birthDay', key: 'DOBD', label: 'Birth Day', hint: 'A day (1–31) or a whole date of birth' },
	{ name: 'city', key: 'CT', label: 'City', hint: 'Hashed without spaces or punctuation' },
	{ name: 'state', key: 'ST', label: 'State', hint: 'Name or 2-letter code' },
	{ name: 'zip', key: 'ZIP', label: 'ZIP / Postal Code', hint: 'US codes are cut to 5 digits' },
	{
		name: 'country',
		key: 'COUNTRY',
		label: 'Country',
		hint: 'Name or ISO code; also sets the default phone country code',
	},
	{ name: 'mobileAdvertiserId', key: 'MADID', label: 'Mobile Advertiser ID', hint: 'IDFA or GAID, sent unhashed' },
	{ name: 'externalId', key: 'EXTERN_ID', label: 'External ID', hint: 'Your own customer ID, sent as it is' },
	{
		name: 'lookalikeValue',
		key: 'LOOKALIKE_VALUE',
		label: 'Customer Value',
		hint: 'For value-based audiences: a number ≥ 0',
	},
];

export const usersFields: INodeProperties[] = [
	audienceIdField,
	{
		displayName: 'Schema',
		name: 'schema',
		type: 'multiOptions',
		options: [...CUSTOMER_FIELDS]
			.sort((a, b) => a.label.localeCompare(b.label))
			.map((f) => ({ name: `${f.label} (${f.key})`, value: f.key })),
		default: ['EMAIL'],
		required: true,
		description: 'The keys every row carries, in this order. Keep one schema for all uploads to the same audience.',
	},
	{
		displayName: 'Customer Information',
		name: 'customer',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Raw values per item, usually expressions. The node normalizes and hashes them as Meta specifies; already hashed values are sent as they are. Fields outside the schema are ignored (except Country, which also completes phone numbers).',
		// n8n's variable is $json, in lower case. Kept out of `description`: n8n's lint rule
		// node-param-description-miscased-json upper-cases every "json" there (it had written $JSON).
		hint: 'E.g. Email: {{ $json.email }}',
		options: CUSTOMER_FIELDS.map((f) => ({
			displayName: f.label,
			name: f.name,
			type: 'string',
			default: '',
			description: f.hint,
		})),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_AUDIENCE_ROWS },
				default: MAX_AUDIENCE_ROWS,
				description: 'Rows per request (Meta accepts at most 10,000). Lower it if large removals time out.',
			},
		],
	},
];
