import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { describeValue } from '../../core/errors/redact';

export const adAccountIdField: INodeProperties = {
	displayName: 'Ad Account ID',
	name: 'adAccountId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'act_1234567890',
	description: 'The ad account that owns the audiences, with or without the act_ prefix',
};

export const audienceIdField: INodeProperties = {
	displayName: 'Audience ID',
	name: 'audienceId',
	type: 'string',
	default: '',
	required: true,
	description: "The Custom Audience's numeric ID",
};

/** Graph IDs are digits; anything else would address another object or a path. */
function digits(this: IExecuteFunctions, label: string, raw: unknown, itemIndex: number): string {
	const id = String(raw ?? '').trim();
	if (!/^\d+$/.test(id))
		throw new NodeOperationError(this.getNode(), `${label} must be digits only, not ${describeValue(raw)}`, {
			itemIndex,
		});
	return id;
}

/** The ad account's Graph path segment, act_{id}, whether or not the user typed the prefix. */
export function adAccountPath(this: IExecuteFunctions, itemIndex: number): string {
	const raw = String(this.getNodeParameter('adAccountId', itemIndex)).trim().replace(/^act_/i, '');
	return `act_${digits.call(this, 'Ad account ID', raw, itemIndex)}`;
}

export function audienceId(this: IExecuteFunctions, itemIndex: number): string {
	return digits.call(this, 'Audience ID', this.getNodeParameter('audienceId', itemIndex), itemIndex);
}
