import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { graphApiError, graphCall } from '../../../shared/transport/graphCall';
import { adAccountIdField, adAccountPath } from '../ids';
import { perItem } from '../../../shared/itemOutcomes';
import { audienceFieldsField, DEFAULT_AUDIENCE_FIELDS } from './fields';
import { returnAllFields } from '../../../shared/returnAll';

export const description: INodeProperties[] = [adAccountIdField, ...returnAllFields, audienceFieldsField];

const PAGE = 100;

/** GET /act_{id}/customaudiences, following Meta's after-cursor until enough (or all) are read. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem.call(this, items, async (i) => {
		const path = `${adAccountPath.call(this, i)}/customaudiences`;
		const fields = (this.getNodeParameter('fields', i, DEFAULT_AUDIENCE_FIELDS) as string) || DEFAULT_AUDIENCE_FIELDS;
		const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
		const audiences: IDataObject[] = [];
		let after: string | undefined;
		do {
			const qs: IDataObject = { fields, limit: Math.min(PAGE, limit - audiences.length), ...(after ? { after } : {}) };
			const { ok, response } = await graphCall.call(this, 'GET', path, undefined, qs);
			if (!ok) throw graphApiError.call(this, response, i);
			audiences.push(...((response.body.data ?? []) as IDataObject[]));
			const paging = (response.body.paging ?? {}) as IDataObject;
			// Meta omits paging.next on the last page even when it still returns a cursor.
			after = paging.next ? (((paging.cursors ?? {}) as IDataObject).after as string | undefined) : undefined;
		} while (after && audiences.length < limit);
		return audiences.slice(0, limit);
	});
}
