import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { useTestDb } from "@/server/test/db";
import { closeDb, createDb, getReadDb, READ_STATEMENT_TIMEOUT_MS, type Db } from "./client";

const db = useTestDb();
const appName = `hearth-client-test-${process.pid}`;
/** A pool of its own, its sessions named so that they can be found and terminated. */
const subject: Db = (() => {
  const url = new URL(process.env.DATABASE_URL!);
  url.searchParams.set("application_name", appName);
  return createDb(url.toString(), { maxConnections: 2 });
})();
// At once: a connection whose session was cut mid-query may not have served its next query yet, and postgres-js would wait for it.
afterAll(() => subject.$client.end({ timeout: 0 }));

/** Ends the subject's database sessions, as a restart of PostgreSQL would. */
async function terminateSessions() {
  await db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and application_name = ${appName}`);
}

async function sessionWaiting(event: string) {
  for (let i = 0; i < 400; i++) {
    const rows = await db.execute(sql`select 1 from pg_stat_activity
      where datname = current_database() and application_name = ${appName} and wait_event = ${event}`);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no session of ${appName} waits on ${event}`);
}

const table = `client_test_${process.pid}`;

/**
 * The query, tried again once if it fails as a query may right after sessions end: sent on an
 * idle connection before the close was read (CONNECTION_CLOSED), or, in postgres-js 3.4.9, the
 * first query of a connection whose previous session was terminated during a query, which gets
 * that session's error (57P01) once. The retry is served.
 */
async function atSecondTry<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (err) {
    expect(err).toMatchObject({ cause: { code: expect.stringMatching(/^(57P01|CONNECTION_CLOSED)$/) } });
    return query();
  }
}

describe("a transaction whose connection dies", () => {
  it("fails, leaves nothing written and the process running, and the pool serves the next query", async () => {
    await db.execute(sql.raw(`create table ${table} (n int)`));
    try {
      for (const swallow of [false, true]) {
        const transaction = subject.transaction(async (tx) => {
          await tx.execute(sql.raw(`insert into ${table} values (1)`));
          // A callback that catches the error and returns must not commit either.
          const sleeping = tx.execute(sql`select pg_sleep(30)`);
          return swallow ? sleeping.catch(() => "caught") : sleeping;
        });
        const outcome = transaction.then(
          () => "committed",
          (err: unknown) => err,
        );
        await sessionWaiting("PgSleep");
        await terminateSessions();
        expect(await outcome).toMatchObject({ code: expect.stringMatching(/^(CONNECTION_CLOSED|57P01)$/) });
        // Writes after the close would throw from a timer, outside any promise: give them the chance.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const [row] = await atSecondTry(() => subject.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)));
        expect(row!.n).toBe(0);
      }
    } finally {
      await db.execute(sql.raw(`drop table ${table}`));
    }
  });

  it("leaves other errors as they were: the transaction rolls back and the error is the caller's", async () => {
    await db.execute(sql.raw(`create table ${table} (n int primary key)`));
    try {
      const failed = subject.transaction(async (tx) => {
        await tx.execute(sql.raw(`insert into ${table} values (1)`));
        await tx.execute(sql.raw(`insert into ${table} values (1)`));
      });
      await expect(failed).rejects.toMatchObject({ cause: { code: "23505" } });
      const refused = new Error("refused");
      await expect(
        subject.transaction(async (tx) => {
          await tx.execute(sql.raw(`insert into ${table} values (2)`));
          throw refused;
        }),
      ).rejects.toBe(refused);
      expect(await subject.transaction(async (tx) => tx.execute(sql.raw(`insert into ${table} values (3) returning n`)))).toHaveLength(1);
      const rows = await subject.execute<{ n: number }>(sql.raw(`select n from ${table}`));
      expect(rows.map((r) => r.n)).toEqual([3]);
    } finally {
      await db.execute(sql.raw(`drop table ${table}`));
    }
  });
});

describe("the web's read pool", () => {
  it("runs each statement on one core, without JIT, and cancels it after READ_STATEMENT_TIMEOUT_MS", async () => {
    const reads = getReadDb();
    try {
      const [settings] = await reads.execute<{ workers: string; jit: string; timeout: string }>(sql`
        select current_setting('max_parallel_workers_per_gather') as workers, current_setting('jit') as jit,
          current_setting('statement_timeout') as timeout`);
      expect(settings).toEqual({ workers: "0", jit: "off", timeout: `${READ_STATEMENT_TIMEOUT_MS / 1000}s` });
      // The writers' pool keeps the server's defaults.
      const [writer] = await db.execute<{ workers: string }>(sql`select current_setting('max_parallel_workers_per_gather') as workers`);
      expect(writer!.workers).not.toBe("0");
    } finally {
      await closeDb(reads);
    }
  });
});
