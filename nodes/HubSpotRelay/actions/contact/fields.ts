import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { describeValue } from '../../../core/errors/redact';
import { itemParam } from '../../../shared/params';

export const emailField: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'name@email.com',
	default: '',
	required: true,
	description: "The contact's e-mail: HubSpot creates the contact or updates the one with this address",
};

export const returnPropertiesField: INodeProperties = {
	displayName: 'Properties to Return',
	name: 'returnProperties',
	type: 'string',
	default: '',
	placeholder: 'email,firstname,shopify_total_spent',
	description:
		"Comma-separated internal property names. Empty: HubSpot's defaults (email, first and last name, dates, ID).",
};

/** The "Properties to Return" field as HubSpot's list, or undefined for its defaults. */
export function returnProperties(this: IExecuteFunctions, itemIndex: number): string[] | undefined {
	const raw = String(itemParam(this, 'returnProperties', itemIndex, '') ?? '');
	const names = raw
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
	return names.length ? names : undefined;
}

/** An e-mail as the contact's id; HubSpot checks the format, this only refuses an empty one. */
export function readEmail(this: IExecuteFunctions, itemIndex: number, name = 'email'): string {
	const raw = itemParam(this, name, itemIndex, '') as unknown;
	if (raw !== null && typeof raw === 'object')
		throw new NodeOperationError(this.getNode(), `The e-mail must be text, not ${describeValue(raw)}`, { itemIndex });
	const email = String(raw ?? '').trim();
	if (!email)
		throw new NodeOperationError(this.getNode(), 'The e-mail is empty: HubSpot contacts are upserted by e-mail', {
			itemIndex,
		});
	return email;
}

/** HubSpot takes property values as text; null clears one, as an empty string does. */
export function propertyValues(this: IExecuteFunctions, raw: IDataObject, itemIndex: number): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(raw)) {
		if (value === null || value === undefined) out[name] = '';
		else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
			out[name] = String(value);
		else
			throw new NodeOperationError(this.getNode(), `Property "${name}" must be text, a number or a boolean`, {
				itemIndex,
			});
	}
	return out;
}

/** A json parameter as an object, whether n8n hands it over parsed or as text. */
export function jsonObject(this: IExecuteFunctions, name: string, itemIndex: number, label: string): IDataObject {
	let value = itemParam(this, name, itemIndex, {}) as unknown;
	if (typeof value === 'string') {
		try {
			value = value.trim() ? JSON.parse(value) : {};
		} catch {
			throw new NodeOperationError(this.getNode(), `${label} is not valid JSON`, { itemIndex });
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value))
		throw new NodeOperationError(this.getNode(), `${label} must be a JSON object`, { itemIndex });
	return value as IDataObject;
}
