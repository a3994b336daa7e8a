import { adminGraphql, type ShopifyContext } from '../../shared/transport/shopifyAdmin';
import { LIST_SUBSCRIPTIONS } from './queries';

export interface Subscription {
	id: string;
	topic: string;
	uri?: string | null;
}

interface ListData {
	webhookSubscriptions?: {
		nodes?: Subscription[];
		pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
	};
}

// A shop has few subscriptions per topic; the cap only stops a misbehaving cursor.
const MAX_PAGES = 20;

/** This app's subscriptions to these topics that deliver to `uri`. */
export async function subscriptionsAt(
	this: ShopifyContext,
	topics: readonly string[],
	uri: string,
): Promise<Subscription[]> {
	const found: Subscription[] = [];
	let after: string | null = null;
	for (let page = 0; page < MAX_PAGES; page++) {
		const data = (await adminGraphql.call(this, LIST_SUBSCRIPTIONS, { topics: [...topics], after })) as ListData;
		const connection = data?.webhookSubscriptions;
		for (const node of connection?.nodes ?? []) if (node.uri === uri && topics.includes(node.topic)) found.push(node);
		if (!connection?.pageInfo?.hasNextPage || !connection.pageInfo.endCursor) break;
		after = connection.pageInfo.endCursor;
	}
	return found;
}
