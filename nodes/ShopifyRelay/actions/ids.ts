import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/**
 * A Shopify resource id as Admin GraphQL wants it: "gid://shopify/Customer/123" as given, or the
 * numeric id of a webhook or the admin's URL ("123", 123) turned into one. Anything else is the
 * item's error, so a wrong expression never queries some other record.
 */
export function toGid(this: IExecuteFunctions, type: 'Customer' | 'Order', value: unknown, itemIndex: number): string {
	const text =
		typeof value === 'number' && Number.isSafeInteger(value)
			? String(value)
			: typeof value === 'string'
				? value.trim()
				: '';
	if (/^\d+$/.test(text)) return `gid://shopify/${type}/${text}`;
	if (new RegExp(`^gid://shopify/${type}/\\d+$`).test(text)) return text;
	const shown =
		typeof value === 'number'
			? `${value} (a number past 2^53 has lost its last digits: use the admin_graphql_api_id)`
			: (JSON.stringify(value) ?? String(value));
	throw new NodeOperationError(
		this.getNode(),
		`${type} ID must be a numeric Shopify id or gid://shopify/${type}/<id>, not ${shown}`,
		{ itemIndex },
	);
}
