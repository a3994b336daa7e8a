/**
 * Answers of Meta's Dataset Quality API (GET /{version}/dataset_quality) in the shape its
 * documentation shows for each metric (event match quality with match-key feedback and
 * diagnostics, event coverage, dedupe-key feedback, data freshness, ACR), put together as one
 * answer for every field the reader asks for; and the errors the Graph API gives for a token
 * without the permission, an expired token and throttling.
 */
export const QUALITY_ANSWER = {
	web: [
		{
			event_name: 'Purchase',
			event_match_quality: {
				composite_score: 7.2,
				match_key_feedback: [
					{ identifier: 'email', coverage: { percentage: 100 } },
					{ identifier: 'ip_address', coverage: { percentage: 99.9 } },
					{ identifier: 'phone', coverage: { percentage: 62.5 } },
				],
				diagnostics: [
					{
						name: 'Server sending mismatched IP addresses',
						description:
							'Your server is sending client IP addresses that do not match those from Meta Pixel. This may impact the attribution and optimization of your ad campaigns.',
						solution: 'In your server payload, send the client_ip_address retrieved from customer interactions.',
						percentage: 61.5,
						affected_event_count: 19567,
						total_event_count: 31830,
					},
				],
			},
			event_coverage: { percentage: 34.1, goal_percentage: 75 },
			dedupe_key_feedback: [
				{
					dedupe_key: 'event_id',
					browser_events_with_dedupe_key: { percentage: 100 },
					server_events_with_dedupe_key: { percentage: 100 },
					overall_browser_coverage_from_dedupe_key: { percentage: 14.8 },
				},
				{
					dedupe_key: 'fbp',
					browser_events_with_dedupe_key: { percentage: 0 },
					server_events_with_dedupe_key: { percentage: 0 },
					overall_browser_coverage_from_dedupe_key: { percentage: 0 },
				},
			],
			data_freshness: { upload_frequency: 'real_time' },
			acr: { percentage: 37.9 },
		},
		{
			event_name: 'Lead',
			event_match_quality: {
				composite_score: 6.2,
				match_key_feedback: [
					{ identifier: 'user_agent', coverage: { percentage: 100 } },
					{ identifier: 'external_id', coverage: { percentage: 100 } },
				],
			},
			data_freshness: { upload_frequency: 'hourly' },
		},
	],
};

/** QUALITY_ANSWER's two events as the core reader gives them, one row each. */
export const QUALITY_ROWS = [
	{
		event_name: 'Purchase',
		composite_score: 7.2,
		match_keys: { email: 100, ip_address: 99.9, phone: 62.5 },
		event_coverage: 34.1,
		event_coverage_goal: 75,
		dedupe_keys: {
			event_id: { browser: 100, server: 100, overall_browser_coverage: 14.8 },
			fbp: { browser: 0, server: 0, overall_browser_coverage: 0 },
		},
		data_freshness: 'real_time',
		acr: 37.9,
		diagnostics: [
			{
				name: 'Server sending mismatched IP addresses',
				description: QUALITY_ANSWER.web[0].event_match_quality.diagnostics![0].description,
				solution: QUALITY_ANSWER.web[0].event_match_quality.diagnostics![0].solution,
				percentage: 61.5,
				affected_event_count: 19567,
				total_event_count: 31830,
			},
		],
	},
	{
		event_name: 'Lead',
		composite_score: 6.2,
		match_keys: { user_agent: 100, external_id: 100 },
		event_coverage: null,
		event_coverage_goal: null,
		dedupe_keys: {},
		data_freshness: 'hourly',
		acr: null,
		diagnostics: [],
	},
];

/** A token whose app or system user may not read the dataset's quality. */
export const NO_PERMISSION = {
	error: {
		message: '(#200) Requires ads_read permission to manage the object',
		type: 'OAuthException',
		code: 200,
		fbtrace_id: 'AbCdEfPermission',
	},
};

export const TOKEN_EXPIRED = {
	error: {
		message: 'Error validating access token: Session has expired.',
		type: 'OAuthException',
		code: 190,
		error_subcode: 463,
		fbtrace_id: 'AbCdEfExpired',
	},
};

export const USER_THROTTLED = {
	error: {
		message: 'User request limit reached',
		type: 'OAuthException',
		code: 17,
		error_subcode: 2446079,
		is_transient: true,
		fbtrace_id: 'AbCdEfThrottled',
	},
};

/** The usage header Meta sends with a throttling answer: access comes back in 7 minutes. */
export const THROTTLED_USAGE_HEADER = JSON.stringify({
	'1234567890': [
		{ type: 'ads_management', call_count: 100, total_cputime: 12, total_time: 14, estimated_time_to_regain_access: 7 },
	],
});
