/**
 * Set when the suite runs under faketime (`npm run test:moved-clock`). This process's clock is
 * then moved but PostgREST's is not: the JWTs the tests issue would lie in its future.
 */
export const clockMoved = process.env.FAKETIME !== undefined;

/** The storage backends a suite can run on under this process's clock. */
export const backendsForThisClock = <T extends string>(all: readonly T[]): T[] =>
	all.filter((b) => !clockMoved || b !== 'supabase');
