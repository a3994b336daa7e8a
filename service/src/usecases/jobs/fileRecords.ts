import type { RawAudienceRecord } from '../../../../nodes/core/audiences/types';
import { formatBirthDate, parseBirthDate } from '../../../../nodes/core/normalize/dob';
import { compact, present } from '../../../../nodes/core/values';
import type { FlatCustomer } from './fileRows';
import type { SyncRecord } from './types';

/**
 * Year, month and day of a birth date for DOBY / DOBM / DOBD. The core parses each key on its own,
 * so a bare "12" would become a month and a day; parsing the date once keeps the three together.
 * A bare year is a year only.
 */
function birthParts(dob: string | undefined): Pick<RawAudienceRecord, 'DOBY' | 'DOBM' | 'DOBD'> {
	if (dob === undefined) return {};
	if (/^\d{4}$/.test(dob)) return { DOBY: dob };
	const parts = parseBirthDate(dob);
	if (!parts) return {};
	const ymd = formatBirthDate(parts);
	return { DOBY: ymd.slice(0, 4), DOBM: ymd.slice(4, 6), DOBD: ymd.slice(6, 8) };
}

/**
 * One row of an uploaded customer file as the destinations need it: the audience record (raw: the
 * core normalizes and hashes on the way out) and, when it has an e-mail, the HubSpot contact with
 * the standard properties the Shopify mapping writes (nodes/core/shopify/hubspot.ts).
 */
export function fileRowToRecord(row: FlatCustomer): SyncRecord {
	const v = (value: string | undefined) => present(value);
	const audience = compact<RawAudienceRecord>({
		EMAIL: v(row.email),
		PHONE: v(row.phone),
		FN: v(row.first_name),
		LN: v(row.last_name),
		CT: v(row.city),
		ST: v(row.state),
		ZIP: v(row.zip),
		COUNTRY: v(row.country),
		EXTERN_ID: v(row.external_id),
		...birthParts(v(row.dob)),
		GEN: v(row.gender),
	});
	const email = v(row.email);
	const record: SyncRecord = {};
	if (Object.keys(audience).length > 0) record.audience = audience;
	if (email !== undefined)
		record.contact = compact({
			email,
			firstname: v(row.first_name),
			lastname: v(row.last_name),
			phone: v(row.phone),
			city: v(row.city),
			state: v(row.state),
			zip: v(row.zip),
			country: v(row.country),
		}) as Record<string, string>;
	return record;
}
