/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	// The machine has 2 cores; keep one for the databases the integration tests use.
	maxWorkers: 2,
	// Integration suites start embedded Postgres (PGlite) and real servers: seconds, not ms.
	testTimeout: 60_000,
};
