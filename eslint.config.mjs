// The rule sets of n8n's CLI (`n8n-node lint`, @n8n/node-cli 0.48) and of its community-package
// scanner, applied to what ships: nodes, credentials and package.json. Only eslint-plugin-import-x
// is left out: its native resolver has no build for this registry, and tsc already checks imports.
// Tests, scripts and the service never ship: TypeScript's recommended rules only.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const notShipped = ['test/**', 'scripts/**', 'service/**', 'bench/**'];
const community = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'coverage/**',
			'**/*.js',
			'**/*.mjs',
			'.relay-data/**',
			'service/.bench-dist/**',
		],
	},
	{
		files: ['**/*.ts'],
		ignores: notShipped,
		extends: [js.configs.recommended, tseslint.configs.recommended, community],
		rules: { 'prefer-spread': 'off', 'no-console': 'error' },
	},
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['package.json'],
		extends: [community],
		rules: { ...n8nNodesBase.configs.community.rules },
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{ files: ['test/**/*.ts', 'service/**/*.ts', 'bench/**/*.ts'], extends: [tseslint.configs.recommended] },
);
