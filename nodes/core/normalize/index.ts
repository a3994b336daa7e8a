export * from './hash';
export * from './fields';
export * from './dob';
export * from './userData';
export * from './audience';
export { countryCodeOf } from './countries';
