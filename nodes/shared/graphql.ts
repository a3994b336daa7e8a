/**
 * A GraphQL document written over several lines for reading, sent on one: every run of
 * whitespace becomes a single space, so the request body stays small and stable.
 */
export function graphql(strings: TemplateStringsArray, ...values: Array<string | number>): string {
	return strings
		.reduce((text, part, i) => text + part + (i < values.length ? String(values[i]) : ''), '')
		.replace(/\s+/g, ' ')
		.trim();
}
