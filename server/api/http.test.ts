import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, createDb, getDb, getReadDb, READ_STATEMENT_TIMEOUT_MS } from "@/server/db/client";
import { TRPC_MAX_BATCH_CALLS } from "@/server/domain/api-limits";
import { createTask } from "@/server/services/tasks";
import { organizationIdByName, resetEngine, sessionUserByEmail, useTestDb } from "@/server/test/db";
import { handleTrpcRequest } from "./http";
import type { Context } from "./trpc";

/**
 * The tRPC HTTP endpoint as the route mounts it: a bounded batch size, and reads whose
 * statements time out answered as "try again", never as a fault.
 */

const db = useTestDb();
// A read pool as the web's, with a timeout short enough for a test.
const slowReads = createDb(process.env.DATABASE_URL!, { maxConnections: 2, statementTimeoutMs: 300 });
let user: Context["user"];
let taskId: string;

beforeAll(async () => {
  user = await sessionUserByEmail(db, "customer@hearth.test");
});

afterAll(async () => {
  await closeDb(slowReads);
  await closeDb(getReadDb());
  await closeDb(getDb());
});

beforeEach(async () => {
  await resetEngine(db);
  const organizationId = await organizationIdByName(db, "Lumen Animation Studio");
  taskId = (await createTask(db, { organizationId, profileName: "monte-carlo", name: "t", instanceCount: 2, constants: { paths: "1000" } })).id;
});

/** A batched GET of compute.task, `calls` times, as httpBatchLink sends queries. */
function taskBatch(calls: number): Request {
  const input = Object.fromEntries(Array.from({ length: calls }, (_, k) => [String(k), { json: { taskId } }]));
  const path = Array.from({ length: calls }, () => "compute.task").join(",");
  return new Request(`http://hearth.test/api/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
}

describe("batch size", () => {
  it("runs a batch of up to the limit, and refuses a larger one whole with a message that says how to split it", async () => {
    const ok = await handleTrpcRequest(taskBatch(TRPC_MAX_BATCH_CALLS), async () => ({ db, user }));
    expect(ok.status).toBe(200);
    const answers = (await ok.json()) as Array<{ result?: { data: { json: { id: string } } } }>;
    expect(answers.map((a) => a.result?.data.json.id)).toEqual(Array(TRPC_MAX_BATCH_CALLS).fill(taskId));

    let contexts = 0;
    const refused = await handleTrpcRequest(taskBatch(50), async () => {
      contexts += 1;
      return { db, user };
    });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { message: string } };
    expect(body.error.message).toContain(`at most ${TRPC_MAX_BATCH_CALLS} procedure calls; this one has 50`);
    expect(contexts).toBe(0);
  });
});

describe("one organization's queries", () => {
  it("run a few at a time, the rest waiting their turn, and leave connections to other customers", async () => {
    const pool = createDb(process.env.DATABASE_URL!, { maxConnections: 10 });
    const carmin = await sessionUserByEmail(db, "customer2@hearth.test");
    const waitingOnLock = async (tx: Pick<typeof db, "execute">) => {
      const [row] = await tx.execute<{ n: number }>(sql`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      return row!.n;
    };
    try {
      const { lumenCalls, blockedLumen, carminAnswered } = await db.transaction(async (tx) => {
        // compute.task reads profiles, and waits here until this transaction ends: what runs at once shows as waiting on the lock.
        await tx.execute(sql`lock table profiles in access exclusive mode`);
        const lumenCalls = handleTrpcRequest(taskBatch(TRPC_MAX_BATCH_CALLS), async () => ({ db: pool, user }));
        await new Promise((resolve) => setTimeout(resolve, 500));
        const blockedLumen = await waitingOnLock(tx);
        // Another customer's query (its task counts do not read profiles) still finds a connection meanwhile.
        const carminCall = handleTrpcRequest(
          new Request("http://hearth.test/api/trpc/compute.taskCounts?batch=1&input=%7B%7D"),
          async () => ({ db: pool, user: carmin }),
        );
        const carminAnswered = await Promise.race([
          carminCall.then((response) => response.status),
          new Promise((resolve) => setTimeout(() => resolve("still waiting"), 3000)),
        ]);
        return { lumenCalls, blockedLumen, carminAnswered };
      });
      // compute.task reads twice side by side: 3 calls at a time hold at most 6 connections.
      expect(blockedLumen).toBeGreaterThan(0);
      expect(blockedLumen).toBeLessThanOrEqual(6);
      expect(carminAnswered).toBe(200);
      expect((await lumenCalls).status).toBe(200);
    } finally {
      await closeDb(pool);
    }
  });
});

describe("reads that take too long", () => {
  it("are cancelled and answered 503 'try again', without the database's words", async () => {
    const answer = await db.transaction(async (tx) => {
      // Another transaction holds the tasks table: the read waits until its timeout cancels it.
      await tx.execute(sql`lock table tasks in access exclusive mode`);
      return handleTrpcRequest(taskBatch(1), async () => ({ db: slowReads, user }));
    });
    expect(answer.status).toBe(503);
    const [body] = (await answer.json()) as Array<{ error: { json: { message: string; data: { code: string } } } }>;
    expect(body!.error.json.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(body!.error.json.message).toMatch(/try again/);
    expect(body!.error.json.message).not.toMatch(/statement|cancel|tasks/i);
  });

  it("time out only on the web's read pool: writes, reports and the scheduler's pool run to the end", async () => {
    const [read] = await getReadDb().execute<{ statement_timeout: string }>(sql`show statement_timeout`);
    expect(read!.statement_timeout).toBe(`${READ_STATEMENT_TIMEOUT_MS / 1000}s`);
    const [write] = await getDb().execute<{ statement_timeout: string }>(sql`show statement_timeout`);
    expect(write!.statement_timeout).toBe("0");
  });
});
