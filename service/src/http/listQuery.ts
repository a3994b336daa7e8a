import { z } from 'zod';
import { HttpError } from './errors';

export const ListQuerySchema = z.object({
	status: z.enum(['queued', 'sending', 'sent', 'retry', 'dead']).optional(),
	limit: z.coerce.number().int().min(1).max(500).default(50),
	cursor: z.string().max(200).optional(),
});

// Postgres' text form of a timestamptz, as the cursor carries it; anything else never reaches SQL.
const TIMESTAMP = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:\d\d)?|Z)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque cursor: the last row's created_at and id. */
export function encodeCursor(createdAt: string, id: string): string {
	return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
	try {
		const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
		if (typeof createdAt === 'string' && TIMESTAMP.test(createdAt) && typeof id === 'string' && UUID.test(id)) return { createdAt, id };
	} catch {
		// fall through
	}
	throw new HttpError(400, 'invalid_query', 'cursor: not a cursor this service gave out', 'cursor');
}
