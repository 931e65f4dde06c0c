import { once } from "node:events";
import { connect } from "node:net";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll } from "vitest";
import { closeDb, type Db } from "@/server/db/client";
import * as schema from "@/server/db/schema";

/**
 * For tests: a database client that counts the statements it sends (transaction control
 * included) and the bytes PostgreSQL sends back, so that a test can pin what one request costs
 * and notice a loop that queries per row or a read that fetches more than it answers. Statements
 * are counted through postgres-js's `debug` hook (called once per statement built), bytes on the
 * client's own sockets.
 */
export type CountingDb = {
  db: Db;
  /** Runs `fn` and returns its result with the statements sent meanwhile, in order, and the bytes received. */
  measure<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number; statements: string[]; bytesReceived: number }>;
};

// postgres-js reads the server's array types once per connection: its own query, not ours.
const DRIVER_OWN = /pg_catalog\.pg_type/;

export function useCountingDb(): CountingDb {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the tests with `npm test`, which prepares a fresh database.");
  const { hostname, port } = new URL(url);
  let recording: string[] | null = null;
  let bytesReceived = 0;
  const options = {
    max: 4,
    onnotice: () => {},
    debug: (_connection: number, query: string) => {
      if (recording && !DRIVER_OWN.test(query)) recording.push(query.replace(/\s+/g, " ").trim());
    },
    // postgres-js takes a connected socket from this factory and speaks its protocol over it.
    socket: async () => {
      const socket = connect(Number(port || 5432), hostname || "127.0.0.1");
      await once(socket, "connect");
      socket.on("data", (data: Buffer) => {
        if (recording) bytesReceived += data.length;
      });
      return socket;
    },
  };
  // `socket` is a documented option of postgres-js that its type declarations leave out.
  const client = postgres(url, options as postgres.Options<Record<string, never>>);
  const db: Db = drizzle(client, { schema, casing: undefined });
  afterAll(() => closeDb(db));
  return {
    db,
    async measure(fn) {
      if (recording) throw new Error("measure() calls cannot overlap");
      const statements: string[] = [];
      recording = statements;
      bytesReceived = 0;
      try {
        const result = await fn();
        return { result, queries: statements.length, statements, bytesReceived };
      } finally {
        recording = null;
      }
    },
  };
}
