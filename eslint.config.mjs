// The package's nodes, credentials and package.json get exactly the rules of n8n's CLI
// (`n8n-node lint`), the same rule sets n8n's community-package scanner applies. Tests, scripts
// and the service get TypeScript's recommended rules only: they never ship in the package.
import { config as n8nCommunity } from '@n8n/node-cli/eslint';
import tseslint from 'typescript-eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', '.relay-data/**'] },
	...n8nCommunity.map((block) => ({ ...block, ignores: [...(block.ignores ?? []), 'test/**', 'scripts/**', 'service/**'] })),
	...tseslint.configs.recommended.map((block) => ({ ...block, files: ['test/**/*.ts', 'service/**/*.ts'] })),
];
