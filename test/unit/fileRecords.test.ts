import { AUDIENCE_KEYS } from '../../nodes/core/audiences/types';
import { audienceRow } from '../../nodes/core/normalize/audience';
import { sha256Hex } from '../../nodes/core/normalize/hash';
import { customerToAudienceRecord } from '../../nodes/core/shopify/customer';
import { customerToHubSpotProperties } from '../../nodes/core/shopify/hubspot';
import { fileRowToRecord } from '../../service/src/usecases/jobs/fileRecords';
import type { FlatCustomer } from '../../service/src/usecases/jobs/fileRows';

const ROW: FlatCustomer = {
	email: 'Anna.Berg@Example.com',
	phone: '+49 30 1234567',
	first_name: 'Anna',
	last_name: 'Berg',
	city: 'Berlin',
	state: 'BE',
	zip: '10115',
	country: 'DE',
	external_id: 'crm-42',
	dob: '1990-05-17',
	gender: 'Female',
};

describe('fileRowToRecord', () => {
	it('gives the audience record by schema key, raw, and the HubSpot contact', () => {
		expect(fileRowToRecord(ROW)).toEqual({
			audience: {
				EMAIL: 'Anna.Berg@Example.com',
				PHONE: '+49 30 1234567',
				FN: 'Anna',
				LN: 'Berg',
				CT: 'Berlin',
				ST: 'BE',
				ZIP: '10115',
				COUNTRY: 'DE',
				EXTERN_ID: 'crm-42',
				DOBY: '1990',
				DOBM: '05',
				DOBD: '17',
				GEN: 'Female',
			},
			contact: {
				email: 'Anna.Berg@Example.com',
				firstname: 'Anna',
				lastname: 'Berg',
				phone: '+49 30 1234567',
				city: 'Berlin',
				state: 'BE',
				zip: '10115',
				country: 'DE',
			},
		});
	});

	it('writes the standard contact properties the Shopify mapping writes, and the same audience keys', () => {
		const shopify = {
			id: 42,
			email: ROW.email,
			phone: ROW.phone,
			first_name: ROW.first_name,
			last_name: ROW.last_name,
			default_address: { city: ROW.city, province_code: ROW.state, zip: ROW.zip, country_code: ROW.country },
		};
		const fromShopify = Object.keys(customerToHubSpotProperties(shopify)).filter((k) => !k.startsWith('shopify_'));
		expect(Object.keys(fileRowToRecord(ROW).contact!).sort()).toEqual(fromShopify.sort());
		const shopifyKeys = Object.keys(customerToAudienceRecord(shopify));
		for (const key of shopifyKeys) expect(fileRowToRecord(ROW).audience).toHaveProperty(key);
	});

	it('is hashed by the core like any other record: every key it fills gives a value', () => {
		const schema = AUDIENCE_KEYS.filter((k) => !['FI', 'MADID', 'LOOKALIKE_VALUE'].includes(k));
		const row = audienceRow(schema, fileRowToRecord(ROW).audience!)!;
		const byKey = Object.fromEntries(schema.map((k, i) => [k, row[i]]));
		expect(byKey).toMatchObject({
			EMAIL: sha256Hex('anna.berg@example.com'),
			FN: sha256Hex('anna'),
			DOBY: sha256Hex('1990'),
			DOBM: sha256Hex('05'),
			DOBD: sha256Hex('17'),
			GEN: sha256Hex('f'),
			COUNTRY: sha256Hex('de'),
			EXTERN_ID: 'crm-42',
		});
		expect(row.every((value) => value !== '')).toBe(true);
	});

	it('reads the birth date once for its three keys: a year alone is a year, anything else that is no date nothing', () => {
		expect(fileRowToRecord({ email: 'a@example.com', dob: '17/05/1990' }).audience).toMatchObject({
			DOBY: '1990',
			DOBM: '05',
			DOBD: '17',
		});
		expect(fileRowToRecord({ email: 'a@example.com', dob: 'May 17, 1990' }).audience).toMatchObject({ DOBM: '05' });
		expect(fileRowToRecord({ email: 'a@example.com', dob: '1990' }).audience).toEqual({
			EMAIL: 'a@example.com',
			DOBY: '1990',
		});
		for (const dob of ['12', '31/02/1990', 'soon', ''])
			expect(fileRowToRecord({ email: 'a@example.com', dob }).audience).toEqual({ EMAIL: 'a@example.com' });
	});

	it('has a contact only with an e-mail, and no part for a row with nothing', () => {
		expect(fileRowToRecord({ phone: '+4930123456', first_name: 'Anna' })).toEqual({
			audience: { PHONE: '+4930123456', FN: 'Anna' },
		});
		expect(fileRowToRecord({ email: '  ', external_id: 'c-1' })).toEqual({ audience: { EXTERN_ID: 'c-1' } });
		expect(fileRowToRecord({})).toEqual({});
	});
});
