import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';
import * as cancel from './cancel.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as start from './start.operation';
import * as wait from './wait.operation';

export const jobOperations = {
	start: start.execute,
	get: get.execute,
	list: list.execute,
	wait: wait.execute,
	cancel: cancel.execute,
};

export const jobDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel a sync job',
				description: 'Ask the relay service to stop a job',
			},
			{ name: 'Get', value: 'get', action: 'Get a sync job', description: "Get a job's state, counters and progress" },
			{
				name: 'Get Many',
				value: 'list',
				action: 'Get many sync jobs',
				description: 'List jobs newest first, e.g. the failed ones',
			},
			{
				name: 'Start',
				value: 'start',
				action: 'Start a sync job',
				description: 'Have the relay service move a whole shop or a file into Meta and HubSpot',
			},
			{
				name: 'Wait',
				value: 'wait',
				action: 'Wait for a sync job',
				description: 'Check the job until it is done; a failed or cancelled job fails the item',
			},
		],
		default: 'start',
	},
	{
		displayName:
			'A sync job runs in the relay service, not in n8n: use it for a whole shop or a large file, which n8n would hold in memory item by item. Start it, then Wait for it. Sync jobs use the Conversion Relay Service API credential; leave the webhook credentials empty.',
		name: 'jobNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['job'] } },
	},
	...updateDisplayOptions({ show: { resource: ['job'], operation: ['start'] } }, start.description),
	...updateDisplayOptions({ show: { resource: ['job'], operation: ['list'] } }, list.description),
	// Get, Wait and Cancel share the Job ID field: shown once, so switching operation keeps it.
	...updateDisplayOptions({ show: { resource: ['job'], operation: ['get', 'wait', 'cancel'] } }, get.description),
	...updateDisplayOptions(
		{ show: { resource: ['job'], operation: ['wait'] } },
		wait.description.filter((p) => p.name !== 'jobId'),
	),
];
