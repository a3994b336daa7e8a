import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { chatwoot } from './sources/chatwoot';

// Chatwoot generates 24+ character secrets; anything much shorter is a typo or a placeholder.
const MIN_LENGTH = 16;

/**
 * A webhook secret signs what Chatwoot sends; there is no API to ask whether it is right. The
 * test checks what can be checked here: a secret is there and looks like one Chatwoot made.
 */
export async function chatwootWebhookSecret(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const secrets = chatwoot.secrets(credential.data ?? {});
	if (secrets.length === 0) return { status: 'Error', message: 'Enter the webhook secret shown in Chatwoot' };
	const short = secrets.find((s) => s.length < MIN_LENGTH);
	if (short !== undefined) return { status: 'Error', message: `A secret of ${short.length} characters is too short to be Chatwoot's: copy it again from Settings → Integrations → Webhooks` };
	return { status: 'OK', message: 'Secret present. It is checked on each delivery: a wrong one makes every delivery fail with 401.' };
}
