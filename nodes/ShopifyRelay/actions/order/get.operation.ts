import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { perItem } from '../../../shared/itemOutcomes';
import { adminGraphql } from '../../../shared/transport/shopifyAdmin';
import { simplifyField } from '../fields';
import { toGid } from '../ids';
import { GET_ORDER } from '../queries';
import { simplifyOrder, type GraphqlOrder } from '../simplify';

export const description: INodeProperties[] = [
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.payload.admin_graphql_api_id }}',
		description: "The order's numeric ID, or its admin_graphql_api_id (gid://shopify/Order/…) as webhooks carry it",
	},
	simplifyField,
];

/**
 * order(id:): the order's totals, its customer with Shopify's current order count and total spent
 * (order webhooks stopped carrying them), and the first 100 lines with their products' tags.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const id = toGid.call(this, 'Order', this.getNodeParameter('orderId', i), i);
		const data = (await adminGraphql.call(this, GET_ORDER, { id })) as { order?: GraphqlOrder | null } | undefined;
		const order = data?.order;
		if (!order)
			throw new NodeOperationError(
				this.getNode(),
				`Shopify has no order ${id} (deleted, older than 60 days without read_all_orders, or not visible to this app)`,
				{ itemIndex: i },
			);
		return this.getNodeParameter('simple', i, true) ? simplifyOrder(order) : (order as unknown as IDataObject);
	});
}
