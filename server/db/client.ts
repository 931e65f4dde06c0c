import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

/** With `statementTimeoutMs`, the server cancels any statement of this pool that runs longer. */
export function createDb(databaseUrl: string, options: { maxConnections?: number; statementTimeoutMs?: number } = {}) {
  const sql = postgres(databaseUrl, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
    connection: options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {},
  });
  return drizzle(sql, { schema, casing: undefined });
}

export type Db = ReturnType<typeof createDb>;

/** The database or an open transaction: what services that may run inside a caller's transaction take. */
export type Tx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Statements of the web's reads (tRPC queries, REST GETs) that run longer are cancelled: the
 * caller is asked to try again, and the connection goes back to the others.
 */
export const READ_STATEMENT_TIMEOUT_MS = 5_000;

const globalForDb = globalThis as unknown as { hearthDb?: Db; hearthReadDb?: Db };

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Run `npm start` (which starts an embedded PostgreSQL) or set DATABASE_URL=postgres://user@host:5432/db.",
    );
  }
  return url;
}

/** The process-wide database, opened on first use from DATABASE_URL: writes, the scheduler, the device protocol. */
export function getDb(): Db {
  globalForDb.hearthDb ??= createDb(databaseUrl());
  return globalForDb.hearthDb;
}

/**
 * The web's reads: a pool of its own (a slow read never holds a connection that writes, reports
 * or the scheduler need), whose statements are cancelled after READ_STATEMENT_TIMEOUT_MS.
 */
export function getReadDb(): Db {
  globalForDb.hearthReadDb ??= createDb(databaseUrl(), { statementTimeoutMs: READ_STATEMENT_TIMEOUT_MS });
  return globalForDb.hearthReadDb;
}

export async function closeDb(db: Db) {
  await db.$client.end({ timeout: 5 });
}
