import { z } from 'zod';
import { HttpError } from './errors';

export const ListQuerySchema = z.object({
	status: z.enum(['queued', 'sending', 'sent', 'retry', 'dead']).optional(),
	limit: z.coerce.number().int().min(1).max(500).default(50),
	cursor: z.string().max(200).optional(),
});

// Postgres' text form of a timestamptz, as the cursor carries it; anything else never reaches SQL.
const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.\d{1,6})?(?:[+-](\d\d)(?::(\d\d))?|Z)$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/**
 * A real instant in that form: a calendar date of years 1 to 9999, a time of day, and an offset
 * Postgres takes (at most 15:59). "2026-13-45 99:99:99+00" has the form and would fail in SQL.
 */
function isTimestamp(text: string): boolean {
	const m = TIMESTAMP.exec(text);
	if (!m) return false;
	const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
	const [offsetHours, offsetMinutes] = [Number(m[7] ?? 0), Number(m[8] ?? 0)];
	if (year < 1 || month < 1 || month > 12) return false;
	const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
	return (
		day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 15 && offsetMinutes <= 59
	);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque cursor: the last row's created_at and id. */
export function encodeCursor(createdAt: string, id: string): string {
	return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
	try {
		const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
		if (typeof createdAt === 'string' && isTimestamp(createdAt) && typeof id === 'string' && UUID.test(id))
			return { createdAt, id };
	} catch {
		// fall through
	}
	throw new HttpError(400, 'invalid_query', 'cursor: not a cursor this service gave out', 'cursor');
}
