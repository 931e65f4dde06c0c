import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type DbOptions = {
  maxConnections?: number;
  /** The server cancels any statement of this pool that runs longer. */
  statementTimeoutMs?: number;
  /**
   * Each statement of this pool runs on one core, without parallel workers or JIT compilation: a
   * large read is slower alone but never takes every core from the other sessions.
   */
  oneCorePerStatement?: boolean;
};

export function createDb(databaseUrl: string, options: DbOptions = {}) {
  const closes = { count: 0 };
  const sql = postgres(databaseUrl, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
    onclose: () => closes.count++,
    connection: {
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      // As text: postgres-js leaves out startup parameters whose value is falsy, 0 included.
      ...(options.oneCorePerStatement ? { max_parallel_workers_per_gather: "0", jit: "off" } : {}),
    },
  });
  return drizzle(withoutWritesAfterClose(sql, closes), { schema, casing: undefined });
}

type TransactionBody = (tx: postgres.TransactionSql) => unknown;

/**
 * Transactions whose connection dies under them (the server restarted, the session terminated)
 * must fail, not take the process down. postgres-js (3.4.9) ends a transaction whose callback
 * settled with its own ROLLBACK or COMMIT on the transaction's connection; when that connection
 * has closed meanwhile, the write lands on a socket it has already dropped and throws from a timer
 * (TypeError, "reading 'write'"): an uncaught exception, the end of the process. `begin` itself
 * rejects as soon as its connection closes, so once it has, the callback is left unsettled:
 * nothing more is written on the dead connection, the caller gets the connection's error, and
 * the pool opens a new connection for the next query.
 */
function withoutWritesAfterClose(sql: postgres.Sql, closes: { count: number }): postgres.Sql {
  const begin = sql.begin.bind(sql) as (options: string, fn: TransactionBody) => Promise<unknown>;
  const never = new Promise<never>(() => {});
  const guarded = (optionsOrFn: string | TransactionBody, maybeFn?: TransactionBody) => {
    const fn = typeof optionsOrFn === "function" ? optionsOrFn : maybeFn!;
    const options = typeof optionsOrFn === "function" ? "" : optionsOrFn;
    const closesAtStart = closes.count;
    let markClosed!: () => void;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    let isClosed = false;
    // Whether this transaction's connection is gone. A close seen by the pool (any connection's)
    // reaches `begin`'s rejection a few microtasks later: wait a turn of the event loop for it.
    const connectionGone = async () => {
      if (closes.count !== closesAtStart) await new Promise((resolve) => setImmediate(resolve));
      return isClosed;
    };
    const transaction = begin(options, async (tx) => {
      let result: unknown;
      try {
        result = await fn(tx);
      } catch (err) {
        // A lost socket fails the query before the socket's close arrives: wait a moment for it.
        if (mayEndConnection(err)) await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS))]);
        if (await connectionGone()) return never;
        throw err;
      }
      // A callback that caught its connection's error and returned must not commit either.
      if (await connectionGone()) return never;
      return result;
    });
    // Before the callback settles, `begin` rejects only because its connection closed.
    transaction.catch(() => {
      isClosed = true;
      markClosed();
    });
    return transaction;
  };
  return Object.assign(sql, { begin: guarded as unknown as postgres.Sql["begin"] });
}

/** How long an error that may end the connection waits for its close. */
const CLOSE_GRACE_MS = 200;

/** Errors the driver or PostgreSQL raise as a connection ends (lost sockets, terminated sessions, shutdowns), also as a cause. */
function mayEndConnection(err: unknown, depth = 0): boolean {
  if (typeof err !== "object" || err === null || depth > 3) return false;
  const code = String((err as { code?: unknown }).code ?? "");
  return (
    code.startsWith("CONNECT") || // CONNECTION_CLOSED, CONNECTION_DESTROYED, CONNECTION_ENDED, CONNECT_TIMEOUT
    code.startsWith("08") || // connection exceptions
    code.startsWith("57P") || // admin_shutdown, crash_shutdown, cannot_connect_now, database_dropped
    code === "25P03" || // idle in transaction session timeout
    code === "25P04" || // transaction timeout
    code === "ECONNRESET" ||
    code === "EPIPE" ||
    code === "ETIMEDOUT" ||
    mayEndConnection((err as { cause?: unknown }).cause, depth + 1)
  );
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
 * or the scheduler need), whose statements are cancelled after READ_STATEMENT_TIMEOUT_MS and run
 * on one core each, so that one customer's large read leaves the other cores to everyone else.
 */
export function getReadDb(): Db {
  globalForDb.hearthReadDb ??= createDb(databaseUrl(), { statementTimeoutMs: READ_STATEMENT_TIMEOUT_MS, oneCorePerStatement: true });
  return globalForDb.hearthReadDb;
}

export async function closeDb(db: Db) {
  await db.$client.end({ timeout: 5 });
}
