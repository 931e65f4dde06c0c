import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { jsonb } from "@/server/db/sql-params";
import { LOG_FETCH_BYTES } from "@/server/services/task-logs";
import { resetEngine } from "@/server/test/db";
import { useCountingDb } from "@/server/test/query-count";
import { TokenBucketLimiter } from "./rate-limit";
import { useRestHarness, type ApiClient } from "./testing";

/**
 * How many statements one REST request sends to PostgreSQL, counted on the database client the
 * API is served with. Reads of tasks and bulk submissions cost the same for a handful of tasks as
 * for a page of them: a query per task would show here as a count that grows.
 */

const counting = useCountingDb();
const db = counting.db;
let clock = new Date("2026-01-15T10:00:00Z");
const tick = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));
const limiter = new TokenBucketLimiter(1e6, 1e6);
const { lumen, fleet } = useRestHarness(db, { keyName: "query count", options: () => ({ now: () => clock, limiter }), customers: ["lumen"] });
beforeEach(() => {
  clock = new Date("2026-01-15T10:00:00Z");
});

function taskBody(more: Record<string, unknown> = {}) {
  return {
    name: "price options",
    profile: "monte-carlo",
    constants: [{ key: "paths", value: "1000" }],
    instanceCount: 2,
    tags: ["batch"],
    retrySettings: { maxTotalRetries: null, maxPerInstanceRetries: 0 },
    ...more,
  };
}

/**
 * Runs every queued instance to its end: instance 1 of each task fails, the others succeed with
 * an output. A report's answer hands out the cores it freed: that work runs in the next round.
 */
async function runAll() {
  await fleet.wantHeat(clock);
  let pending: Array<{ attemptId: number; instanceNumber: number }> = await fleet.dispatch(clock);
  while (pending.length > 0) {
    tick(5);
    const started = await fleet.report(
      clock,
      pending.flatMap((a) => [fleet.started(a.attemptId, clock), fleet.log(a.attemptId, clock, "stdout", 0, `${a.instanceNumber} out\n`)]),
    );
    tick(60);
    const ended = await fleet.report(
      clock,
      pending.flatMap((a) =>
        a.instanceNumber === 1
          ? [fleet.exit(a.attemptId, clock, "failed")]
          : [fleet.output(a.attemptId, clock, "result.txt", `result ${a.instanceNumber}`), fleet.exit(a.attemptId, clock, "succeeded")],
      ),
    );
    pending = [...started.assignments, ...ended.assignments];
    if (pending.length === 0) {
      await fleet.wantHeat(clock);
      pending = await fleet.dispatch(clock);
    }
  }
}

/** Per request: the statements it sent. */
type Measured = Record<string, string[]>;

/**
 * The statements of each request over a job of `n` tasks that have run. The tasks go in by bulks
 * of 50 at most; the first bulk is measured.
 */
async function measureWith(n: number): Promise<Measured> {
  await lumen.get("/settings"); // the key's first use of the day records it: not part of what is measured
  const job = (await lumen.post("/jobs", { name: "many" })).body.uuid as string;
  const ids: string[] = [];
  const measured: Measured = {};
  for (let from = 0; from < n; from += 50) {
    const bulk = Array.from({ length: Math.min(50, n - from) }, (_, i) => taskBody({ name: `t${from + i}`, jobUuid: job }));
    const submitted = await counting.measure(() => lumen.post("/tasks", bulk));
    expect(submitted.result.body.map((r: { statusCode: number }) => r.statusCode)).toEqual(Array(bulk.length).fill(201));
    ids.push(...submitted.result.body.map((r: { uuid: string }) => r.uuid));
    measured["POST /tasks (a bulk into one job)"] ??= submitted.statements;
  }
  await runAll();
  // The radiators' meters, as the ledger holds them: each attempt that ran drew energy, so that
  // every task's carbon so far reads the grid of its hours too.
  await db.execute(sql`
    insert into energy_allocations (radiator_id, period_start, period_end, attempt_id, core_seconds, energy_wh, organization_id,
      site_id, wanted_energy_mwh, gateway_energy_mwh, machine_ms)
    select a.radiator_id, a.started_at, a.ended_at, a.id, 60 * a.cores_assigned, 12, i.organization_id,
      b.site_id, 12000, 100, 60000 * a.cores_assigned / hw.cores
    from instance_attempts a join instances i on i.id = a.instance_id join tasks t on t.id = i.task_id
    join radiators r on r.id = a.radiator_id join hardware_models hw on hw.id = r.hardware_model_id
    join gateways g on g.id = r.gateway_id join buildings b on b.id = g.building_id
    where t.job_id = ${job} and a.started_at is not null and a.ended_at is not null`);
  await lumen.get("/settings");

  const requests: Array<[string, () => ReturnType<ApiClient["get"]>, number]> = [
    ["GET /tasks", () => lumen.get("/tasks"), n],
    ["GET /tasks?tag=", () => lumen.get("/tasks?tag=batch"), n],
    ["POST /tasks/paginate", () => lumen.post("/tasks/paginate", { filter: null, token: null, maximumResults: 50 }), Math.min(n, 50)],
    [
      "POST /tasks/paginate (by state)",
      () => lumen.post("/tasks/paginate", { filter: { operator: "Equal", field: "State", value: "Failure" }, maximumResults: 50 }),
      Math.min(n, 50),
    ],
    ["POST /tasks/summaries/paginate", () => lumen.post("/tasks/summaries/paginate", { filter: null, token: null, maximumResults: 100 }), Math.min(n, 100)],
    ["GET /tasks/{uuid}", () => lumen.get(`/tasks/${ids[0]}`), 1],
    ["GET /tasks/{uuid}/summary", () => lumen.get(`/tasks/${ids[0]}/summary`), 1],
    ["GET /tasks/{uuid}/stdout", () => lumen.get(`/tasks/${ids[0]}/stdout`), 1],
    ["GET /tasks/{uuid}/stdout/{n}", () => lumen.get(`/tasks/${ids[0]}/stdout/0`), 1],
    ["GET /jobs/{uuid}", () => lumen.get(`/jobs/${job}`), 1],
    ["GET /jobs/{uuid}/tasks", () => lumen.get(`/jobs/${job}/tasks`), n],
  ];
  for (const [name, call, expected] of requests) {
    const { result, statements } = await counting.measure(call);
    expect(result.status, `${name}: ${result.text}`).toBe(200);
    // Each answers what it should: as many tasks as asked for, each whole, every instance ended.
    if (typeof result.body === "object") {
      const items = Array.isArray(result.body) ? result.body : (result.body.data ?? [result.body]);
      expect(items, name).toHaveLength(expected);
      // Each task's carbon so far is there: every one of them drew energy.
      for (const item of items.filter((t: { hearth?: { costCents?: number } }) => t.hearth?.costCents !== undefined)) {
        expect(item.hearth.carbonGCO2e, name).toBeGreaterThan(0);
      }
      for (const item of items.filter((t: { status?: unknown }) => t.status)) {
        expect(item.completedInstances.map((i: { state: string; results: string[] }) => [i.state, i.results])).toEqual([
          ["Success", ["result.txt"]],
          ["Failure", []],
        ]);
      }
    }
    measured[name] = statements;
  }
  return measured;
}

/**
 * Most requests read in one query per kind of thing they show; none in a loop. A submission takes
 * 11: every account has a quota, locked and then counted in two statements. A page of whole tasks
 * in one state takes 12: its candidates' instances are counted to know their states, and the
 * tasks' carbon so far reads the ledger with its hours' grid intensities, and the annual factors.
 */
const MAX_QUERIES = 12;

describe("queries per request", () => {
  it("are as many for 150 tasks as for 5, and few", async () => {
    const few = await measureWith(5);
    await resetEngine(db);
    const many = await measureWith(150);
    console.table(Object.fromEntries(Object.keys(few).map((k) => [k, { "5 tasks": few[k]!.length, "150 tasks": many[k]!.length }])));
    for (const [name, statements] of Object.entries(many)) {
      const listing = `${name}:\n${statements.join("\n")}`;
      expect(statements.length, listing).toBe(few[name]!.length);
      expect(statements.length, listing).toBeLessThanOrEqual(MAX_QUERIES);
    }
  }, 60_000);
});

describe("GET stdout past its 4 MiB", () => {
  it("answers the exact tail, read from the end: the older text is not fetched", async () => {
    const uuid = (await lumen.post("/tasks", taskBody({ instanceCount: 1 }))).body.uuid as string;
    await fleet.wantHeat(clock);
    const [a] = await fleet.dispatch(clock);
    tick(5);
    await fleet.report(clock, [fleet.started(a!.attemptId, clock)]);
    // 120 chunks of 64,902 UTF-8 bytes and 47,204 UTF-16 units (5,899 pairs among them): 5.7 million characters.
    const chunks = Array.from({ length: 120 }, (_, k) => `[${String(k).padStart(3, "0")}]` + "abcdé😀\n".repeat(5899) + "abcdé!\n");
    await db.execute(sql`
      insert into instance_logs (instance_id, attempt_id, stream, chunk_seq, content)
      select ${a!.instanceId}, ${a!.attemptId}, 'stdout', k - 1, c from jsonb_array_elements_text(${jsonb(chunks)}) with ordinality as x(c, k)`);
    await lumen.get("/settings");
    const whole = chunks.join("");
    const cap = 4 * 1024 * 1024;
    expect(whole.length).toBeGreaterThan(cap);
    // What the client reads: the last `cap` characters, as UTF-8 (a pair cut in two becomes U+FFFD).
    const expected = Buffer.from(whole.slice(-cap)).toString("utf8");
    let neededBytes = 0;
    let neededChunks = 0;
    for (let k = chunks.length - 1, units = 0; k >= 0 && units < cap; k--, neededChunks++) {
      units += chunks[k]!.length;
      neededBytes += Buffer.byteLength(chunks[k]!);
    }

    for (const path of [`/tasks/${uuid}/stdout`, `/tasks/${uuid}/stdout/0`]) {
      const { result, queries, bytesReceived } = await counting.measure(() => lumen.get(path));
      expect(result.status).toBe(200);
      expect(result.text === expected, path).toBe(true); // (not toBe: a diff of 4 MiB helps no one)
      console.log(`${path}: ${queries} queries, ${bytesReceived} bytes from PostgreSQL for a log of ${Buffer.byteLength(whole)} bytes`);
      // No more than the newest chunks holding `cap` UTF-16 units, their keys and the protocol's
      // framing: the older text stays in the database.
      expect(bytesReceived).toBeLessThan(neededBytes + 32_768);
      // The API key, the task, the chunks' keys, then their text LOG_FETCH_BYTES at a time: one
      // chunk of nearly 64 KiB a fetch here.
      expect(LOG_FETCH_BYTES).toBeLessThan(2 * Buffer.byteLength(chunks[0]!));
      expect(queries).toBe(3 + neededChunks);
    }
    expect(neededBytes).toBeLessThan(Buffer.byteLength(whole) - 1024 * 1024);
  });
});
