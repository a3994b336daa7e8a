import { graphql } from '../../shared/graphql';

/**
 * Admin GraphQL documents (API 2025-10). A customer is read with the same fields everywhere, so
 * every operation's output has one shape. Page sizes keep each request under Shopify's
 * single-query cost limit (1,000 points): a customer costs about 6 points (itself and its five
 * object fields), an order line about 3.
 */
export const CUSTOMER_FIELDS = graphql`
	fragment CustomerFields on Customer {
		id legacyResourceId firstName lastName state verifiedEmail taxExempt note tags createdAt updatedAt numberOfOrders
		amountSpent { amount currencyCode }
		lastOrder { id legacyResourceId name processedAt }
		defaultEmailAddress { emailAddress marketingState }
		defaultPhoneNumber { phoneNumber marketingState }
		defaultAddress { firstName lastName company address1 address2 city province provinceCode zip country countryCodeV2 phone }
	}
`;

export const CUSTOMERS_PAGE = 100;

export const GET_CUSTOMER = graphql`
	query CustomerById($id: ID!) {
		customer(id: $id) { ...CustomerFields }
	}
	${CUSTOMER_FIELDS}
`;

export const LIST_CUSTOMERS = graphql`
	query Customers($first: Int!, $after: String, $query: String) {
		customers(first: $first, after: $after, query: $query, sortKey: ID) {
			nodes { ...CustomerFields }
			pageInfo { hasNextPage endCursor }
		}
	}
	${CUSTOMER_FIELDS}
`;

/** Orders with more lines than this are read up to it (the lines' product tags are for filtering). */
export const ORDER_LINES = 100;

export const GET_ORDER = graphql`
	query OrderById($id: ID!) {
		order(id: $id) {
			id legacyResourceId name createdAt processedAt updatedAt test tags
			totalPriceSet { shopMoney { amount currencyCode } }
			customer { ...CustomerFields }
			lineItems(first: ${ORDER_LINES}) {
				nodes {
					id name title sku quantity
					variant { id legacyResourceId }
					product { id legacyResourceId tags }
				}
			}
		}
	}
	${CUSTOMER_FIELDS}
`;
