import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { graphApiError, graphCall } from '../../../shared/transport/graphCall';
import { audienceId, audienceIdField } from '../ids';
import { perItem } from '../../../shared/itemOutcomes';
import { audienceFieldsField, DEFAULT_AUDIENCE_FIELDS } from './fields';

export const description: INodeProperties[] = [audienceIdField, audienceFieldsField];

/** GET /{audience_id}?fields=…: size bounds and the statuses that explain why it does not deliver. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const fields = (this.getNodeParameter('fields', i, DEFAULT_AUDIENCE_FIELDS) as string) || DEFAULT_AUDIENCE_FIELDS;
		const { ok, response } = await graphCall.call(this, 'GET', audienceId.call(this, i), undefined, { fields });
		if (!ok) throw graphApiError.call(this, response, i);
		return response.body;
	});
}
