import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { decodeInstanceGrid, type EncodedInstanceGrid } from "@/server/domain/instance-grid";
import { formatInstanceRanges } from "@/server/domain/instance-ranges";
import { INSTANCE_STATES, type InstanceState, type TaskState } from "@/server/domain/task-state";
import { activeAttempts, addOutput, finish, radiatorsOf, startAll, wantHeat } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { assignWork, markAttemptsRunning } from "./scheduler";
import { countTasksByState, getTask, instanceGrid, listInstances, listTasks, queueStanding, taskSummaryViews, taskViews } from "./task-queries";
import { listOutputs } from "./task-outputs";
import { cancelInstances, cancelTask, createJob, createTask } from "./tasks";

const db = useTestDb();
const now = new Date("2026-01-15T10:00:00Z");
const later = new Date("2026-01-15T10:05:00Z");
let lumen: string;
let carmin: string;

beforeEach(async () => {
  await resetEngine(db);
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
});

type NewTask = Parameters<typeof createTask>[1];
const submit = (organizationId: string, extra: Partial<NewTask> = {}) =>
  createTask(db, { organizationId, profileName: "monte-carlo", name: "mc", instanceCount: 1, constants: { paths: "1000" }, now, ...extra });

const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describe("listTasks", () => {
  it("pages the account's tasks newest first, with a true total", async () => {
    for (let i = 0; i < 7; i++) await submit(lumen, { name: `t${i}`, now: minutes(i) });
    await submit(carmin, { name: "theirs" });
    const first = await listTasks(db, { organizationId: lumen, page: 1, pageSize: 3 });
    expect(first.total).toBe(7);
    expect(first.tasks.map((t) => t.name)).toEqual(["t6", "t5", "t4"]);
    expect((await listTasks(db, { organizationId: lumen, page: 3, pageSize: 3 })).tasks.map((t) => t.name)).toEqual(["t0"]);
    expect(await listTasks(db, { organizationId: lumen, page: 9, pageSize: 3 })).toEqual({ total: 7, tasks: [] });
    expect((await listTasks(db, { organizationId: carmin, page: 1, pageSize: 50 })).tasks.map((t) => t.name)).toEqual(["theirs"]);
  });

  it("filters by tag, profile, creation time, job and search", async () => {
    const job = await createJob(db, { organizationId: lumen, name: "j" });
    const a = await submit(lumen, { name: "Frames 100%", shortname: "frames-a", tags: ["film", "draft"], now: minutes(0) });
    const b = await createTask(db, {
      organizationId: lumen,
      profileName: "render",
      name: "Teaser",
      instanceRanges: "1-3",
      tags: ["film"],
      jobId: job.id,
      now: minutes(10),
    });
    const c = await submit(lumen, { name: "pricing", now: minutes(20) });
    const names = async (filter: Parameters<typeof listTasks>[1]["filter"]) =>
      (await listTasks(db, { organizationId: lumen, filter, page: 1, pageSize: 50 })).tasks.map((t) => t.id);

    expect(await names({ tag: "film" })).toEqual([b.id, a.id]);
    expect(await names({ tag: "draft" })).toEqual([a.id]);
    expect(await names({ profile: "render" })).toEqual([b.id]);
    expect(await names({ createdFrom: minutes(10) })).toEqual([c.id, b.id]);
    expect(await names({ createdFrom: minutes(5), createdTo: minutes(20) })).toEqual([b.id]);
    expect(await names({ jobId: job.id })).toEqual([b.id]);
    expect(await names({ search: "teas" })).toEqual([b.id]);
    expect(await names({ search: "FRAMES-A" })).toEqual([a.id]);
    expect(await names({ search: c.id.slice(0, 8) })).toEqual([c.id]);
    // Typed text is literal: "%" finds the task named with a per cent sign only.
    expect(await names({ search: "100%" })).toEqual([a.id]);
    expect(await names({ search: "%" })).toEqual([a.id]);
    expect(await names({ search: "_" })).toEqual([]);
    expect(await names({ jobId: "not-a-uuid" })).toEqual([]);
  });

  it("finds each task under the state it shows, whatever the state", async () => {
    const balard = await radiatorsOf(db, "Résidence Balard", 9);
    await wantHeat(db, balard.slice(0, 7), 1, now);
    const success = await submit(lumen, { name: "success" });
    const failure = await submit(lumen, { name: "failure", maxRetriesPerInstance: 0 });
    const pendingCancel = await submit(lumen, { name: "pendingCancel" });
    const fullyExecuting = await submit(lumen, { name: "fullyExecuting" });
    await submit(lumen, { name: "fullyDispatched" });
    const partiallyExecuting = await submit(lumen, { name: "partiallyExecuting", instanceCount: 2, maxRetriesPerInstance: 1 });
    await assignWork(db, { now });
    for (const task of [success, failure, pendingCancel, fullyExecuting, partiallyExecuting]) {
      await markAttemptsRunning(db, (await activeAttempts(db, task.id)).map((a) => ({ attemptId: a.attemptId, startedAt: now })));
    }
    await finish(db, success.id, [0], "succeeded", later);
    await finish(db, failure.id, [0], "failed", later);
    await finish(db, partiallyExecuting.id, [1], "failed", later); // back in the queue
    await cancelTask(db, { organizationId: lumen, taskId: pendingCancel.id, now: later });

    // Only one more core: the older of the two new tasks gets it.
    await wantHeat(db, balard.slice(0, 7), 0, later);
    // Queued before the failed instance's retry (queued at `later`), so served first.
    await submit(lumen, { name: "partiallyDispatched", instanceCount: 2, now });
    await submit(lumen, { name: "submitted", now: minutes(6) });
    await wantHeat(db, balard.slice(7, 8), 1, later);
    await assignWork(db, { now: later });
    const cancelled = await submit(lumen, { name: "cancelled" });
    await cancelTask(db, { organizationId: lumen, taskId: cancelled.id, now: later });
    const cancelledByInstances = await submit(lumen, { name: "cancelledByInstances", instanceCount: 2 });
    await cancelInstances(db, { organizationId: lumen, taskId: cancelledByInstances.id, instanceNumbers: [0, 1], now: later });

    const all = (await listTasks(db, { organizationId: lumen, page: 1, pageSize: 100 })).tasks;
    const expected: Record<string, TaskState> = {
      success: "Success",
      failure: "Failure",
      pendingCancel: "PendingCancel",
      fullyExecuting: "FullyExecuting",
      fullyDispatched: "FullyDispatched",
      partiallyExecuting: "PartiallyExecuting",
      partiallyDispatched: "PartiallyDispatched",
      submitted: "Submitted",
      cancelled: "Cancelled",
      cancelledByInstances: "Cancelled",
    };
    expect(Object.fromEntries(all.map((t) => [t.name, t.state]))).toEqual(expected);
    for (const state of new Set(Object.values(expected))) {
      const filtered = await listTasks(db, { organizationId: lumen, filter: { state }, page: 1, pageSize: 100 });
      expect(filtered.tasks.map((t) => t.name).sort(), state).toEqual(all.filter((t) => t.state === state).map((t) => t.name).sort());
      expect(filtered.total).toBe(filtered.tasks.length);
    }
    // The overview's counts: every state, the same tasks; another customer's are not counted.
    await submit(carmin, { name: "theirs" });
    const counts = await countTasksByState(db, { organizationId: lumen });
    expect(counts).toEqual({
      Submitted: 1,
      PartiallyDispatched: 1,
      FullyDispatched: 1,
      PartiallyExecuting: 1,
      FullyExecuting: 1,
      Success: 1,
      Failure: 1,
      Cancelled: 2,
      PendingCancel: 1,
    });
  });

  it("summarises progress, counts and metering", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 2), 1, now);
    const task = await submit(lumen, { instanceCount: 4 });
    const running = await startAll(db, task.id, now);
    await db.execute(sql`update instances set progress_pct = 50 where id = ${running[1]!.instanceId}`);
    await db.execute(sql`update instance_attempts set core_seconds = 90, energy_wh = 3 where id = ${running[1]!.attemptId}`);
    await finish(db, task.id, [0], "succeeded", later);
    await db.execute(sql`update instance_attempts set core_seconds = 300, energy_wh = 11 where id = ${running[0]!.attemptId}`);
    const [summary] = (await listTasks(db, { organizationId: lumen, page: 1, pageSize: 10 })).tasks;
    expect(summary).toMatchObject({
      state: "PartiallyExecuting",
      counts: { succeeded: 1, running: 1, queued: 2, waiting: 0, dispatched: 0, failed: 0, cancelled: 0 },
      instanceCount: 4,
      progressPct: 37.5, // (1 ended + 0.5) / 4
      coreSeconds: 390,
      energyWh: 14,
      cancelRequested: false,
      endedAt: null,
    });
  });
});

describe("one task", () => {
  it("details a task of the account, and nothing of another's", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 5), 1, now);
    const first = await submit(lumen, { name: "first" });
    const task = await submit(lumen, {
      name: "detail",
      instanceRanges: "1-5",
      instanceCount: undefined,
      tags: ["x"],
      minCores: 2,
      maxWallTimeS: 600,
      maxRetriesPerInstance: 0,
      constants: { paths: "2000" },
    });
    await startAll(db, first.id, now);
    await finish(db, first.id, [0], "succeeded", now);
    await startAll(db, task.id, now);
    await finish(db, task.id, [1, 2, 4], "succeeded", minutes(2));
    await finish(db, task.id, [3], "failed", minutes(3));

    expect(await getTask(db, { organizationId: carmin, taskId: task.id })).toBeNull();
    expect(await getTask(db, { organizationId: lumen, taskId: "nope" })).toBeNull();
    const detail = await getTask(db, { organizationId: lumen, taskId: task.id, now: minutes(10) });
    expect(detail).toMatchObject({
      name: "detail",
      state: "FullyExecuting",
      instanceRanges: "1-5",
      instanceCount: 5,
      tags: ["x"],
      constants: { paths: "2000" },
      minCores: 2,
      maxWallTimeS: 600,
      maxRetriesPerInstance: 0,
      dependsOn: [],
      succeededRange: "1-2,4",
      failedRange: "3",
      // 3 × 2 min + 3 min, and instance 5 running for 10 min
      executionTimeS: 3 * 120 + 180 + 600,
      wallTimeS: 600,
    });

    const dependent = await submit(lumen, { name: "after", dependsOnTaskIds: [task.id] });
    expect((await getTask(db, { organizationId: lumen, taskId: dependent.id }))!.dependsOn).toEqual([task.id]);
  });

  it("pages instances with their latest run, and gives the grid in one piece", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 1), 1, now);
    const task = await submit(lumen, { instanceRanges: "10-14", instanceCount: undefined, maxRetriesPerInstance: 1 });
    const [attempt] = await startAll(db, task.id, now);
    await db.execute(sql`update instance_attempts set core_seconds = 60, energy_wh = 2 where id = ${attempt!.attemptId}`);
    await finish(db, task.id, [10], "failed", minutes(1)); // queued again for a second attempt

    expect(await listInstances(db, { organizationId: carmin, taskId: task.id, page: 1, pageSize: 10 })).toBeNull();
    const page = await listInstances(db, { organizationId: lumen, taskId: task.id, page: 1, pageSize: 2, now: minutes(5) });
    expect(page!.total).toBe(5);
    expect(page!.instances).toEqual([
      {
        instanceNumber: 10,
        state: "queued",
        attemptCount: 1,
        maxAttempts: 2,
        progressPct: null,
        exitCode: 1,
        startedAt: null,
        endedAt: null,
        wallTimeS: null,
        coreSeconds: 60,
        energyWh: 2,
        // Waiting for its next run: the node of the last one is no longer its.
        hardware: null,
      },
      expect.objectContaining({ instanceNumber: 11, state: "queued", attemptCount: 0, hardware: null }),
    ]);
    // A retry joins the back of the queue.
    const [next] = await startAll(db, task.id, minutes(2));
    expect(next!.instanceNumber).toBe(11);
    const running = await listInstances(db, { organizationId: lumen, taskId: task.id, page: 1, pageSize: 10, state: "running", now: minutes(5) });
    expect(running).toMatchObject({ total: 1, instances: [{ instanceNumber: 11, attemptCount: 1, startedAt: minutes(2), wallTimeS: 180 }] });
    // The processor of the node it runs on, as its hardware model has it.
    const [model] = await db.execute<{ cpu_model: string; cores: number; cpu_clock_mhz: number }>(sql`
      select hm.cpu_model, hm.cores, hm.cpu_clock_mhz from instance_attempts a join radiators r on r.id = a.radiator_id
        join hardware_models hm on hm.id = r.hardware_model_id
      where a.id = ${next!.attemptId}`);
    expect(model!.cpu_model).toMatch(/^AMD /);
    expect(running!.instances[0]!.hardware).toEqual({ cpuModel: model!.cpu_model, cores: model!.cores, cpuClockMhz: model!.cpu_clock_mhz });

    expect(await instanceGrid(db, { organizationId: carmin, taskId: task.id })).toBeNull();
    const grid = await instanceGrid(db, { organizationId: lumen, taskId: task.id });
    expect(grid).toEqual({ version: expect.any(String), changed: true, total: 5, numbers: "10-14", runs: "BDB3" });
    // Read again with the version held: nothing to send until an instance changes state.
    expect(await instanceGrid(db, { organizationId: lumen, taskId: task.id, since: grid!.version })).toEqual({ version: grid!.version, changed: false });
    expect(await instanceGrid(db, { organizationId: carmin, taskId: task.id, since: grid!.version })).toBeNull();
    await db.execute(sql`update instances set state = 'cancelled' where task_id = ${task.id} and instance_number = 14`);
    expect(await instanceGrid(db, { organizationId: lumen, taskId: task.id, since: grid!.version })).toMatchObject({ changed: true, runs: "BDB2G" });
  });
});

describe("counted in the database", () => {
  it("the grid and the succeeded and failed ranges match the instances one by one", async () => {
    const task = await submit(lumen, { instanceRanges: "0-39,50-59,61,70-71", instanceCount: undefined });
    // States in runs of every length, some one instance long, across the gaps in the numbers.
    const states = ["succeeded", "failed", "running", "queued", "cancelled"];
    await db.execute(sql`
      update instances set state = (array[${sql.raw(states.map((s) => `'${s}'`).join(","))}]::instance_state[])[1 + (instance_number * 7 / 3) % 5]
      where task_id = ${task.id}`);
    const truth = await db.execute<{ instance_number: number; state: InstanceState }>(sql`
      select instance_number, state from instances where task_id = ${task.id} order by instance_number`);
    expect(new Set(truth.map((r) => r.state)).size).toBe(5);

    const grid = await instanceGrid(db, { organizationId: lumen, taskId: task.id });
    expect(grid).toMatchObject({ changed: true, total: truth.length, numbers: "0-39,50-59,61,70-71" });
    const decoded = decodeInstanceGrid(grid as EncodedInstanceGrid);
    expect(decoded.numbers).toEqual(truth.map((r) => r.instance_number));
    expect([...decoded.codes].map((c) => INSTANCE_STATES[c])).toEqual(truth.map((r) => r.state));

    const detail = await getTask(db, { organizationId: lumen, taskId: task.id, now });
    const numbersIn = (state: InstanceState) => truth.filter((r) => r.state === state).map((r) => r.instance_number);
    expect(detail!.succeededRange).toBe(formatInstanceRanges(numbersIn("succeeded")));
    expect(detail!.failedRange).toBe(formatInstanceRanges(numbersIn("failed")));
    expect(detail!.counts).toMatchObject({ succeeded: numbersIn("succeeded").length, cancelled: numbersIn("cancelled").length });

    // One instance, and a task of one state.
    const one = await submit(lumen, { instanceRanges: "7", instanceCount: undefined });
    expect(await instanceGrid(db, { organizationId: lumen, taskId: one.id })).toMatchObject({ total: 1, numbers: "7", runs: "B" });
  });
});

describe("taskViews", () => {
  it("read a page of tasks whole as getTask, listInstances and listOutputs read each, and only the account's", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 9), 1, now);
    const done = await submit(lumen, { name: "done", instanceCount: 3, maxRetriesPerInstance: 0, now: minutes(0) });
    const running = await submit(lumen, { name: "running", instanceRanges: "4-6", instanceCount: undefined, now: minutes(1) });
    const queued = await submit(lumen, { name: "queued", instanceCount: 2, now: minutes(2) });
    const after = await submit(lumen, { name: "after", dependsOnTaskIds: [running.id], now: minutes(3) });
    await submit(carmin, { name: "theirs" });
    for (const [i, attempt] of (await startAll(db, done.id, now)).entries()) {
      if (i !== 1) await addOutput(db, attempt, i === 0 ? "b.txt" : "a.txt", "text/plain", Buffer.from("r"));
      if (i === 0) await addOutput(db, attempt, "a.txt", "text/plain", Buffer.from("r"));
    }
    await finish(db, done.id, [0, 2], "succeeded", minutes(1));
    await finish(db, done.id, [1], "failed", minutes(1));
    const [started] = await startAll(db, running.id, minutes(2));
    await db.execute(sql`update instance_attempts set core_seconds = 45, energy_wh = 2 where id = ${started!.attemptId}`);

    const at = minutes(9);
    const page = await taskViews(db, { organizationId: lumen, filter: {}, page: 1, pageSize: 10, instancesPerTask: 1000, now: at });
    expect(page.total).toBe(4);
    expect(page.tasks.map((t) => t.name)).toEqual(["after", "queued", "running", "done"]);
    for (const view of page.tasks) {
      const { coresPerInstance, instances, outputNames, ...detail } = view;
      expect(detail).toEqual(await getTask(db, { organizationId: lumen, taskId: view.id, now: at }));
      expect(coresPerInstance).toBe(1);
      const all = (await listInstances(db, { organizationId: lumen, taskId: view.id, page: 1, pageSize: 1000, now: at }))!.instances;
      expect(instances).toEqual(all.filter((i) => i.state !== "waiting" && i.state !== "queued"));
      const names = new Map<number, string[]>();
      for (const o of (await listOutputs(db, { organizationId: lumen, taskId: view.id }))!) {
        names.set(o.instanceNumber, [...(names.get(o.instanceNumber) ?? []), o.name]);
      }
      expect(outputNames).toEqual(names);
    }
    const doneView = page.tasks.find((t) => t.id === done.id)!;
    expect([...doneView.outputNames]).toEqual([
      [0, ["a.txt", "b.txt"]],
      [2, ["a.txt"]],
    ]);
    expect(page.tasks.find((t) => t.id === running.id)!.instances).toMatchObject([
      { instanceNumber: 4, state: "running", coreSeconds: 45, wallTimeS: 420 },
      { instanceNumber: 5, state: "running", coreSeconds: 0 },
      { instanceNumber: 6, state: "running" },
    ]);

    // By id, by state, and past the tasks that have so many instances that outputs are not named.
    const byId = await taskViews(db, { organizationId: lumen, taskIds: [after.id, queued.id, "nope"], instancesPerTask: 1000, now: at });
    expect(byId.tasks.map((t) => t.name)).toEqual(["after", "queued"]);
    const failed = await taskViews(db, { organizationId: lumen, filter: { state: "Failure" }, page: 1, pageSize: 10, instancesPerTask: 2, now: at });
    expect(failed).toMatchObject({ total: 1, tasks: [{ name: "done", instances: [{ instanceNumber: 0 }, { instanceNumber: 1 }] }] });
    expect(failed.tasks[0]!.outputNames.size).toBe(0);
    // Another account's tasks are not read, by id or by page.
    expect(await taskViews(db, { organizationId: carmin, taskIds: [done.id], instancesPerTask: 1000, now: at })).toEqual({ total: 0, tasks: [] });
    const theirs = await taskSummaryViews(db, { organizationId: carmin, filter: {}, page: 1, pageSize: 10 });
    expect(theirs.tasks.map((t) => t.name)).toEqual(["theirs"]);
    const summaries = await taskSummaryViews(db, { organizationId: lumen, filter: { tag: "none" }, page: 1, pageSize: 10 });
    expect(summaries).toEqual({ total: 0, tasks: [] });
    const listed = await listTasks(db, { organizationId: lumen, page: 1, pageSize: 10 });
    expect((await taskSummaryViews(db, { organizationId: lumen, filter: {}, page: 1, pageSize: 10 })).tasks).toEqual(
      listed.tasks.map((t) => ({ ...t, coresPerInstance: 1 })),
    );
  });
});

describe("queueStanding", () => {
  it("says why a task waits and how much is ahead of it", async () => {
    const balard = await radiatorsOf(db, "Résidence Balard", 4);
    // Online, but no room wants heat.
    await wantHeat(db, balard, 0, now);
    const flex = await submit(lumen, { name: "flex", instanceCount: 3 });
    expect(await queueStanding(db, { organizationId: carmin, taskId: flex.id, now })).toBeNull();
    expect(await queueStanding(db, { organizationId: lumen, taskId: flex.id, now })).toEqual({
      waitingInstances: 3,
      position: 0,
      etaSeconds: null,
      reason: "No radiator wants heat right now",
    });

    await wantHeat(db, balard, 2, now);
    const onDemand = await submit(carmin, { name: "od", instanceCount: 5, schedulingType: "OnDemand" });
    expect(await queueStanding(db, { organizationId: lumen, taskId: flex.id, now })).toMatchObject({
      position: 5,
      reason: "OnDemand work is ahead",
      // (5 ahead + 3 own) × 120 core-seconds over 8 wanted cores
      etaSeconds: 120,
    });
    expect(await queueStanding(db, { organizationId: carmin, taskId: onDemand.id, now })).toMatchObject({ position: 0, reason: null });

    await cancelTask(db, { organizationId: carmin, taskId: onDemand.id, now });
    const mine = await submit(lumen, { name: "second", instanceCount: 2, now: minutes(1) });
    expect(await queueStanding(db, { organizationId: lumen, taskId: mine.id, now })).toMatchObject({
      position: 3,
      reason: "Your earlier tasks are ahead",
    });
    // Fair share: another customer's Flex work takes turns with ours.
    await submit(carmin, { name: "theirs", instanceCount: 10, now: minutes(2) });
    expect(await queueStanding(db, { organizationId: lumen, taskId: flex.id, now })).toMatchObject({
      position: 1,
      reason: "Other customers' work shares the heat (fair share)",
    });
  });

  it("names missing container runtimes and dependencies, and has nothing to say of a finished task", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 2), 4, now);
    const docker = await createTask(db, {
      organizationId: lumen,
      profileName: "docker-batch",
      name: "docker",
      instanceCount: 2,
      constants: { image: "alpine", command: "true" },
      now,
    });
    expect(await queueStanding(db, { organizationId: lumen, taskId: docker.id, now })).toMatchObject({
      reason: "No node offers a container runtime (docker-batch)",
    });
    const dependent = await submit(lumen, { name: "after", dependsOnTaskIds: [docker.id] });
    expect(await queueStanding(db, { organizationId: lumen, taskId: dependent.id, now })).toEqual({
      waitingInstances: 1,
      position: null,
      etaSeconds: null,
      reason: "Waits for the tasks it depends on",
    });
    await cancelTask(db, { organizationId: lumen, taskId: dependent.id, now });
    expect(await queueStanding(db, { organizationId: lumen, taskId: dependent.id, now })).toEqual({
      waitingInstances: 0,
      position: null,
      etaSeconds: null,
      reason: null,
    });
  });
});

describe("queueStanding on a mixed queue", () => {
  it("counts higher classes whole, our older work and each other customer's fair share", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 4), 3, now);
    // In queue order: OnDemand work of both customers, then Flex work of both, interleaved in time.
    await submit(carmin, { name: "od-carmin", instanceCount: 4, schedulingType: "OnDemand", now: minutes(0) });
    await createTask(db, { organizationId: lumen, profileName: "render", name: "od-lumen", instanceRanges: "0-1", schedulingType: "OnDemand", now: minutes(1) });
    const first = await submit(lumen, { name: "flex-1", instanceCount: 3, now: minutes(2) });
    await createTask(db, { organizationId: carmin, profileName: "render", name: "flex-carmin", instanceRanges: "0-5", now: minutes(3) });
    const second = await submit(lumen, { name: "flex-2", instanceCount: 2, now: minutes(4) });
    const third = await submit(lumen, { name: "flex-3", instanceCount: 5, now: minutes(5) });
    const late = await submit(carmin, { name: "flex-late", instanceCount: 1, now: minutes(6) });

    const standing = (organizationId: string, taskId: string) => queueStanding(db, { organizationId, taskId, now });
    // Both customers' OnDemand work (4 + 2), then 1 of Carmin's render instances for none of ours before it.
    // The ETA counts the core-seconds of the very instances served first (render: 600 each).
    expect(await standing(lumen, first.id)).toEqual({ waitingInstances: 3, position: 7, etaSeconds: 220, reason: "OnDemand work is ahead" });
    // Our 3 older instances, so up to 4 of Carmin's six.
    expect(await standing(lumen, second.id)).toEqual({ waitingInstances: 2, position: 6 + 3 + 4, etaSeconds: 390, reason: "OnDemand work is ahead" });
    expect(await standing(lumen, third.id)).toEqual({ waitingInstances: 5, position: 6 + 5 + 6, etaSeconds: 540, reason: "OnDemand work is ahead" });
    // Carmin's late task: its 6 older render instances, then 7 of Lumen's 10.
    expect(await standing(carmin, late.id)).toEqual({ waitingInstances: 1, position: 6 + 6 + 7, etaSeconds: 520, reason: "OnDemand work is ahead" });
  });

  it("reads only as far into another customer's queue as fair share serves them first", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 2), 4, now);
    for (let k = 0; k < 20; k++) await submit(lumen, { name: `batch ${k}`, instanceCount: 1_000, now: minutes(0) });
    const small = await submit(carmin, { name: "small", instanceCount: 3, now: minutes(1) });
    await db.execute(sql`analyze instances`);
    const read = await db.transaction(async (tx) => {
      // Rows of the instances table this connection has read (by any scan) and not yet reported: the difference is ours.
      const rowsRead = async () => {
        const [row] = await tx.execute<{ n: number }>(sql`
          select (seq_tup_read + coalesce(idx_tup_fetch, 0))::int as n from pg_stat_xact_user_tables where relname = 'instances'`);
        return row!.n;
      };
      const before = await rowsRead();
      const standing = await queueStanding(tx, { organizationId: carmin, taskId: small.id, now });
      return { standing, rows: (await rowsRead()) - before };
    });
    expect(read.standing).toMatchObject({ waitingInstances: 3, position: 1, reason: "Other customers' work shares the heat (fair share)" });
    expect(read.rows).toBeLessThan(200);
  });
});

describe("at scale", () => {
  it("lists tasks quickly with 100,000 instances in the account", async () => {
    const big = await submit(lumen, { name: "big", instanceCount: 100_000 });
    for (let i = 0; i < 30; i++) await submit(lumen, { name: `small-${i}`, instanceCount: 10, now: minutes(i + 1) });
    await db.execute(sql`analyze instances`);
    await db.execute(sql`analyze tasks`);

    const time = async <T>(work: () => Promise<T>) => {
      const started = performance.now();
      const result = await work();
      return { result, ms: performance.now() - started };
    };
    await listTasks(db, { organizationId: lumen, page: 1, pageSize: 25 }); // warm up
    const firstPage = await time(() => listTasks(db, { organizationId: lumen, page: 1, pageSize: 25 }));
    const lastPage = await time(() => listTasks(db, { organizationId: lumen, page: 2, pageSize: 25 }));
    const byState = await time(() => listTasks(db, { organizationId: lumen, filter: { state: "Submitted" }, page: 1, pageSize: 25 }));
    expect(firstPage.result.total).toBe(31);
    expect(lastPage.result.tasks.at(-1)).toMatchObject({ id: big.id, counts: { queued: 100_000 }, progressPct: 0 });
    expect(byState.result.total).toBe(31);
    // Generous bounds for a shared test machine; typical figures are a few tens of milliseconds.
    expect(firstPage.ms).toBeLessThan(500);
    expect(lastPage.ms).toBeLessThan(1500);
    expect(byState.ms).toBeLessThan(1500);

    const grid = await time(() => instanceGrid(db, { organizationId: lumen, taskId: big.id }));
    expect(grid.result).toMatchObject({ changed: true, total: 100_000, numbers: "0-99999", runs: `B${(100_000).toString(36)}` });
    expect(JSON.stringify(grid.result).length).toBeLessThan(200);
    const standing = await time(() => queueStanding(db, { organizationId: lumen, taskId: big.id, now }));
    expect(standing.result!.waitingInstances).toBe(100_000);
    expect(grid.ms + standing.ms).toBeLessThan(3000);
  });
});
