export * from './types';
export * from './time';
export * from './validate';
export * from './build';
export * from './batch';
export * from './bisect';
export * from './appSecretProof';
export * from './limits';
