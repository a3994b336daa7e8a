export * from './types';
export * from './graph';
export * from './hubspot';
export * from './shopify';
export * from './redact';
