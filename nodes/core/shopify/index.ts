export * from './types';
export * from './clickIds';
export * from './order';
export * from './contentIds';
export * from './customer';
export * from './hubspot';
export * from './topics';
