/** What an id must look like before it reaches SQL (a uuid column refuses anything else with an error). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Backends differ in how timestamps and JSON arrive (Date, text, object): one shape out. */
export function iso(value: unknown): string {
	return new Date(value as string).toISOString();
}

export function json<T>(value: unknown): T {
	return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
