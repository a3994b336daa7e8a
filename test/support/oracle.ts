import { ParamBuilder } from 'capi-param-builder-nodejs';
import type { HashedUserDataKey } from '../../nodes/core/capi/types';

// Meta's own normalizer, used only as a test oracle (dev dependency).
const builder = new ParamBuilder([]);

export const ORACLE_TYPE: Readonly<Record<HashedUserDataKey, string>> = {
	em: 'email',
	ph: 'phone',
	fn: 'first_name',
	ln: 'last_name',
	ge: 'gender',
	db: 'date_of_birth',
	ct: 'city',
	st: 'state',
	zp: 'zip_code',
	country: 'country',
	external_id: 'external_id',
};

/** The oracle's hash without its ".<appendix>" suffix; undefined when it drops the value. */
export function oracleHash(key: HashedUserDataKey, value: string): string | undefined {
	const out = builder.getNormalizedAndHashedPII(value, ORACLE_TYPE[key]) as string | null;
	return out ? out.replace(/\.[A-Za-z0-9_-]+$/, '') : undefined;
}
