/** `count` simple-shape events with every identifier a shop usually has; ids unique per `tag`. */
export function simpleEvents(tag: string, start: number, count: number): object[] {
	const out: object[] = [];
	for (let i = start; i < start + count; i++) {
		out.push({
			event_name: 'Purchase',
			event_id: `${tag}-${i}`,
			email: `Customer.${i}@Example.com`,
			phone: `+1 (415) 555-${String(i % 10_000).padStart(4, '0')}`,
			first_name: 'Mary',
			last_name: `Jones${i % 97}`,
			value: (i % 500) + 0.99,
			currency: 'usd',
		});
	}
	return out;
}
