import { z } from 'zod';
import { HttpError } from './errors';

export const ListQuerySchema = z.object({
	status: z.enum(['queued', 'sending', 'sent', 'retry', 'dead']).optional(),
	limit: z.coerce.number().int().min(1).max(500).default(50),
	cursor: z.string().max(200).optional(),
});

/** An opaque cursor: the last row's created_at and id. */
export function encodeCursor(createdAt: string, id: string): string {
	return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
	try {
		const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
		if (typeof createdAt === 'string' && /^[0-9a-f-]{36}$/i.test(id) && createdAt.length < 40) return { createdAt, id };
	} catch {
		// fall through
	}
	throw new HttpError(400, 'invalid_query', 'cursor: not a cursor this service gave out', 'cursor');
}
