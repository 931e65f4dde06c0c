import { asc, eq, inArray } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { customerQuotas, instances, radiatorStates, taskDependencies, tasks } from "@/server/db/schema";
import { finish, radiatorsOf, startAll, wantHeat } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { ConflictError, InvalidInputError, QuotaExceededError } from "./errors";
import { activeAttemptsOnRadiators, finishAttempt } from "./scheduler";
import {
  cancelInstances,
  cancelTask,
  createJob,
  createTask,
  createTasks,
  customerProfiles,
  deleteTask,
  getJob,
  listJobs,
  rerunFailedInstances,
  terminateJob,
  updateTask,
} from "./tasks";

const db = useTestDb();
const now = new Date("2026-01-15T10:00:00Z");
const later = new Date("2026-01-15T10:05:00Z");
let lumen: string;
let carmin: string;

beforeEach(async () => {
  await resetEngine(db);
  await db.delete(customerQuotas);
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
});

const mc = (organizationId: string, extra: Partial<Parameters<typeof createTask>[1]> = {}) =>
  createTask(db, { organizationId, profileName: "monte-carlo", name: "mc", instanceCount: 4, constants: { paths: "1000" }, now, ...extra });

async function instanceStates(taskId: string) {
  const rows = await db
    .select({ n: instances.instanceNumber, state: instances.state, attemptCount: instances.attemptCount, maxAttempts: instances.maxAttempts })
    .from(instances)
    .where(eq(instances.taskId, taskId))
    .orderBy(asc(instances.instanceNumber));
  return rows;
}

async function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

describe("createTask", () => {
  it("keeps short names unique per account, not across accounts", async () => {
    await mc(lumen, { shortname: "pricing-1" });
    const error = await refusal(mc(lumen, { shortname: "pricing-1" }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: "shortname" });
    await expect(mc(carmin, { shortname: "pricing-1" })).resolves.toMatchObject({ shortname: "pricing-1" });
  });

  it("keeps donated research to the operator, and shortnames that could pass for an id out", async () => {
    const research = { profileName: "research", constants: {} };
    expect(await refusal(mc(lumen, research))).toMatchObject({ field: "profile", message: expect.stringContaining("donated") });
    const donated = await mc(await organizationIdByName(db, "Hearth Operations"), { ...research, donated: true });
    expect(donated.donated).toBe(true);
    const uuidLike = "0b7c3f0e-1d2a-4c5b-9e8f-7a6b5c4d3e2f";
    expect(await refusal(mc(lumen, { shortname: uuidLike }))).toMatchObject({ field: "shortname" });
    expect(await refusal(createJob(db, { organizationId: lumen, name: "j", shortname: uuidLike }))).toMatchObject({ field: "shortname" });
    expect((await customerProfiles(db)).map((p) => p.name)).not.toContain("research");
  });

  it("checks the constants against the profile", async () => {
    const error = await refusal(mc(lumen, { constants: { spot: "-5" } }));
    expect(error).toMatchObject({ field: "constants", message: expect.stringContaining('Constant "spot" must be greater than 0') });
    const docker = await refusal(
      createTask(db, { organizationId: lumen, profileName: "docker-batch", name: "d", instanceCount: 1, constants: { image: "alpine" }, now }),
    );
    expect(docker).toMatchObject({ field: "constants", message: expect.stringContaining('"command" is required') });
  });

  it("refuses a job of another account, and a terminated job", async () => {
    const theirs = await createJob(db, { organizationId: carmin, name: "theirs" });
    expect(await refusal(mc(lumen, { jobId: theirs.id }))).toMatchObject({ field: "jobId" });
    expect(await refusal(mc(lumen, { jobId: "not-a-uuid" }))).toMatchObject({ field: "jobId" });
    const mine = await createJob(db, { organizationId: lumen, name: "mine" });
    await terminateJob(db, { organizationId: lumen, jobId: mine.id, now });
    expect(await refusal(mc(lumen, { jobId: mine.id }))).toMatchObject({ field: "jobId", message: expect.stringContaining("terminated") });
  });

  it("refuses work beyond the account's quota of active instances", async () => {
    await db.insert(customerQuotas).values({ organizationId: lumen, maxActiveInstances: 10 });
    const first = await mc(lumen, { instanceCount: 8 });
    const error = await refusal(mc(lumen, { instanceCount: 3 }));
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect((error as Error).message).toContain("11");
    // Another account has no quota row: the default quota, far above.
    await expect(mc(carmin, { instanceCount: 50 })).resolves.toBeDefined();
    // Cancelled work frees the quota.
    await cancelInstances(db, { organizationId: lumen, taskId: first.id, instanceNumbers: [0, 1, 2], now });
    await expect(mc(lumen, { instanceCount: 5 })).resolves.toBeDefined();
  });
});

describe("the default quota", () => {
  it("limits an account without a quota row: instances per request, and active instances", async () => {
    const base = { organizationId: lumen, profileName: "monte-carlo", name: "mc", constants: { paths: "1000" }, now };
    // Each with its estimate: 100,000 monte-carlo instances of 2 core-minutes at 25 c per core-hour, 5/6 c each.
    expect(await createTasks(db, [{ ...base, instanceCount: 100_000 }])).toEqual([{ task: expect.anything(), estimateCents: 83_333, budgetAlert: null }]);
    // One request: the task that passes 100,000 instances is refused, those before it stand.
    const [kept, over] = await createTasks(db, [
      { ...base, name: "kept", instanceCount: 60_000 },
      { ...base, name: "over", instanceCount: 50_000 },
    ]);
    expect(kept).toHaveProperty("task");
    expect((over as { error: Error }).error).toBeInstanceOf(QuotaExceededError);
    expect((over as { error: Error }).error.message).toContain("at most 100,000 instances");
    // 160,000 active: 40,001 more would pass the default 200,000.
    const error = await refusal(mc(lumen, { instanceCount: 40_001 }));
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect((error as Error).message).toContain("above your quota of 200,000");
    await expect(mc(lumen, { instanceCount: 40_000 })).resolves.toBeDefined();
    // A quota row of the operator's replaces the default.
    await db.insert(customerQuotas).values({ organizationId: lumen, maxActiveInstances: 300_000 });
    await expect(mc(lumen, { instanceCount: 1 })).resolves.toBeDefined();
  });
});

describe("createTasks", () => {
  it("takes a dependency named twice (in any case) as one", async () => {
    const first = await mc(lumen, { instanceCount: 1 });
    const base = { organizationId: lumen, profileName: "monte-carlo", name: "mc", constants: { paths: "1000" }, now };
    const [created] = await createTasks(db, [{ ...base, instanceCount: 1, dependsOnTaskIds: [first.id, first.id.toUpperCase()] }]);
    expect(created).toHaveProperty("task");
    const links = await db.select().from(taskDependencies).where(eq(taskDependencies.dependsOnTaskId, first.id));
    expect(links).toHaveLength(1);
  });

  it("creates each task on its own, in order: one refused creates nothing and takes no quota", async () => {
    await db.insert(customerQuotas).values({ organizationId: lumen, maxActiveInstances: 10 });
    const first = await mc(lumen, { instanceCount: 1 });
    const base = { organizationId: lumen, profileName: "monte-carlo", name: "mc", constants: { paths: "1000" }, now };
    const results = await createTasks(db, [
      { ...base, name: "a", instanceCount: 3 },
      { ...base, name: "bad", instanceCount: 1, constants: { spot: "-5" } },
      { ...base, name: "b", instanceRanges: "5-7", shortname: "s" },
      { ...base, name: "same shortname", instanceCount: 1, shortname: "s" },
      { ...base, name: "too many", instanceCount: 4 },
      { ...base, name: "after", instanceCount: 2, dependsOnTaskIds: [first.id] },
      { ...base, name: "depends on nothing known", instanceCount: 1, dependsOnTaskIds: ["0b7c3f0e-1d2a-4c5b-9e8f-7a6b5c4d3e2f"] },
    ]);
    expect(results.map((r) => ("task" in r ? r.task.name : (r.error as InvalidInputError).field ?? r.error.name))).toEqual([
      "a",
      "constants",
      "b",
      "shortname",
      "QuotaExceededError",
      "after",
      "dependsOn",
    ]);
    // The quota counts the tasks accepted before: 1 + 3 + 3 active, 4 more would make 11.
    expect((results[4] as { error: Error }).error.message).toContain("to 11, above your quota of 10 (7 active now)");

    // Instances are numbered in the tasks' order, then by number; one waits for the task it depends on.
    const rows = await db
      .select({ taskId: instances.taskId, n: instances.instanceNumber, state: instances.state })
      .from(instances)
      .where(inArray(instances.taskId, results.flatMap((r) => ("task" in r ? [r.task.id] : []))))
      .orderBy(asc(instances.id));
    const names = new Map(results.flatMap((r) => ("task" in r ? [[r.task.id, r.task.name] as const] : [])));
    expect(rows.map((r) => [names.get(r.taskId), r.n, r.state])).toEqual([
      ["a", 0, "queued"],
      ["a", 1, "queued"],
      ["a", 2, "queued"],
      ["b", 5, "queued"],
      ["b", 6, "queued"],
      ["b", 7, "queued"],
      ["after", 0, "waiting"],
      ["after", 1, "waiting"],
    ]);
    const [b] = await db.select().from(tasks).where(eq(tasks.shortname, "s"));
    expect(b).toMatchObject({ name: "b", instanceRanges: "5-7", instanceCount: 3 });
    expect(await createTasks(db, [])).toEqual([]);
  });
});

describe("cancelInstances", () => {
  it("cancels queued instances at once and stops running ones through their gateway", async () => {
    const rads = await radiatorsOf(db, "Résidence Balard", 2);
    await wantHeat(db, rads, 1, now);
    const task = await mc(lumen, { instanceCount: 6 });
    const running = await startAll(db, task.id, now);
    expect(running.map((a) => a.instanceNumber)).toEqual([0, 1]);

    expect(await cancelInstances(db, { organizationId: carmin, taskId: task.id, instanceNumbers: [0], now })).toBeNull();
    expect(await cancelInstances(db, { organizationId: lumen, taskId: task.id, instanceNumbers: [0, 3, 99], now })).toBe(2);
    expect((await instanceStates(task.id)).map((i) => i.state)).toEqual(["cancelled", "running", "queued", "cancelled", "queued", "queued"]);

    // The attempt stays on its radiator, holding its cores, and the gateway is told to stop it.
    const onRadiators = await activeAttemptsOnRadiators(db, rads);
    expect(onRadiators.map((a) => [a.instanceNumber, a.cancelRequested])).toEqual([
      [0, true],
      [1, false],
    ]);
    const [held] = await db
      .select({ coresAssigned: radiatorStates.coresAssigned })
      .from(radiatorStates)
      .where(eq(radiatorStates.radiatorId, onRadiators[0]!.radiatorId));
    expect(held!.coresAssigned).toBe(1);

    // Whatever the gateway then reports, the instance stays cancelled and is not retried.
    await finishAttempt(db, { attemptId: running[0]!.attemptId, outcome: "failed", exitCode: 137, endedAt: later });
    expect((await instanceStates(task.id))[0]).toMatchObject({ state: "cancelled", attemptCount: 1 });
    expect(await activeAttemptsOnRadiators(db, rads)).toHaveLength(1);
    // An ended instance is not cancelled again.
    expect(await cancelInstances(db, { organizationId: lumen, taskId: task.id, instanceNumbers: [0], now: later })).toBe(0);
  });

  it("ends the task when its last active instances are cancelled", async () => {
    const task = await mc(lumen, { instanceCount: 2 });
    expect(await cancelInstances(db, { organizationId: lumen, taskId: task.id, instanceNumbers: [0, 1], now })).toBe(2);
    const [row] = await db.select({ endedAt: tasks.endedAt }).from(tasks).where(eq(tasks.id, task.id));
    expect(row!.endedAt).toEqual(now);
  });
});

describe("rerunFailedInstances", () => {
  it("queues only the failed instances again, with a fresh budget, and reopens the task", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 4), 1, now);
    const task = await mc(lumen, { instanceCount: 4, maxRetriesPerInstance: 0 });
    await startAll(db, task.id, now);
    await finish(db, task.id, [0, 3], "succeeded", later);
    await finish(db, task.id, [1, 2], "failed", later);
    expect((await instanceStates(task.id)).map((i) => i.state)).toEqual(["succeeded", "failed", "failed", "succeeded"]);

    expect(await rerunFailedInstances(db, { organizationId: carmin, taskId: task.id, now: later })).toBeNull();
    expect(await rerunFailedInstances(db, { organizationId: lumen, taskId: task.id, now: later })).toBe(2);
    expect(await instanceStates(task.id)).toEqual([
      { n: 0, state: "succeeded", attemptCount: 1, maxAttempts: 1 },
      { n: 1, state: "queued", attemptCount: 1, maxAttempts: 2 },
      { n: 2, state: "queued", attemptCount: 1, maxAttempts: 2 },
      { n: 3, state: "succeeded", attemptCount: 1, maxAttempts: 1 },
    ]);
    const [row] = await db.select({ endedAt: tasks.endedAt }).from(tasks).where(eq(tasks.id, task.id));
    expect(row!.endedAt).toBeNull();
    // Nothing failed any more: nothing to rerun.
    expect(await rerunFailedInstances(db, { organizationId: lumen, taskId: task.id, now: later })).toBe(0);
  });

  it("checks the quota, and waits for a cancellation to finish", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 3), 1, now);
    const task = await mc(lumen, { instanceCount: 3, maxRetriesPerInstance: 0 });
    await startAll(db, task.id, now);
    await finish(db, task.id, [0, 1], "failed", later);
    await db.insert(customerQuotas).values({ organizationId: lumen, maxActiveInstances: 2 });
    expect(await refusal(rerunFailedInstances(db, { organizationId: lumen, taskId: task.id, now: later }))).toBeInstanceOf(QuotaExceededError);
    await db.delete(customerQuotas);

    // Instance 2 still runs: the cancellation is under way.
    await cancelTask(db, { organizationId: lumen, taskId: task.id, now: later });
    expect(await refusal(rerunFailedInstances(db, { organizationId: lumen, taskId: task.id, now: later }))).toBeInstanceOf(ConflictError);
  });
});

describe("deleteTask", () => {
  it("deletes an ended task of the account only", async () => {
    const task = await mc(lumen, { instanceCount: 2 });
    await cancelInstances(db, { organizationId: lumen, taskId: task.id, instanceNumbers: [0, 1], now });
    expect(await deleteTask(db, { organizationId: carmin, taskId: task.id, now })).toBe(false);
    expect(await deleteTask(db, { organizationId: lumen, taskId: task.id, now })).toBe(true);
    expect(await db.select().from(tasks).where(eq(tasks.id, task.id))).toEqual([]);
    expect(await deleteTask(db, { organizationId: lumen, taskId: task.id, now })).toBe(false);
  });

  it("cancels a running task, and deletes it once its radiators have stopped", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 1), 1, now);
    const task = await mc(lumen, { instanceCount: 3 });
    await startAll(db, task.id, now);
    const stopping = await refusal(deleteTask(db, { organizationId: lumen, taskId: task.id, now }));
    expect(stopping).toBeInstanceOf(ConflictError);
    expect(stopping).toMatchObject({ message: expect.stringContaining("still stopping") });
    // Cancelled meanwhile: what was queued, at once.
    expect((await instanceStates(task.id)).map((i) => i.state)).toEqual(["running", "cancelled", "cancelled"]);
    await finish(db, task.id, [0], "cancelled", later);
    expect(await deleteTask(db, { organizationId: lumen, taskId: task.id, now: later })).toBe(true);
  });

  it("refuses while an unfinished task depends on it", async () => {
    const first = await mc(lumen, { instanceCount: 1 });
    await mc(lumen, { instanceCount: 1, dependsOnTaskIds: [first.id] });
    expect(await refusal(deleteTask(db, { organizationId: lumen, taskId: first.id, now }))).toBeInstanceOf(ConflictError);
  });
});

describe("updateTask", () => {
  it("changes name, tags and checked constants of the account's task", async () => {
    const task = await mc(lumen);
    expect(await updateTask(db, { organizationId: carmin, taskId: task.id, name: "theirs" })).toBe(false);
    expect(await updateTask(db, { organizationId: lumen, taskId: task.id, name: " renamed ", tags: ["a"], constants: { paths: "2000" } })).toBe(true);
    const [row] = await db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row).toMatchObject({ name: "renamed", tags: ["a"], constants: { paths: "2000" } });
    expect(await refusal(updateTask(db, { organizationId: lumen, taskId: task.id, constants: { paths: "1" } }))).toMatchObject({ field: "constants" });
  });
});

describe("jobs", () => {
  it("groups tasks: Active, Completed when its tasks have ended, Terminated on request", async () => {
    const job = await createJob(db, { organizationId: lumen, name: "batch", shortname: "batch-1", useDependencies: true, now });
    expect(await refusal(createJob(db, { organizationId: lumen, name: "again", shortname: "batch-1" }))).toMatchObject({ field: "shortname" });
    const task = await mc(lumen, { jobId: job.id, instanceCount: 1 });
    expect(await getJob(db, { organizationId: lumen, jobId: job.id })).toMatchObject({
      name: "batch",
      shortname: "batch-1",
      state: "Active",
      useDependencies: true,
      taskIds: [task.id],
      endedAt: null,
    });
    expect(await getJob(db, { organizationId: carmin, jobId: job.id })).toBeNull();

    await cancelInstances(db, { organizationId: lumen, taskId: task.id, instanceNumbers: [0], now: later });
    expect(await getJob(db, { organizationId: lumen, jobId: job.id })).toMatchObject({ state: "Completed", endedAt: later });

    const other = await createJob(db, { organizationId: lumen, name: "other", now: later });
    const open = await mc(lumen, { jobId: other.id, instanceCount: 2 });
    expect(await terminateJob(db, { organizationId: carmin, jobId: other.id, now: later })).toBe(false);
    expect(await terminateJob(db, { organizationId: lumen, jobId: other.id, now: later })).toBe(true);
    expect(await getJob(db, { organizationId: lumen, jobId: other.id })).toMatchObject({ state: "Terminated", endedAt: later });
    expect((await instanceStates(open.id)).map((i) => i.state)).toEqual(["cancelled", "cancelled"]);

    const page = await listJobs(db, { organizationId: lumen, page: 1, pageSize: 1 });
    expect(page.total).toBe(2);
    expect(page.jobs.map((j) => j.name)).toEqual(["other"]);
    expect((await listJobs(db, { organizationId: carmin, page: 1, pageSize: 10 })).total).toBe(0);
  });
});
