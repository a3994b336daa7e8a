import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';

/** The URL Shopify should deliver to: n8n's production or test URL of this node. */
export function webhookAddress(this: IHookFunctions): string {
	const uri = this.getNodeWebhookUrl('default');
	if (!uri) throw new NodeOperationError(this.getNode(), 'n8n has no webhook URL for this node');
	return uri;
}
