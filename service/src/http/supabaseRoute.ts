import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Repository } from '../db/repository';
import type { Dispatcher } from '../usecases/dispatcher';
import type { Metrics } from '../metrics';
import { handleDatabaseChange } from '../usecases/supabaseWebhook';
import { invalidInput } from './errors';
import { parseJsonBody, WEBHOOK_MAX_DEPTH } from './jsonLimits';
import { refusalsAs400 } from './refusals';

// A Postgres name is at most 63 bytes; the table and schema go into the delivery key.
const postgresName = z.string().min(1).max(63, 'at most 63 characters (a Postgres name)');

const ChangeSchema = z.object({
	type: z.enum(['INSERT', 'UPDATE', 'DELETE']),
	table: postgresName,
	schema: postgresName.optional(),
	record: z.record(z.string(), z.unknown()).nullable(),
	old_record: z.record(z.string(), z.unknown()).nullable().optional().default(null),
});

/** POST /v1/webhooks/supabase, after supabaseHeaders has checked the bearer secret. */
export function supabaseWebhookRoute({
	repo,
	config,
	metrics,
	dispatcher,
	clock,
}: {
	repo: Repository;
	config: Config;
	metrics?: Metrics;
	dispatcher?: Dispatcher;
	clock?: Clock;
}) {
	return async (req: Request, res: Response): Promise<void> => {
		const body = parseJsonBody(req.body as Buffer, WEBHOOK_MAX_DEPTH, { object: true });
		const change = ChangeSchema.safeParse(body);
		if (!change.success) throw invalidInput('invalid_payload', change.error);
		const result = await refusalsAs400(handleDatabaseChange({ repo, config, metrics, clock }, change.data));
		if (result.data.length) dispatcher?.nudge();
		res.status(200).json(result);
	};
}
