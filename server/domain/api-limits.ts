/**
 * Limits of the web's own API that its client must respect too. Client-safe.
 */

/**
 * Procedure calls per tRPC HTTP request. One request's calls run at once, each holding a database
 * connection: a larger batch would take the whole pool from every other customer. The portal's
 * client (httpBatchLink's `maxItems`) splits its batches at this size.
 */
export const TRPC_MAX_BATCH_CALLS = 10;
