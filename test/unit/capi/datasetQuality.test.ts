import {
	DATASET_QUALITY_FIELDS,
	DATASET_QUALITY_LIMITS,
	datasetQualityEvents,
	datasetQualityRow,
} from '../../../nodes/core/capi/datasetQuality';

describe('reading a Dataset Quality answer', () => {
	it('asks for every metric the page and the node show, in Graph field syntax', () => {
		for (const field of [
			'event_name',
			'composite_score',
			'match_key_feedback{identifier,coverage{percentage}}',
			'event_coverage{percentage,goal_percentage}',
			'dedupe_key_feedback{dedupe_key,',
			'data_freshness{upload_frequency}',
			'acr{percentage}',
			'diagnostics{',
		])
			expect(DATASET_QUALITY_FIELDS).toContain(field);
		const depth = [...DATASET_QUALITY_FIELDS].reduce(
			(d, c) => (d < 0 ? d : c === '{' ? d + 1 : c === '}' ? d - 1 : d),
			0,
		);
		expect(depth).toBe(0);
		expect(DATASET_QUALITY_FIELDS.startsWith('web{')).toBe(true);
	});

	it('keeps what is well formed and leaves out the rest instead of failing', () => {
		expect(datasetQualityEvents(null)).toEqual([]);
		expect(datasetQualityEvents({ web: { event_name: 'Lead' } })).toEqual([]);
		const events = datasetQualityEvents({
			web: [
				'garbage',
				{ event_match_quality: { composite_score: 9 } }, // no event name: nothing to attach it to
				{
					event_name: ' Lead ',
					event_match_quality: {
						composite_score: '8.4',
						match_key_feedback: [
							'x',
							{ coverage: { percentage: 50 } },
							{ identifier: 'email', coverage: 93.3 },
							{ identifier: 'phone', coverage: { percentage: 'n/a' } },
							{ identifier: '__proto__', coverage: { percentage: 1 } },
						],
						diagnostics: [{ description: 'no name' }, { name: 'IPv4', percentage: Infinity }],
					},
					event_coverage: 'high',
					dedup_key_feedback: [{ dedupe_key: 'event_id', server_events_with_dedupe_key: { percentage: 100 } }],
					data_freshness: 'hourly',
					acr: { percentage: null },
				},
			],
		});
		expect(events).toHaveLength(1);
		const row = events[0].row;
		expect(row).toEqual({
			event_name: 'Lead',
			composite_score: 8.4,
			match_keys: { email: 93.3, phone: null, ['__proto__']: 1 },
			event_coverage: null,
			event_coverage_goal: null,
			dedupe_keys: { event_id: { browser: null, server: 100, overall_browser_coverage: null } },
			data_freshness: 'hourly',
			acr: null,
			diagnostics: [
				{
					name: 'IPv4',
					description: null,
					solution: null,
					percentage: null,
					affected_event_count: null,
					total_event_count: null,
				},
			],
		});
		// A key named __proto__ is an own key, not the object's prototype.
		expect(Object.getPrototypeOf(row.match_keys)).toBe(Object.prototype);
		expect(Object.keys(row.match_keys)).toEqual(['email', 'phone', '__proto__']);
	});

	it('bounds what one answer can hold: event names, keys, diagnostics and text', () => {
		const long = 'x'.repeat(5_000);
		const entry = (i: number) => ({
			event_name: `${long}${i}`,
			event_match_quality: {
				match_key_feedback: Array.from({ length: 100 }, (_, k) => ({
					identifier: `k${k}`,
					coverage: { percentage: k },
				})),
				diagnostics: Array.from({ length: 100 }, () => ({ name: long, description: long, solution: long })),
			},
			dedupe_key_feedback: Array.from({ length: 100 }, (_, k) => ({ dedupe_key: `d${k}` })),
		});
		const events = datasetQualityEvents({ web: Array.from({ length: 1_000 }, (_, i) => entry(i)) });
		expect(events).toHaveLength(DATASET_QUALITY_LIMITS.events);
		const row = events[0].row;
		expect(row.event_name).toHaveLength(DATASET_QUALITY_LIMITS.nameChars);
		expect(Object.keys(row.match_keys)).toHaveLength(DATASET_QUALITY_LIMITS.keysPerEvent);
		expect(Object.keys(row.dedupe_keys)).toHaveLength(DATASET_QUALITY_LIMITS.keysPerEvent);
		expect(row.diagnostics).toHaveLength(DATASET_QUALITY_LIMITS.diagnosticsPerEvent);
		expect(row.diagnostics[0].description).toHaveLength(DATASET_QUALITY_LIMITS.textChars);
	});

	it('reads one entry alone', () => {
		expect(datasetQualityRow({ event_name: 'Purchase' })).toMatchObject({
			event_name: 'Purchase',
			composite_score: null,
			match_keys: {},
		});
		expect(datasetQualityRow([])).toBeNull();
	});
});
