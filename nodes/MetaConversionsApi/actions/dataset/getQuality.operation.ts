import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { DATASET_QUALITY_FIELDS, datasetQualityEvents } from '../../../core/capi/datasetQuality';
import { describeValue } from '../../../core/errors/redact';
import { requireCredential } from '../../../shared/credentials';
import { perItem } from '../../../shared/itemOutcomes';
import { graphApiError, graphCall } from '../../../shared/transport/graphCall';
import { META_CREDENTIAL } from '../../../shared/transport/metaGraph';

export const description: INodeProperties[] = [
	{
		displayName: 'Dataset ID',
		name: 'datasetId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1234567890',
		description: 'The pixel (dataset) whose quality Meta reports',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Agent Name',
				name: 'agentName',
				type: 'string',
				default: '',
				description:
					'Only the events sent with this partner_agent, in lower case (e.g. a platform sending partner_agent "myplatform_1_2" is "myplatform"). Empty: every event of the dataset.',
			},
		],
	},
];

function datasetId(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('datasetId', itemIndex);
	const id = String(raw ?? '').trim();
	if (!/^\d{1,32}$/.test(id))
		throw new NodeOperationError(this.getNode(), `Dataset ID must be digits only, not ${describeValue(raw)}`, {
			itemIndex,
		});
	return id;
}

/**
 * GET /{version}/dataset_quality (Meta's Dataset Quality API): one output item per event name of
 * the dataset's web events, paired with its input item: Meta's event match quality (0–10), each
 * match key's coverage, event coverage, dedup keys, freshness, ACR and diagnostics, flattened,
 * with Meta's entry as it came under `raw`. A dataset Meta has no events for gives no item.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	await requireCredential.call(this, META_CREDENTIAL, 'Dataset → Get Quality');
	return await perItem.call(this, items, async (i) => {
		const id = datasetId.call(this, i);
		const agentName = String((this.getNodeParameter('options', i, {}) as IDataObject).agentName ?? '').trim();
		const { ok, response } = await graphCall.call(this, 'GET', 'dataset_quality', undefined, {
			dataset_id: id,
			fields: DATASET_QUALITY_FIELDS,
			...(agentName ? { agent_name: agentName } : {}),
		});
		if (!ok) throw graphApiError.call(this, response, i);
		return datasetQualityEvents(response.body).map(
			({ row, raw }): IDataObject => ({ dataset_id: id, ...row, raw }) as unknown as IDataObject,
		);
	});
}
