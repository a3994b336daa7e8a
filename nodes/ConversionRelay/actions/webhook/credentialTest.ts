import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { chatwoot } from './sources/chatwoot';
import { hubspot } from './sources/hubspot';
import type { WebhookSource } from './sources/types';

// Chatwoot's secrets have 24+ characters, HubSpot's client secrets 36: anything much shorter is a
// typo or a placeholder.
const MIN_LENGTH = 16;

/**
 * A webhook secret signs what the sender sends; there is no API to ask whether it is right. The
 * test checks what can be checked here: a secret is there and looks like one the sender made.
 */
function localTest(source: WebhookSource, where: string, credential: ICredentialsDecrypted): INodeCredentialTestResult {
	const secrets = source.secrets(credential.data ?? {});
	if (secrets.length === 0) return { status: 'Error', message: `Enter the secret shown in ${where}` };
	const short = secrets.find((s) => s.length < MIN_LENGTH);
	if (short !== undefined)
		return {
			status: 'Error',
			message: `A secret of ${short.length} characters is too short to be ${source.name}'s: copy it again from ${where}`,
		};
	return {
		status: 'OK',
		message: 'Secret present. It is checked on each delivery: a wrong one makes every delivery fail with 401.',
	};
}

export async function chatwootWebhookSecret(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return localTest(chatwoot, 'Chatwoot (Settings → Integrations → Webhooks)', credential);
}

export async function hubSpotWebhookSecret(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return localTest(hubspot, 'the HubSpot app (its Auth tab)', credential);
}
