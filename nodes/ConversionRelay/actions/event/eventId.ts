import type { INodeProperties } from 'n8n-workflow';

export const eventIdField: INodeProperties = {
	displayName: 'Event ID',
	name: 'relayEventId',
	type: 'string',
	default: '',
	required: true,
	description: 'The ID the relay service gave the event (relay_event_id in the Send output)',
};
