import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { graphApiError, graphCall } from '../../../shared/transport/graphCall';
import { audienceId, audienceIdField } from '../ids';
import { perItem } from '../../../shared/itemOutcomes';

export const description: INodeProperties[] = [audienceIdField];

/** DELETE /{audience_id}: the audience and its members, for good. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const id = audienceId.call(this, i);
		const { ok, response } = await graphCall.call(this, 'DELETE', id);
		if (!ok) throw graphApiError.call(this, response, i);
		return { id, deleted: response.body.success === true };
	});
}
