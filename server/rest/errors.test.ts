import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, createDb } from "@/server/db/client";
import { apiKeys } from "@/server/db/schema";
import { createApiKey } from "@/server/services/api-keys";
import { organizationIdByName, userIdByEmail, useTestDb } from "@/server/test/db";
import { handleRestRequest } from "./http";

/** How the REST API answers a read that the read pool's statement timeout cancelled. */

const db = useTestDb();
const slowReads = createDb(process.env.DATABASE_URL!, { maxConnections: 2, statementTimeoutMs: 300 });
let key: { id: string; key: string };

beforeAll(async () => {
  const organizationId = await organizationIdByName(db, "Lumen Animation Studio");
  key = await createApiKey(db, { organizationId, userId: await userIdByEmail(db, "customer@hearth.test"), name: "timeout test" });
});

afterAll(async () => {
  await db.delete(apiKeys).where(eq(apiKeys.id, key.id));
  await closeDb(slowReads);
});

describe("a read that takes too long", () => {
  it("is answered 503 with Retry-After and a message that asks to try again, not a 500 with the database's words", async () => {
    const response = await db.transaction(async (tx) => {
      // Another transaction holds the tasks table: the listing waits until its timeout cancels it.
      await tx.execute(sql`lock table tasks in access exclusive mode`);
      return handleRestRequest(new Request("http://hearth.test/api/v1/tasks", { headers: { Authorization: key.key } }), slowReads);
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    const body = (await response.json()) as { message: string };
    expect(body.message).toMatch(/try again/);
    expect(body.message).not.toMatch(/statement|cancel/i);
  });
});
