/**
 * Size bounds of what is accepted, stored and sent. Meta documents 1,000 events per request and
 * no byte limit; the byte bounds here are ours, far above a real event (a Purchase with a
 * 50-line cart is about 5 KB) and low enough that one request never strains either side.
 */

/** One event as sent, serialized. An event above it can never be sent: refused at ingest. */
export const MAX_EVENT_BYTES = 64_000;
/** One request to Meta, serialized: a batch is cut by bytes as well as by count. */
export const MAX_REQUEST_BYTES = 2_000_000;

// Stored keys: the unique index on (pixel_id, event_name, event_id) must stay under Postgres's
// index row limit (about 2,700 bytes) with every character four bytes long.
export const MAX_PIXEL_ID_LENGTH = 32;
export const MAX_EVENT_NAME_LENGTH = 100;
export const MAX_EVENT_ID_LENGTH = 400;
/** A sender's delivery id (Shopify webhook id, Chatwoot delivery, a Supabase record id). */
export const MAX_DELIVERY_ID_LENGTH = 200;

/** One customer identifier before normalization (an e-mail is at most 254 characters). */
export const MAX_IDENTIFIER_LENGTH = 1_000;
/** Values of one identifier key (several e-mails or phones of one person). */
export const MAX_IDENTIFIER_VALUES = 20;
