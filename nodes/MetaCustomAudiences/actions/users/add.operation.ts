import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { usersFields } from './fields';
import { uploadUsers } from './upload';

export const description: INodeProperties[] = usersFields;

/** POST /{audience_id}/users: adds the items' customers to the audience. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await uploadUsers.call(this, items, 'add');
}
