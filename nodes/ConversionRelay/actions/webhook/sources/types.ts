import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

export type HeaderBag = Record<string, string | string[] | undefined>;

export type Verdict = { ok: true } | { ok: false; reason: string };

export interface VerifyInput {
	rawBody: Buffer;
	headers: HeaderBag;
	secrets: string[];
	toleranceSeconds: number;
	nowMs: number;
	/** The URL the sender called, as configured there (HubSpot signs it). */
	url?: string;
}

/**
 * One sender whose webhook signatures the node checks. Adding Shopify or Supabase means one more
 * file like chatwoot.ts, an entry in index.ts and its credential: the operation stays as it is.
 */
export interface WebhookSource {
	/** The Source option's value. */
	value: string;
	/** The Source option's label. */
	name: string;
	/** The credential type holding the secret(s). */
	credential: string;
	/** Current secret first; old ones only while rotating. */
	secrets(credential: ICredentialDataDecryptedObject): string[];
	/** Whether the signature covers the URL (then the node asks for it). */
	signsUrl?: boolean;
	verify(input: VerifyInput): Verdict;
	/** Fields the verified item gets beside the sender's payload (what the payload means for Meta). */
	view?(payload: IDataObject): IDataObject | undefined;
}

/** A header by name, whatever its case (Node lower-cases them; other callers may not). */
export function header(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}
