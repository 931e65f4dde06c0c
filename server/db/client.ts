import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export function createDb(databaseUrl: string, options: { maxConnections?: number } = {}) {
  const sql = postgres(databaseUrl, { max: options.maxConnections ?? 10, onnotice: () => {} });
  return drizzle(sql, { schema, casing: undefined });
}

export type Db = ReturnType<typeof createDb>;

/** The database or an open transaction: what services that may run inside a caller's transaction take. */
export type Tx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { hearthDb?: Db };

/** The process-wide database, opened on first use from DATABASE_URL. */
export function getDb(): Db {
  if (!globalForDb.hearthDb) {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error(
        "DATABASE_URL is not set. Run `npm start` (which starts an embedded PostgreSQL) or set DATABASE_URL=postgres://user@host:5432/db.",
      );
    }
    globalForDb.hearthDb = createDb(url);
  }
  return globalForDb.hearthDb;
}

export async function closeDb(db: Db) {
  await db.$client.end({ timeout: 5 });
}
