declare module 'capi-param-builder-nodejs/src/piiUtil/PIIUtil' {
	export function getNormalizedPII(value: string, type: string): string | null;
}
