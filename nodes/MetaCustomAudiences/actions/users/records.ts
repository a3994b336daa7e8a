import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { InvalidRecord } from '../../../core/audiences/rows';
import type { RawAudienceRecord } from '../../../core/audiences/types';
import { CUSTOMER_FIELDS } from './fields';

export interface ItemRecord {
	index: number;
	record: RawAudienceRecord;
}

/**
 * Each item's raw customer values keyed by schema key. An item whose fields cannot be read (a
 * broken expression) is reported by index and reason; the others go on.
 */
export function readRecords(this: IExecuteFunctions, items: INodeExecutionData[]): { records: ItemRecord[]; unreadable: InvalidRecord[] } {
	const records: ItemRecord[] = [];
	const unreadable: InvalidRecord[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const customer = this.getNodeParameter('customer', i, {}) as IDataObject;
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
