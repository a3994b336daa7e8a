import {
	DATASET_QUALITY_FIELDS,
	datasetQualityEvents,
	type DatasetQualityRow,
} from '../../../nodes/core/capi/datasetQuality';
import type { Classified, Usage } from '../../../nodes/core/errors';
import type { GraphSettings } from './graphClient';
import { graphGet } from './graphTransport';

export type QualityAnswer = { ok: true; rows: DatasetQualityRow[]; usage: Usage } | { ok: false; error: Classified };

/** A real answer is a few kilobytes a event name; this only stops a proxy's or a fault's flood. */
export const MAX_QUALITY_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * GET /{version}/dataset_quality for one dataset (pixel): every metric of
 * DATASET_QUALITY_FIELDS, per event name. Without agentName Meta counts every event of the
 * dataset, whoever sent it. Failures come back classified (token, permission, throttling …).
 */
export async function readDatasetQuality(
	settings: GraphSettings,
	datasetId: string,
	{ agentName, signal }: { agentName?: string; signal?: AbortSignal } = {},
): Promise<QualityAnswer> {
	if (!/^\d{1,32}$/.test(datasetId)) throw new RangeError('datasetId: not a pixel (dataset) id (digits)');
	const answer = await graphGet(
		settings,
		'dataset_quality',
		{ dataset_id: datasetId, fields: DATASET_QUALITY_FIELDS, agent_name: agentName },
		{ signal, maxAnswerBytes: MAX_QUALITY_ANSWER_BYTES },
	);
	if (!answer.ok) return { ok: false, error: answer.error };
	return { ok: true, rows: datasetQualityEvents(answer.body).map((e) => e.row), usage: answer.usage };
}
