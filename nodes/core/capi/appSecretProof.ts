import { createHmac } from 'node:crypto';

/** appsecret_proof: hex HMAC-SHA256 of the access token, keyed with the app secret (Meta). */
export function appSecretProof(accessToken: string, appSecret: string): string {
	return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}
