/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	// The machine has 2 cores; keep one for the databases the integration tests use.
	maxWorkers: 2,
	// A worker runs many files one after the other and keeps what each leaves reachable: one grew to
	// 22 GB and was killed by the kernel mid-suite. Past 2 GB after a file, it is replaced.
	workerIdleMemoryLimit: '2GB',
	// Integration suites start embedded Postgres (PGlite) and real servers: seconds, not ms.
	testTimeout: 60_000,
	// Privacy scan: every answer, log line, database row and request to Meta of the relay services
	// the suite starts is scanned for the raw personal values the tests sent (test/support/privacy).
	globalSetup: '<rootDir>/test/support/privacy/globalSetup.ts',
	globalTeardown: '<rootDir>/test/support/privacy/globalTeardown.ts',
	setupFilesAfterEnv: ['<rootDir>/test/support/privacy/recordFetch.ts'],
};
