import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { InvalidRecord } from '../../../core/audiences/rows';
import type { RawAudienceRecord } from '../../../core/audiences/types';
import { describeValue } from '../../../core/errors/redact';
import { CUSTOMER_FIELDS } from './fields';
import { itemParam } from '../../../shared/params';

export interface ItemRecord {
	index: number;
	record: RawAudienceRecord;
}

/**
 * Each item's raw customer values keyed by schema key. An item whose fields cannot be read (a
 * broken expression) or that names another audience is reported by index and reason; the others
 * go on.
 */
export function readRecords(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	audienceId: string,
): { records: ItemRecord[]; unreadable: InvalidRecord[] } {
	const records: ItemRecord[] = [];
	const unreadable: InvalidRecord[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			// One upload goes to one audience: an item naming another must not land in this one.
			const raw = itemParam(this, 'audienceId', i, audienceId) as unknown;
			const own = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
			if (own !== audienceId)
				throw new Error(
					`its audience (${describeValue(raw)}) differs from the first item's ${audienceId}: split the items by audience`,
				);
			const customer = itemParam(this, 'customer', i, {}) as IDataObject;
			const record: RawAudienceRecord = {};
			for (const f of CUSTOMER_FIELDS) {
				const value = customer[f.name];
				if (value !== undefined && value !== null && value !== '') record[f.key] = value;
			}
			records.push({ index: i, record });
		} catch (error) {
			unreadable.push({ index: i, reason: (error as Error).message });
		}
	}
	return { records, unreadable };
}
