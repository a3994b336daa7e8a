import { findLeaks, type Entry } from '../support/privacy/scan';

// The suite-wide scan's own logic (its run is in globalTeardown): it must find what leaks.
describe('privacy scan over the suite', () => {
	const sent = (body: object): Entry => ({ place: 'sent', file: 'a.test.ts', text: JSON.stringify(body) });

	it('finds a raw e-mail, phone or name sent in that comes back in an answer, a log, a row or a request to Meta', () => {
		const entries: Entry[] = [
			sent({
				data: [
					{ event_name: 'Lead', email: ' Mary.Jones@Example.com ', phone: '+1 (650) 555-1212', first_name: 'Maryanne' },
				],
			}),
			sent({ customer: { last_name: 'Okonkwo', default_address: { address1: '17 Wool Lane' } } }),
			{ place: 'answer', file: 'a.test.ts', text: '{"error":{"message":"email mary.jones@example.com is invalid"}}' },
			{ place: 'log', file: 'a.test.ts', text: '{"msg":"phone 16505551212"}' },
			{ place: 'database', file: 'a.test.ts', text: '{"payload":{"fn":"maryanne"}}' },
			{ place: 'meta', file: 'a.test.ts', text: '{"data":[{"user_data":{"ln":"Okonkwo"},"note":"17 wool lane"}]}' },
		];
		const { leaks, values } = findLeaks(entries);
		expect(values).toBe(6);
		expect(leaks.map((l) => l.split(':')[0])).toEqual([
			'answer in a.test.ts',
			'log in a.test.ts',
			'database in a.test.ts',
			'meta in a.test.ts',
			'meta in a.test.ts',
		]);
	});

	it('ignores hashes, short values and text that was never sent', () => {
		const hash = 'a'.repeat(64);
		const entries: Entry[] = [
			sent({ em: hash, ct: 'NY', email: 'q@y' }),
			{ place: 'answer', file: 'b', text: `${hash} NY q@y other@example.com` },
		];
		expect(findLeaks(entries).leaks).toEqual([]);
	});
});
