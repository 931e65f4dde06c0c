import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { handleRestRequest } from "@/server/rest/http";
import { TokenBucketLimiter } from "@/server/rest/rate-limit";
import { callerAs, organizationIdByName, useTestDb } from "@/server/test/db";
import { DEFAULT_TENANT_READS, organizationGateKey, TenantGate, tenantReadsLimit, tenantReads } from "./tenant-gate";

const db = useTestDb();

/** Whether the promise has settled after the event loop had time to run everything ready. */
async function settled(promise: Promise<unknown>) {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  return done;
}

function held() {
  let release!: () => void;
  const until = new Promise<void>((resolve) => (release = resolve));
  return { until, release };
}

describe("TenantGate", () => {
  it("runs at most `limit` pieces of one key at once, the others in arrival order, other keys alongside", async () => {
    const gate = new TenantGate(2);
    const started: string[] = [];
    const holds = new Map<string, ReturnType<typeof held>>();
    const work = (key: string, name: string) => {
      const hold = held();
      holds.set(name, hold);
      return gate.run(key, async () => {
        started.push(name);
        await hold.until;
        return name;
      });
    };
    const runs = [work("a", "a1"), work("a", "a2"), work("a", "a3"), work("a", "a4"), work("b", "b1")];
    await settled(Promise.resolve());
    expect(started).toEqual(["a1", "a2", "b1"]);
    holds.get("a2")!.release();
    await settled(Promise.resolve());
    expect(started).toEqual(["a1", "a2", "b1", "a3"]);
    holds.get("a1")!.release();
    await settled(Promise.resolve());
    expect(started).toEqual(["a1", "a2", "b1", "a3", "a4"]);
    for (const hold of holds.values()) hold.release();
    expect(await Promise.all(runs)).toEqual(["a1", "a2", "a3", "a4", "b1"]);
  });

  it("passes the turn on when a piece of work fails", async () => {
    const gate = new TenantGate(1);
    await expect(gate.run("a", () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(await gate.run("a", async () => "next")).toBe("next");
  });
});

describe("HEARTH_TENANT_READS", () => {
  it("is a whole number of reads, at least 1, with a default", () => {
    expect(tenantReadsLimit(undefined)).toBe(DEFAULT_TENANT_READS);
    expect(tenantReadsLimit(" ")).toBe(DEFAULT_TENANT_READS);
    expect(tenantReadsLimit("4")).toBe(4);
    expect(() => tenantReadsLimit("0")).toThrow(/HEARTH_TENANT_READS/);
    expect(() => tenantReadsLimit("1.5")).toThrow(/HEARTH_TENANT_READS/);
    expect(() => tenantReadsLimit("many")).toThrow(/HEARTH_TENANT_READS/);
  });
});

describe("the web's reads", () => {
  it("take turns per organization across the REST API and tRPC", async () => {
    const customer = await organizationIdByName(db, "Lumen Animation Studio");
    const rest = (key: string) =>
      handleRestRequest(new Request("http://test.local/api/v1/tasks", { headers: { Authorization: key } }), db, {
        limiter: new TokenBucketLimiter(1000, 1000),
      });
    const portal = await callerAs(db, "customer@hearth.test");

    // The customer's reads fill every turn the gate gives it.
    const gate = tenantReads();
    const hold = held();
    const holding = Array.from({ length: gate.limit }, () => gate.run(organizationGateKey(customer), () => hold.until));

    const restRead = rest("hearth-demo-key-customer");
    const portalRead = portal.compute.tasks({ page: 1, pageSize: 10 });
    // Another customer's same read, sent after them, is answered; nor are the customer's own writes held up.
    expect((await rest("hearth-demo-key-customer2")).status).toBe(200);
    await expect(portal.compute.cancelTask({ taskId: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await settled(restRead)).toBe(false);
    expect(await settled(portalRead)).toBe(false);

    hold.release();
    await Promise.all(holding);
    expect((await restRead).status).toBe(200);
    expect((await portalRead).total).toBeGreaterThanOrEqual(0);
  });
});
