import { flatToEventInput } from '../../../nodes/core/capi/flatEvent';

describe("flatToEventInput: the simple event shape (relay API, Map Automatically) as the core's input", () => {
	it("maps the flat identifiers into user_data and value/currency into custom_data; Meta's own keys win", () => {
		expect(
			flatToEventInput(
				{
					email: 'a@b.co',
					phone: '+1 650 555 1212',
					first_name: 'Ann',
					fbc: 'fb.1.1.x',
					value: '12.50',
					currency: 'eur',
					user_data: { em: 'own@b.co', zp: '94103' },
					custom_data: { value: 99, order_id: 'o-1' },
				},
				{ eventName: 'Purchase', actionSource: 'website' },
			),
		).toEqual({
			event_name: 'Purchase',
			action_source: 'website',
			user_data: { em: 'own@b.co', zp: '94103', ph: '+1 650 555 1212', fn: 'Ann', fbc: 'fb.1.1.x' },
			custom_data: { value: 99, order_id: 'o-1', currency: 'eur' },
		});
	});

	it("takes the event's own name, source and processing options over the defaults", () => {
		const input = flatToEventInput(
			{
				event_name: 'Lead',
				action_source: 'chat',
				event_id: 7,
				data_processing_options: ['LDU'],
				data_processing_options_country: 1,
				data_processing_options_state: 1000,
			},
			{ eventName: 'Purchase', actionSource: 'website' },
		);
		expect(input).toMatchObject({
			event_name: 'Lead',
			action_source: 'chat',
			event_id: 7,
			data_processing_options: ['LDU'],
			data_processing_options_country: 1,
			data_processing_options_state: 1000,
		});
	});

	it('names the field of a shape that is wrong instead of falling back to a default', () => {
		expect(() => flatToEventInput({ user_data: ['x'] })).toThrow('user_data: must be an object of Meta user_data keys');
		expect(() => flatToEventInput({ custom_data: 'x' })).toThrow('custom_data: must be an object');
		expect(() => flatToEventInput({ event_name: { a: 1 } }, { eventName: 'Purchase' })).toThrow(
			'event_name: must be text, not object',
		);
		expect(() => flatToEventInput({ action_source: ['web'] })).toThrow('action_source: must be text, not a list');
	});
});
