import type { INodeProperties } from 'n8n-workflow';

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: "Simplified: the field names of Shopify's webhooks (email, first_name, orders_count, total_spent, default_address…). Raw: the Admin GraphQL objects.",
};
