import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { relayApiError, relayRequest } from '../../../shared/transport/relay';

/** The states a job ends in (service/src/usecases/jobs/types.ts FINAL_STATES). */
export const FINAL_STATES: readonly string[] = ['done', 'failed', 'cancelled'];

/** GET /v1/jobs/{id}: the job as the service answers, or its error. */
export async function readJob(this: IExecuteFunctions, id: string, itemIndex: number): Promise<IDataObject> {
	const response = await relayRequest.call(this, 'GET', `/v1/jobs/${encodeURIComponent(id)}`);
	if (response.statusCode !== 200) throw relayApiError.call(this, response, itemIndex);
	return response.body;
}
