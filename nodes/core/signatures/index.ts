export { safeEqual } from './compare';
export * from './shopify';
export * from './chatwoot';
export * from './hubspot';
export * from './relay';
