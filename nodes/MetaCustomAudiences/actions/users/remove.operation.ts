import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { usersFields } from './fields';
import { uploadUsers } from './upload';

export const description: INodeProperties[] = usersFields;

/** Removes the items' customers from the audience (DELETE /{audience_id}/users, sent as a POST override). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await uploadUsers.call(this, items, 'remove');
}
