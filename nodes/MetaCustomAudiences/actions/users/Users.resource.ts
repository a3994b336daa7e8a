import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';
import * as add from './add.operation';
import * as remove from './remove.operation';
import * as replace from './replace.operation';

export const usersOperations = { add: add.execute, remove: remove.execute, replace: replace.execute };

export const usersDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['users'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				action: 'Add users to an audience',
				description: "Add the items' customers, hashed, in batches of up to 10,000",
			},
			{
				name: 'Remove',
				value: 'remove',
				action: 'Remove users from an audience',
				description: "Remove the items' customers from the audience",
			},
			{
				name: 'Replace',
				value: 'replace',
				action: 'Replace the users of an audience',
				description: "Make the items the audience's whole member list without resetting ad set learning",
			},
		],
		default: 'add',
	},
	// The three share one set of fields (add's, remove's and replace's are the same array): shown
	// once, so switching operation keeps what was typed.
	...updateDisplayOptions({ show: { resource: ['users'], operation: ['add', 'remove', 'replace'] } }, add.description),
];
