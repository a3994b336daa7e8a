import { NodeOperationError, type ICredentialDataDecryptedObject, type IExecuteFunctions } from 'n8n-workflow';

/**
 * The credential types that a node offers side by side, by the name n8n shows for them (their
 * classes' displayName; a unit test keeps the two equal).
 *
 * These nodes list their credentials without displayOptions: n8n's editor moves every parameter
 * a credential's displayOptions depend on out of the node's panel into the credential dialog
 * (editor-ui nodeTypesUtils getMainAuthField / isAuthRelatedParameter), which hid Resource,
 * Operation and Delivery. So every credential is offered, none is required, and the operation
 * asks for the one it needs here, before anything is sent.
 */
export const CREDENTIAL_NAMES: Readonly<Record<string, string>> = {
	metaConversionRelayApi: 'Meta Graph API',
	conversionRelayApi: 'Conversion Relay Service API',
	chatwootWebhookApi: 'Chatwoot Webhook API',
	hubSpotWebhookApi: 'HubSpot Webhook API',
};

// What n8n says when a node holds no credential of the type asked for (n8n-core
// node-execution-context _getCredentials: "does not require credentials" for an optional one).
const NOT_SET = /does not require credentials|does not have any credentials set/i;

/**
 * The credential `type` for `usedFor` (e.g. 'Delivery "Directly to Meta"', which starts the message). When the node has
 * none of that type, the error says which one to select, instead of n8n's "Node does not
 * require credentials"; any other failure (decryption, expressions) is passed on with its message.
 */
export async function requireCredential(
	this: IExecuteFunctions,
	type: string,
	usedFor: string,
): Promise<ICredentialDataDecryptedObject> {
	try {
		return await this.getCredentials(type);
	} catch (error) {
		if (!NOT_SET.test((error as Error).message ?? '')) throw new NodeOperationError(this.getNode(), error as Error);
		const name = CREDENTIAL_NAMES[type] ?? type;
		throw new NodeOperationError(this.getNode(), `${usedFor}: select a ${name} credential (none is selected)`, {
			description: `Select one under "Credential for ${name}" at the top of the node (the node's other credential fields can stay empty).`,
		});
	}
}
