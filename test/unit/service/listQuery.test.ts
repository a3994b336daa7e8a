import { decodeCursor, encodeCursor } from '../../../service/src/http/listQuery';
import { HttpError } from '../../../service/src/http/errors';

const ID = '3f2c1e9a-8b7d-4c6e-9f10-112233445566';
const forge = (createdAt: unknown, id: unknown = ID) =>
	Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

function refusal(cursor: string): HttpError | undefined {
	try {
		decodeCursor(cursor);
		return undefined;
	} catch (error) {
		return error as HttpError;
	}
}

describe('decodeCursor', () => {
	it('gives back what encodeCursor made, in every form Postgres writes a timestamptz', () => {
		for (const at of [
			'2026-12-01 10:11:12.123456+00',
			'2026-12-01 10:11:12+00',
			'2028-02-29 23:59:59.5+05:30',
			'0001-01-01 00:00:00-15:59',
			'9999-12-31 23:59:59.999999+15:59',
			'2026-01-31T00:00:00Z',
		]) {
			expect(decodeCursor(encodeCursor(at, ID))).toEqual({ createdAt: at, id: ID });
		}
	});

	// Each of these has the shape of a timestamp but is not one: before, they reached SQL and the
	// listing failed with a 500 on PGlite and Postgres.
	it.each([
		['a month 13, a day 45, an hour 99', '2026-13-45 99:99:99+00'],
		['year 0000', '0000-01-01 00:00:00+00'],
		['an offset of +99:99', '2026-01-01 00:00:00+99:99'],
		['an offset of 16 hours', '2026-01-01 00:00:00+16'],
		['an offset minute of 60', '2026-01-01 00:00:00+05:60'],
		['30 February', '2026-02-30 00:00:00+00'],
		['29 February of a common year', '2026-02-29 00:00:00+00'],
		['29 February 2100 (not a leap year)', '2100-02-29 00:00:00+00'],
		['31 April', '2026-04-31 00:00:00+00'],
		['day 00', '2026-01-00 00:00:00+00'],
		['hour 24', '2026-01-01 24:00:00+00'],
		['second 60', '2026-01-01 23:59:60+00'],
	])('refuses a cursor with %s with a 400 naming cursor', (_what, at) => {
		const error = refusal(forge(at));
		expect(error).toBeInstanceOf(HttpError);
		expect(error).toMatchObject({ status: 400, code: 'invalid_query', field: 'cursor' });
	});
});
