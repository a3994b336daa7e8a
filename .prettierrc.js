// n8n's settings for community nodes (n8n-nodes-starter), with a wider line.
module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 120,
	// GraphQL documents are sent as written (whitespace squeezed): the contract tests match them byte for byte.
	embeddedLanguageFormatting: 'off',
};
