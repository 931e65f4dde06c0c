import { unzipSync } from "fflate";
import { beforeEach, describe, expect, it } from "vitest";
import { runInstance } from "@/server/profiles/run";
import { activeAttempts, addOutput, finish, radiatorsOf, startAll, wantHeat } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { taskArchive } from "./task-archive";
import { contactSheet, getOutput, listOutputs, taskResult } from "./task-outputs";
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

/** Runs each instance's real program, stores its outputs as its gateway would, and ends them. */
async function runTask(profileName: string, constants: Record<string, string>, numbers: number[], failed: number[] = []) {
  const spec = profileName === "render" ? { instanceRanges: numbers.join(",") } : { instanceCount: numbers.length };
  const task = await createTask(db, { organizationId: lumen, profileName, name: profileName, ...spec, constants, maxRetriesPerInstance: 0, now });
  await startAll(db, task.id, now);
  for (const attempt of await activeAttempts(db, task.id)) {
    for (const output of runInstance(profileName, constants, attempt.instanceNumber).outputs) {
      await addOutput(db, attempt, output.name, output.contentType, output.content);
    }
  }
  await finish(db, task.id, numbers.filter((n) => !failed.includes(n)), "succeeded", now);
  if (failed.length > 0) await finish(db, task.id, failed, "failed", now);
  return task.id;
}

/** Reads the stream as a browser would, chunk by chunk, and unzips what arrived. */
async function unzip(stream: ReadableStream<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
  return unzipSync(new Uint8Array(Buffer.concat(chunks)));
}

describe("taskArchive", () => {
  it("holds every succeeded output and the pooled price as JSON and CSV, for its own organization only", async () => {
    const taskId = await runTask("monte-carlo", { paths: "5000", seed: "3" }, [0, 1, 2], [1]);
    expect(await taskArchive(db, { organizationId: carmin, taskId })).toBeNull();
    expect(await taskArchive(db, { organizationId: lumen, taskId: "not-a-task" })).toBeNull();

    const files = await unzip((await taskArchive(db, { organizationId: lumen, taskId }))!);
    expect(Object.keys(files)).toEqual(["result/price-summary.json", "result/price-summary.csv", "instance-0/result.json", "instance-2/result.json"]);
    for (const o of (await listOutputs(db, { organizationId: lumen, taskId }))!) {
      const stored = await getOutput(db, { organizationId: lumen, taskId, outputId: o.id });
      expect(Buffer.from(files[`instance-${o.instanceNumber}/${o.name}`]!).equals(stored!.content)).toBe(true);
    }
    const result = await taskResult(db, { organizationId: lumen, taskId });
    if (result?.kind !== "monte-carlo") throw new Error("expected a price");
    const summary = JSON.parse(Buffer.from(files["result/price-summary.json"]!).toString("utf8"));
    expect(summary).toMatchObject({ price: result.price, standardError: result.standardError, instances: 2, paths: 10_000 });
    const [header, row] = Buffer.from(files["result/price-summary.csv"]!).toString("utf8").trim().split("\r\n");
    expect(header!.split(",").slice(0, 6)).toEqual(["price", "standard_error", "ci95_low", "ci95_high", "paths", "instances"]);
    expect(Number(row!.split(",")[0])).toBe(result.price);
  });

  it("holds a render's frames and its contact sheet", async () => {
    const taskId = await runTask("render", { width: "32", height: "24", samples: "1" }, [1, 2]);
    const files = await unzip((await taskArchive(db, { organizationId: lumen, taskId }))!);
    const names = Object.keys(files);
    expect(names[0]).toBe("result/contact-sheet.png");
    expect(names.slice(1).every((n) => /^instance-[12]\//.test(n))).toBe(true);
    expect(names.some((n) => n.endsWith(".png") && n.startsWith("instance-1/"))).toBe(true);
    const sheet = await contactSheet(db, { organizationId: lumen, taskId });
    expect(Buffer.from(files["result/contact-sheet.png"]!).equals(sheet!)).toBe(true);
  });

  it("is an empty archive for a task with no output yet", async () => {
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "mc", instanceCount: 1, now });
    expect(await unzip((await taskArchive(db, { organizationId: lumen, taskId: task.id }))!)).toEqual({});
  });
});
