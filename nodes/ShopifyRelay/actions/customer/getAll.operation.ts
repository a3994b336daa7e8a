import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { perItem } from '../../../shared/itemOutcomes';
import { adminGraphql } from '../../../shared/transport/shopifyAdmin';
import { simplifyField } from '../fields';
import { CUSTOMERS_PAGE, LIST_CUSTOMERS } from '../queries';
import { simplifyCustomer, type GraphqlCustomer } from '../simplify';
import { returnAllFields } from '../../../shared/returnAll';

export const description: INodeProperties[] = [
	...returnAllFields,
	simplifyField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Search Query',
				name: 'query',
				type: 'string',
				default: '',
				placeholder: 'e.g. updated_at:>2026-01-01 email_subscription_status:subscribed',
				description: "Shopify's customer search syntax; empty reads every customer",
			},
		],
	},
];

interface Page {
	customers?: { nodes?: GraphqlCustomer[]; pageInfo?: { hasNextPage?: boolean; endCursor?: string | null } };
}

/**
 * customers(first, after, query), ordered by id, following Shopify's cursor until the limit (or
 * every customer) is read: 100 a request, well inside the single-query cost limit. Throttling is
 * waited out by the transport. One output item per customer, paired with the input item.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
		const query = String((this.getNodeParameter('options', i, {}) as IDataObject).query ?? '').trim();
		const simple = this.getNodeParameter('simple', i, true) as boolean;
		const found: IDataObject[] = [];
		let after: string | null = null;
		while (found.length < limit) {
			const variables: IDataObject = {
				first: Math.min(CUSTOMERS_PAGE, limit - found.length),
				after,
				query: query || null,
			};
			const data = (await adminGraphql.call(this, LIST_CUSTOMERS, variables)) as Page | undefined;
			const page = data?.customers;
			for (const customer of page?.nodes ?? [])
				found.push(simple ? simplifyCustomer(customer) : (customer as unknown as IDataObject));
			const next = page?.pageInfo?.hasNextPage ? page.pageInfo.endCursor : null;
			// A cursor that does not move would loop for ever: stop there.
			if (!next || next === after) break;
			after = next;
		}
		return found.slice(0, limit);
	});
}
