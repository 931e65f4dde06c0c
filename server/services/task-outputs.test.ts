import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { instanceOutputs, instances, taskArtifacts } from "@/server/db/schema";
import { blackScholesPrice } from "@/server/domain/option-pricing";
import { runInstance } from "@/server/profiles/run";
import { activeAttempts, addOutput, finish, radiatorsOf, startAll, wantHeat } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { contactSheet, getOutput, listOutputs, outputsPage, taskResult } from "./task-outputs";
import { createTask } from "./tasks";

const db = useTestDb();
const now = new Date("2026-01-15T10:00:00Z");
let lumen: string;
let carmin: string;

beforeEach(async () => {
  await resetEngine(db);
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
  await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 6), 4, now);
});

/** Runs the profile's real program for the instance and stores its outputs as its gateway would. */
async function runAndStore(taskId: string, profileName: string, constants: Record<string, string>, instanceNumber: number) {
  const attempt = (await activeAttempts(db, taskId)).find((a) => a.instanceNumber === instanceNumber)!;
  for (const output of runInstance(profileName, constants, instanceNumber).outputs) {
    await addOutput(db, attempt, output.name, output.contentType, output.content);
  }
}

describe("monte-carlo results", () => {
  it("lists the outputs of succeeded attempts only, and pools their prices", async () => {
    const constants = { paths: "20000", seed: "7" };
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "mc", instanceCount: 3, constants, maxRetriesPerInstance: 0, now });
    await startAll(db, task.id, now);
    for (const n of [0, 1, 2]) await runAndStore(task.id, "monte-carlo", constants, n);
    await finish(db, task.id, [0, 2], "succeeded", now);
    await finish(db, task.id, [1], "failed", now); // its result.json is not a result

    expect(await listOutputs(db, { organizationId: carmin, taskId: task.id })).toBeNull();
    const outputs = await listOutputs(db, { organizationId: lumen, taskId: task.id });
    expect(outputs!.map((o) => [o.instanceNumber, o.name, o.contentType])).toEqual([
      [0, "result.json", "application/json"],
      [2, "result.json", "application/json"],
    ]);
    // A page at a time, each file saying whether another instance wrote one of the same name.
    expect(await outputsPage(db, { organizationId: carmin, taskId: task.id, page: 1, pageSize: 1 })).toBeNull();
    const second = await outputsPage(db, { organizationId: lumen, taskId: task.id, page: 2, pageSize: 1 });
    expect(second!.total).toBe(2);
    expect(second!.outputs.map((o) => [o.id, o.instanceNumber, o.nameShared])).toEqual([[outputs![1]!.id, 2, true]]);
    expect(await outputsPage(db, { organizationId: lumen, taskId: task.id, page: 3, pageSize: 1 })).toEqual({ outputs: [], total: 2 });
    const file = await getOutput(db, { organizationId: lumen, taskId: task.id, outputId: outputs![0]!.id });
    expect(JSON.parse(file!.content.toString("utf8"))).toMatchObject({ profile: "monte-carlo", instanceNumber: 0 });
    expect(await getOutput(db, { organizationId: carmin, taskId: task.id, outputId: outputs![0]!.id })).toBeNull();
    // The failed attempt's file exists but is not downloadable as a result.
    const [failed] = await db
      .select({ id: instanceOutputs.id })
      .from(instanceOutputs)
      .innerJoin(instances, eq(instances.id, instanceOutputs.instanceId))
      .where(and(eq(instances.taskId, task.id), eq(instances.instanceNumber, 1)));
    expect(await getOutput(db, { organizationId: lumen, taskId: task.id, outputId: failed!.id })).toBeNull();

    expect(await taskResult(db, { organizationId: carmin, taskId: task.id })).toBeNull();
    const result = await taskResult(db, { organizationId: lumen, taskId: task.id });
    expect(result).toMatchObject({ kind: "monte-carlo", instances: 2, paths: 40_000 });
    if (result?.kind !== "monte-carlo") throw new Error("expected a price");
    const exact = blackScholesPrice({ spot: 100, strike: 100, rate: 0.05, volatility: 0.2, maturityYears: 1, right: "call" });
    expect(Math.abs(result.price - exact)).toBeLessThan(5 * result.standardError);
    expect(result.ci95Low).toBeLessThan(result.price);
    expect(result.ci95High).toBeGreaterThan(result.price);
  });

  it("has no result before the first instance succeeds", async () => {
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "mc", instanceCount: 1, now });
    expect(await taskResult(db, { organizationId: lumen, taskId: task.id })).toMatchObject({ kind: "none" });
    const docker = await createTask(db, {
      organizationId: lumen,
      profileName: "docker-batch",
      name: "d",
      instanceCount: 1,
      constants: { image: "alpine", command: "true" },
      now,
    });
    expect(await taskResult(db, { organizationId: lumen, taskId: docker.id })).toEqual({ kind: "none" });
  });
});

describe("render results", () => {
  it("builds the contact sheet once, and again when more frames arrive", async () => {
    const constants = { width: "32", height: "24", samples: "1" };
    const task = await createTask(db, { organizationId: lumen, profileName: "render", name: "frames", instanceRanges: "1-3", constants, now });
    expect(await contactSheet(db, { organizationId: lumen, taskId: task.id })).toBeNull();
    await startAll(db, task.id, now);
    for (const n of [1, 2, 3]) await runAndStore(task.id, "render", constants, n);
    await finish(db, task.id, [1, 2], "succeeded", now);

    expect(await contactSheet(db, { organizationId: carmin, taskId: task.id })).toBeNull();
    const sheet = await contactSheet(db, { organizationId: lumen, taskId: task.id });
    expect(sheet!.subarray(1, 4).toString("latin1")).toBe("PNG");
    const [cached] = await db.select().from(taskArtifacts).where(eq(taskArtifacts.taskId, task.id));
    expect(cached).toMatchObject({ name: "contact-sheet.png", builtFromOutputs: 2, sizeBytes: sheet!.length });
    // Served from the cache while no frame arrives.
    await db.update(taskArtifacts).set({ content: Buffer.from("cached") }).where(eq(taskArtifacts.taskId, task.id));
    expect((await contactSheet(db, { organizationId: lumen, taskId: task.id }))!.toString()).toBe("cached");

    await finish(db, task.id, [3], "succeeded", now);
    const result = await taskResult(db, { organizationId: lumen, taskId: task.id });
    const [rebuilt] = await db.select().from(taskArtifacts).where(eq(taskArtifacts.taskId, task.id));
    expect(rebuilt!.builtFromOutputs).toBe(3);
    expect(result).toEqual({ kind: "render", frames: 3, contactSheet: { name: "contact-sheet.png", sizeBytes: rebuilt!.sizeBytes } });
    expect((await outputsPage(db, { organizationId: lumen, taskId: task.id, page: 1, pageSize: 50 }))!.outputs.some((o) => o.nameShared)).toBe(false);
    expect((await listOutputs(db, { organizationId: lumen, taskId: task.id }))!.map((o) => o.name)).toEqual([
      "frame-0001.png",
      "frame-0002.png",
      "frame-0003.png",
    ]);
  });
});
