import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { usersFields } from './fields';
import { uploadUsers } from './upload';

export const description: INodeProperties[] = usersFields;

/** POST /{audience_id}/usersreplace: the items become the audience's whole member list, in one session, without resetting ad set learning. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await uploadUsers.call(this, items, 'replace');
}
