import { requestedQueryCost } from '../../support/graphqlCost';

// The Shopify double refuses queries above 1,000 points with this estimate: checked against
// costs worked out by hand from Shopify's rules (scalar 0, object 1, connection 2 + size × node).
describe('requestedQueryCost (test support)', () => {
	it('counts objects, not scalars', () => {
		expect(requestedQueryCost('{ shop { name id } }')).toBe(1);
		expect(
			requestedQueryCost(
				'query { customer(id: "gid://shopify/Customer/1") { id email amountSpent { amount } defaultAddress { city } } }',
			),
		).toBe(3);
	});

	it('sizes a connection by first or last, with nodes or edges, and counts pageInfo once', () => {
		expect(
			requestedQueryCost(
				'query { customers(first: 250) { nodes { id amountSpent { amount } } pageInfo { hasNextPage } } }',
			),
		).toBe(2 + 250 * 2 + 1);
		expect(requestedQueryCost('{ products(last: 10) { edges { cursor node { id title } } } }')).toBe(2 + 10 * 1);
	});

	it('reads the size from a variable and follows fragments and inline fragments', () => {
		const query =
			'query Q($first: Int!, $after: String) { customers(first: $first, after: $after) { nodes { ...F ... on Customer { lastOrder { id } } } } } fragment F on Customer { id defaultEmailAddress { emailAddress } }';
		expect(requestedQueryCost(query, { first: 100, after: null })).toBe(2 + 100 * (1 + 1 + 1));
	});

	it("nests connections: an order's lines are multiplied by the lines asked for", () => {
		expect(requestedQueryCost('{ order(id: "x") { id lineItems(first: 100) { nodes { product { tags } } } } }')).toBe(
			1 + 2 + 100 * 2,
		);
	});

	it('does not estimate mutations', () => {
		expect(
			requestedQueryCost(
				'mutation D($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } } }',
			),
		).toBe(0);
	});
});
