import { z } from 'zod';

/** Events one POST /v1/events may carry: what one request to Meta can take. */
export const MAX_EVENTS = 1000;

/** The envelope of several events; each item is checked on its own by the use case. */
export const BatchSchema = z.strictObject({ data: z.array(z.unknown()).min(1).max(MAX_EVENTS) });
