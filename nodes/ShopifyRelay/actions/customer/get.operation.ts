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
import { GET_CUSTOMER } from '../queries';
import { simplifyCustomer, type GraphqlCustomer } from '../simplify';

export const description: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7300000000101',
		description:
			"The customer's numeric ID, or its admin_graphql_api_id (gid://shopify/Customer/…) as webhooks carry it",
	},
	simplifyField,
];

/** customer(id:): the customer as Shopify holds it now, with its order count and total spent. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const id = toGid.call(this, 'Customer', this.getNodeParameter('customerId', i), i);
		const data = (await adminGraphql.call(this, GET_CUSTOMER, { id })) as
			{ customer?: GraphqlCustomer | null } | undefined;
		const customer = data?.customer;
		if (!customer)
			throw new NodeOperationError(
				this.getNode(),
				`Shopify has no customer ${id} (deleted, or not visible to this app)`,
				{ itemIndex: i },
			);
		return this.getNodeParameter('simple', i, true) ? simplifyCustomer(customer) : (customer as unknown as IDataObject);
	});
}
