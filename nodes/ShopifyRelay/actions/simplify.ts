import type { IDataObject } from 'n8n-workflow';
import {
	customerFromGraphql,
	orderSummaryFromGraphql,
	type GraphqlCustomer,
	type GraphqlOrder,
} from '../../core/shopify/graphql';

/** The GraphQL shapes and their conversion live in the domain code, which the service shares. */
export type { GraphqlCustomer, GraphqlOrder };

/**
 * A GraphQL customer in the shape of Shopify's customer webhooks (customerFromGraphql), as an
 * n8n item's json.
 */
export function simplifyCustomer(c: GraphqlCustomer): IDataObject {
	return customerFromGraphql(c) as unknown as IDataObject;
}

/** An order's summary in webhook field names (orderSummaryFromGraphql), as an n8n item's json. */
export function simplifyOrder(o: GraphqlOrder): IDataObject {
	return orderSummaryFromGraphql(o) as unknown as IDataObject;
}
