import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { apiKeys, customerQuotas } from "@/server/db/schema";
import { createApiKey, hashApiKey, revokeApiKey } from "@/server/services/api-keys";
import { useTestDb } from "@/server/test/db";
import { INPUT_LIMITS } from "./input";
import { openApiDocument } from "./openapi";
import { TokenBucketLimiter } from "./rate-limit";
import { ROUTES } from "./routes";
import { ApiClient, SDK_DATETIME, SDK_TIMESPAN, useRestHarness } from "./testing";

/**
 * The REST API's contract, over real HTTP against a real database: every route, every error
 * (401, 400 naming the field, 403 quota, 404 for another customer's task, 413, 429), bulk
 * submission, fresh output, per-instance output, abort, delete, pagination and jobs. Instances
 * run on a seeded gateway's radiators, driven by the scheduler and the device protocol.
 */

const db = useTestDb();
let clock = new Date("2026-01-15T10:00:00Z");
let limiter = new TokenBucketLimiter(1e6, 1e6);
let limiterMs = 0;
const tick = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));
const { server, lumen, carmin, anonymous, fleet, keyIds } = useRestHarness(db, {
  keyName: "rest test",
  options: () => ({ now: () => clock, limiter, nowMs: () => limiterMs }),
});
beforeEach(() => {
  clock = new Date("2026-01-15T10:00:00Z");
  limiter = new TokenBucketLimiter(1e6, 1e6);
});

/** A task as the SDK posts it, with Qarnot's defaults; `more` overrides. */
function taskBody(more: Record<string, unknown> = {}) {
  return {
    name: "price options",
    profile: "monte-carlo",
    poolUuid: null,
    jobUuid: null,
    constants: [{ key: "paths", value: "1000" }],
    constraints: [],
    forcedConstants: [],
    waitForPoolResourcesSynchronization: null,
    uploadResultsOnCancellation: null,
    labels: {},
    dependencies: { dependsOn: [] },
    advancedResourceBuckets: [],
    instanceCount: 2,
    tags: [],
    autoDeleteOnCompletion: false,
    completionTimeToLive: "00:00:00",
    hardwareConstraints: [],
    defaultResourcesCacheTTLSec: null,
    privileges: { exportApiAndStorageCredentialsInEnvironment: false },
    retrySettings: { maxTotalRetries: null, maxPerInstanceRetries: null },
    forcedNetworkRules: [],
    ...more,
  };
}

async function submit(client: ApiClient, more: Record<string, unknown> = {}): Promise<string> {
  const res = await client.post("/tasks", taskBody(more));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.uuid;
}

/**
 * Runs every queued instance of the fleet's work: each starts, writes "<task>:<n> out" to stdout
 * and "<n> err" to stderr, leaves result.txt, and ends (failed for the numbers in `fail`).
 */
async function runAll(opts: { fail?: number[]; finish?: boolean } = {}) {
  await fleet.wantHeat(clock);
  const assignments = await fleet.dispatch(clock);
  tick(5);
  const events = assignments.flatMap((a) => [
    fleet.started(a.attemptId, clock),
    fleet.log(a.attemptId, clock, "stdout", 0, `${a.instanceNumber} out\n`),
    fleet.log(a.attemptId, clock, "stderr", 0, `${a.instanceNumber} err\n`),
  ]);
  await fleet.report(clock, events);
  if (opts.finish === false) return assignments;
  tick(60);
  const failing = new Set(opts.fail ?? []);
  await fleet.report(
    clock,
    assignments.flatMap((a) =>
      failing.has(a.instanceNumber)
        ? [fleet.exit(a.attemptId, clock, "failed")]
        : [fleet.output(a.attemptId, clock, "result.txt", `result ${a.instanceNumber}`), fleet.exit(a.attemptId, clock, "succeeded")],
    ),
  );
  return assignments;
}

// ---------------------------------------------------------------------------------------------

describe("the API description", () => {
  it("is served without a key and describes every route, and only those", async () => {
    const res = await anonymous.get("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const documented = new Set(
      Object.entries(openApiDocument.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    const routed = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    expect([...routed].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((d) => !routed.has(d))).toEqual([]);
    // Every operation has an id and described answers; 401 and 429 wherever a key is needed.
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(openApiDocument.paths)) {
      for (const [method, op] of Object.entries(ops) as Array<[string, { operationId: string; security?: unknown[]; responses: Record<string, { description?: string }> }]>) {
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        for (const [code, answer] of Object.entries(op.responses)) expect(answer.description, `${method} ${path} ${code}`).toBeTruthy();
        if (!op.security) expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(["401", "429"]));
      }
    }
    // Every $ref points to a schema that exists.
    const refs = [...JSON.stringify(openApiDocument).matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const name of refs) expect(openApiDocument.components.schemas, name).toHaveProperty(name);
  });

  it("answers unknown paths with 404 and wrong methods with 405, in JSON", async () => {
    const unknown = await lumen.get("/pools");
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/No such endpoint/);
    const wrong = await lumen.call("PATCH", "/tasks");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST, GET");
    // A literal path is not read as a task uuid.
    expect((await lumen.get("/tasks/paginate")).status).toBe(405);
  });
});

describe("authentication", () => {
  it("takes the key bare, as Qarnot's SDK sends it, or as a Bearer token", async () => {
    expect((await lumen.get("/settings")).body).toEqual({ storage: null });
    const bearer = await lumen.call("GET", "/settings", { headers: { Authorization: `Bearer ${lumen.key}` } });
    expect(bearer.status).toBe(200);
  });

  it("refuses a missing, unknown or revoked key with 401 and a message", async () => {
    const missing = await anonymous.get("/info");
    expect(missing.status).toBe(401);
    expect(missing.body.message).toMatch(/Missing API key/);
    const unknown = await new ApiClient(server.baseUrl, "hk_notakeyatall").get("/info");
    expect(unknown).toMatchObject({ status: 401, body: { message: "Unknown or revoked API key." } });

    const extra = await createApiKey(db, { organizationId: lumen.organizationId, userId: null, name: "to revoke" });
    keyIds.push(extra.id);
    const client = new ApiClient(server.baseUrl, extra.key);
    expect((await client.get("/info")).status).toBe(200);
    await revokeApiKey(db, { organizationId: lumen.organizationId, id: extra.id, now: clock });
    expect((await client.get("/info")).status).toBe(401);
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After past the burst, per key, and lets requests through as tokens come back", async () => {
    limiter = new TokenBucketLimiter(2, 3);
    limiterMs = 1000;
    for (let i = 0; i < 3; i++) expect((await lumen.get("/settings")).status).toBe(200);
    const limited = await lumen.get("/settings");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.body.message).toMatch(/Too many requests/);
    // Another key has its own bucket.
    expect((await carmin.get("/settings")).status).toBe(200);
    limiterMs += 500; // one token back at 2 per second
    expect((await lumen.get("/settings")).status).toBe(200);
    expect((await lumen.get("/settings")).status).toBe(429);
  });

  it("refills a bucket up to its burst only", () => {
    const bucket = new TokenBucketLimiter(10, 2);
    expect(bucket.take("k", 0).ok).toBe(true);
    expect(bucket.take("k", 0).ok).toBe(true);
    expect(bucket.take("k", 0)).toEqual({ ok: false, retryAfterS: 1 });
    expect(bucket.take("k", 60_000).ok).toBe(true);
    expect(bucket.take("k", 60_000).ok).toBe(true);
    expect(bucket.take("k", 60_000).ok).toBe(false);
  });
});

describe("account", () => {
  it("GET /info gives Qarnot's user fields, counts and the quota", async () => {
    await submit(lumen, { instanceCount: 3 });
    let info = (await lumen.get("/info")).body;
    expect(info).toMatchObject({
      email: "customer@hearth.test",
      taskCount: 1,
      runningTaskCount: 1,
      runningInstanceCount: 3,
      runningCoreCount: 3,
      // No quota row: the default every account has.
      maxInstances: 200_000,
      maxBucket: 0,
      projects: [],
      hearth: { maxActiveInstances: 200_000, maxInstancesPerRequest: 100_000 },
    });
    expect(info.computingQuotas.user.flex).toEqual({ maxCores: null, runningCoresCount: 3, maxInstances: 200_000, runningInstancesCount: 3 });
    await db.insert(customerQuotas).values({ organizationId: lumen.organizationId, maxActiveInstances: 40 });
    info = (await lumen.get("/info")).body;
    expect(info.maxInstances).toBe(40);
    expect(info.computingQuotas.organization).toMatchObject({ name: "Lumen Animation Studio", flex: { maxInstances: 40 } });
    // Another account sees its own figures.
    expect((await carmin.get("/info")).body).toMatchObject({ email: "customer2@hearth.test", taskCount: 0 });
  });

  it("lists profiles (not donated research) and gives one's constants with defaults", async () => {
    const names = (await lumen.get("/profiles")).body;
    expect(names).toEqual(expect.arrayContaining(["monte-carlo", "render", "docker-batch"]));
    expect(names).not.toContain("research");
    const mc = await lumen.get("/profiles/monte-carlo");
    expect(mc.status).toBe(200);
    expect(mc.body.name).toBe("monte-carlo");
    expect(mc.body.constants).toContainEqual(expect.objectContaining({ name: "paths", value: "100000" }));
    expect((await lumen.get("/profiles/research")).status).toBe(404);
    expect((await lumen.get("/profiles/nope")).body.message).toMatch(/No profile/);
  });
});

describe("submitting tasks", () => {
  it("creates a task from the SDK's JSON and shows it in Qarnot's shape", async () => {
    const uuid = await submit(lumen, { tags: ["q1", "fx"], shortname: "fx-q1", schedulingType: "OnDemand" });
    const res = await lumen.get(`/tasks/${uuid}`);
    expect(res.status).toBe(200);
    const t = res.body;
    expect(t).toMatchObject({
      uuid,
      name: "price options",
      shortname: "fx-q1",
      profile: "monte-carlo",
      poolUuid: null,
      jobUuid: null,
      state: "Submitted",
      instanceCount: 2,
      advancedRanges: null,
      tags: ["q1", "fx"],
      constants: [{ key: "paths", value: "1000" }],
      schedulingType: "OnDemand",
      completedInstances: [],
      errors: [],
      retrySettings: { maxTotalRetries: null, maxPerInstanceRetries: 2 },
      status: { executionProgress: 0, succeededRange: "", failedRange: "", executedRange: "", instanceCount: 0 },
    });
    expect(t.creationDate).toMatch(SDK_DATETIME);
    expect(Date.parse(t.creationDate)).toBe(clock.getTime());
    expect(t.status.wallTime).toMatch(SDK_TIMESPAN);
    expect(t.status.executionTimeByCpuModel).toEqual([]);
    expect(t.hardwareConstraints[0]).toEqual({ discriminator: "MinimumCoreHardwareConstraint", coreCount: 1 });
    // By shortname too.
    expect((await lumen.get("/tasks/fx-q1")).body.uuid).toBe(uuid);
    expect((await lumen.get(`/tasks/${uuid}/summary`)).body).toMatchObject({ uuid, state: "Submitted", instanceCount: 2 });
  });

  it("takes advanced ranges, hardware constraints, retries and a wall time", async () => {
    const uuid = await submit(lumen, {
      instanceCount: undefined,
      advancedRanges: "1-3,7",
      hardwareConstraints: [
        { discriminator: "MinimumCoreHardwareConstraint", coreCount: 8 },
        { discriminator: "MinimumRamHardwareConstraint", minimumMemoryMB: 3000 },
      ],
      retrySettings: { maxTotalRetries: null, maxPerInstanceRetries: 0 },
      maxWallTime: "00:10:00",
    });
    const t = (await lumen.get(`/tasks/${uuid}`)).body;
    expect(t).toMatchObject({ instanceCount: 4, advancedRanges: "1-3,7", maxWallTime: "00:10:00", retrySettings: { maxPerInstanceRetries: 0 } });
    expect(t.hardwareConstraints).toEqual([
      { discriminator: "MinimumCoreHardwareConstraint", coreCount: 8 },
      { discriminator: "MinimumRamHardwareConstraint", minimumMemoryMB: 3072 },
    ]);
  });

  it("answers 400 naming the field for bad input, and creates nothing", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: "" }, "name"],
      [{ name: undefined }, "name"],
      [{ profile: undefined }, "profile"],
      [{ profile: "nope" }, "profile"],
      [{ profile: "research" }, "profile"],
      [{ instanceCount: 0 }, "instanceCount"],
      [{ instanceCount: INPUT_LIMITS.maxInstancesPerTask + 1 }, "instanceCount"],
      [{ instanceCount: 1.5 }, "instanceCount"],
      [{ instanceCount: undefined }, "instanceCount"],
      [{ advancedRanges: "1-3" }, "advancedRanges"],
      [{ instanceCount: undefined, advancedRanges: "9-2" }, "advancedRanges"],
      [{ instanceCount: undefined, advancedRanges: "0-999999999" }, "advancedRanges"],
      [{ constants: [{ key: "paths", value: { n: 1 } }] }, "constants[0].value"],
      [{ constants: [{ key: "", value: "1" }] }, "constants[0].key"],
      [{ constants: [{ key: "a", value: "1" }, { key: "a", value: "2" }] }, "constants[1].key"],
      [{ constants: Array.from({ length: INPUT_LIMITS.maxConstants + 1 }, (_, i) => ({ key: `k${i}`, value: "1" })) }, "constants"],
      [{ constants: [{ key: "paths", value: "many" }] }, "constants"],
      [{ tags: "one" }, "tags"],
      [{ schedulingType: "Cheap" }, "schedulingType"],
      [{ hardwareConstraints: [{ discriminator: "GpuHardwareConstraint" }] }, "hardwareConstraints[0].discriminator"],
      [{ retrySettings: { maxPerInstanceRetries: 99 } }, "retrySettings.maxPerInstanceRetries"],
      [{ resultBucket: "my-results" }, "resultBucket"],
      [{ poolUuid: "0b9a4e1c-6a34-4b8e-9a7e-1b9e1f1d2c3a" }, "poolUuid"],
      [{ labels: { team: "fx" } }, "labels"],
      [{ jobUuid: "not-a-uuid" }, "jobUuid"],
      [{ jobUuid: "0b9a4e1c-6a34-4b8e-9a7e-1b9e1f1d2c3a" }, "jobUuid"],
      [{ shortname: "has space" }, "shortname"],
      [{ maxWallTime: "ten minutes" }, "maxWallTime"],
    ];
    for (const [more, field] of cases) {
      const res = await lumen.post("/tasks", taskBody(more));
      expect({ more, status: res.status, field: res.body.field }).toEqual({ more, status: 400, field });
      expect(res.body.message).toMatch(new RegExp(`^${field.replace(/[[\].]/g, "\\$&")}: `));
    }
    const invalidJson = await lumen.call("POST", "/tasks", { body: "{not json", headers: { "Content-Type": "application/json" } });
    expect(invalidJson).toMatchObject({ status: 400, body: { field: "body" } });
    expect((await lumen.call("POST", "/tasks")).status).toBe(400); // no body
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from tasks`);
    expect(row!.n).toBe(0);
  });

  it("refuses a second task with the same shortname", async () => {
    await submit(lumen, { shortname: "nightly" });
    const again = await lumen.post("/tasks", taskBody({ shortname: "nightly" }));
    expect(again).toMatchObject({ status: 400, body: { field: "shortname" } });
    // Shortnames are per account.
    await submit(carmin, { shortname: "nightly" });
  });

  it("answers 403 when the quota of active instances would be exceeded", async () => {
    await db.insert(customerQuotas).values({ organizationId: lumen.organizationId, maxActiveInstances: 5 });
    await submit(lumen, { instanceCount: 4 });
    const over = await lumen.post("/tasks", taskBody({ instanceCount: 2 }));
    expect(over.status).toBe(403);
    expect(over.body.message).toMatch(/quota of 5/);
    await submit(lumen, { instanceCount: 1 });
  });

  it("answers 413 to a body past the limit, declared or streamed", async () => {
    const big = JSON.stringify(taskBody({ name: "x".repeat(INPUT_LIMITS.maxBodyBytes) }));
    const declared = await lumen.call("POST", "/tasks", { body: big, headers: { "Content-Type": "application/json" } });
    expect(declared.status).toBe(413);
    expect(declared.body.message).toMatch(/larger than/);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode(" ".repeat(100_000)));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.baseUrl}/tasks`, {
      method: "POST",
      headers: { Authorization: lumen.key!, "Content-Type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("submits a list in bulk: one result per task, in order, each on its own", async () => {
    const res = await lumen.post("/tasks", [taskBody({ name: "a" }), taskBody({ name: "" }), taskBody({ name: "c", instanceCount: 1 })]);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(3);
    expect(res.body[0]).toEqual({ statusCode: 201, uuid: expect.any(String), message: null });
    expect(res.body[1]).toEqual({ statusCode: 400, uuid: null, message: expect.stringMatching(/^name: /) });
    expect(res.body[2]).toMatchObject({ statusCode: 201 });
    expect((await lumen.get(`/tasks/${res.body[2].uuid}`)).body.name).toBe("c");

    await db.insert(customerQuotas).values({ organizationId: lumen.organizationId, maxActiveInstances: 4 });
    const quota = await lumen.post("/tasks", [taskBody({ instanceCount: 1 }), taskBody({ instanceCount: 1 })]);
    expect(quota.body.map((r: { statusCode: number }) => r.statusCode)).toEqual([201, 403]);

    expect((await lumen.post("/tasks", [])).status).toBe(400);
    const tooMany = await lumen.post("/tasks", Array.from({ length: INPUT_LIMITS.maxBulkTasks + 1 }, () => taskBody()));
    expect(tooMany).toMatchObject({ status: 400, body: { message: expect.stringMatching(/at most 100 tasks/) } });
  });
});

describe("hostile input", () => {
  const nul = "a\u0000";
  const noTasks = async () => {
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from tasks`);
    expect(row!.n).toBe(0);
  };

  it("refuses control characters in text fields with 400 naming the field, and creates nothing", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: nul }, "name"],
      [{ name: "two\nlines" }, "name"],
      [{ tags: ["ok", nul] }, "tags[1]"],
      [{ constants: [{ key: nul, value: "1" }] }, "constants[0].key"],
      [{ constants: [{ key: "paths", value: "1\u0000" }] }, "constants[0].value"],
      [{ profile: "monte-carlo\u0000" }, "profile"],
      [{ instanceCount: undefined, advancedRanges: "1-2\u0000" }, "advancedRanges"],
      [{ shortname: nul }, "shortname"],
    ];
    for (const [more, field] of cases) {
      const res = await lumen.post("/tasks", taskBody(more));
      expect({ more, status: res.status, field: res.body.field }).toEqual({ more, status: 400, field });
    }
    const bulk = await lumen.post("/tasks", [taskBody({ name: nul })]);
    expect(bulk.body).toEqual([expect.objectContaining({ statusCode: 400, message: expect.stringMatching(/^name: /) })]);
    expect((await lumen.post("/jobs", { name: nul })).body).toMatchObject({ field: "name" });
    await noTasks();
    // A constant's value may hold line breaks and tabs.
    const uuid = await submit(lumen, { profile: "docker-batch", constants: [{ key: "image", value: "alpine" }, { key: "command", value: "echo a\techo b\n" }] });
    expect((await lumen.put(`/tasks/${uuid}`, { name: nul })).body).toMatchObject({ field: "name" });
    expect((await lumen.put(`/tasks/${uuid}`, { tags: [nul] })).body).toMatchObject({ field: "tags[0]" });
    expect((await lumen.get(`/tasks/${uuid}`)).body.name).toBe("price options");
  });

  it("refuses control characters in a path segment, a query parameter or a filter value, naming it", async () => {
    expect(await lumen.get("/tasks/%00")).toMatchObject({ status: 400, body: { field: "uuid" } });
    expect(await lumen.get("/tasks/a%0Ab/stdout")).toMatchObject({ status: 400, body: { field: "uuid" } });
    expect(await lumen.delete("/jobs/%00")).toMatchObject({ status: 400, body: { field: "uuid" } });
    expect(await lumen.get("/profiles/%00")).toMatchObject({ status: 400, body: { field: "name" } });
    expect(await lumen.get("/tasks?tag=a%00")).toMatchObject({ status: 400, body: { field: "tag" } });
    expect(await lumen.get("/tasks?tag%00=a")).toMatchObject({ status: 400, body: { field: "query" } });
    for (const path of ["/tasks/paginate", "/tasks/summaries/paginate"]) {
      const leaf = await lumen.post(path, { filter: { operator: "Equal", field: "Tags", value: nul } });
      expect(leaf).toMatchObject({ status: 400, body: { field: "filter.value" } });
      const nested = await lumen.post(path, {
        filter: { operator: "And", filters: [{ operator: "Equal", field: "State", value: "Submitted" }, { operator: "Equal", field: "Profile", value: nul }] },
      });
      expect(nested).toMatchObject({ status: 400, body: { field: "filter.filters[1].value" } });
      expect(await lumen.post(path, { filter: { operator: "Equal\u0000", field: "Tags", value: "x" } })).toMatchObject({
        status: 400,
        body: { field: "filter.operator" },
      });
    }
  });

  it("refuses a filter nested past the limit with 400, before it is walked", async () => {
    let deep: Record<string, unknown> = { operator: "Equal", field: "Tags", value: "x" };
    for (let i = 0; i < 1000; i++) deep = { operator: "And", filters: [deep] };
    for (const path of ["/tasks/paginate", "/tasks/summaries/paginate", "/jobs/paginate"]) {
      const res = await lumen.post(path, { filter: deep });
      expect(res).toMatchObject({ status: 400, body: { field: "filter", message: expect.stringContaining(`${INPUT_LIMITS.maxFilterDepth} levels`) } });
    }
  });

  it("answers a path that is not valid percent-encoding with 400", async () => {
    expect(await lumen.get("/tasks/%E0%A4%A")).toMatchObject({ status: 400, body: { field: "path" } });
    expect(await anonymous.get("/tasks/%E0%A4%A")).toMatchObject({ status: 400 });
  });
});

describe("another customer's task", () => {
  it("is answered exactly like a task that does not exist, on every route", async () => {
    const theirs = await submit(carmin, { shortname: "carmin-task" });
    const missing = "6f1c2e8a-2b7d-4c55-9b1e-0d3f5a7c9e21";
    const routes: Array<[string, string, unknown?]> = [
      ["GET", "/tasks/{id}"],
      ["PUT", "/tasks/{id}", { name: "mine now" }],
      ["DELETE", "/tasks/{id}"],
      ["GET", "/tasks/{id}/summary"],
      ["POST", "/tasks/{id}/abort"],
      ["GET", "/tasks/{id}/stdout"],
      ["POST", "/tasks/{id}/stdout"],
      ["GET", "/tasks/{id}/stderr"],
      ["POST", "/tasks/{id}/stderr"],
      ["GET", "/tasks/{id}/stdout/0"],
      ["POST", "/tasks/{id}/stderr/0"],
      ["GET", "/tasks/{id}/outputs"],
      ["GET", "/tasks/{id}/outputs/1"],
      ["GET", "/carbon/v1/tasks/{id}/carbon-facts"],
    ];
    for (const [method, path, json] of routes) {
      const foreign = await lumen.call(method, path.replace("{id}", theirs), json === undefined ? {} : { json });
      const absent = await lumen.call(method, path.replace("{id}", missing), json === undefined ? {} : { json });
      expect({ method, path, status: foreign.status }).toEqual({ method, path, status: 404 });
      expect(foreign.text.replace(theirs, "ID")).toBe(absent.text.replace(missing, "ID"));
    }
    // By shortname: the same.
    expect((await lumen.get("/tasks/carmin-task")).status).toBe(404);
    // Not listed, not counted; and still there, untouched.
    expect((await lumen.get("/tasks")).body).toEqual([]);
    expect((await carmin.get(`/tasks/${theirs}`)).body).toMatchObject({ name: "price options", state: "Submitted" });
  });
});

describe("running tasks", () => {
  it("follows instances to Success: status, ranges, completed instances and their results", async () => {
    const uuid = await submit(lumen, { instanceCount: 3 });
    await runAll({ finish: false });
    const running = (await lumen.get(`/tasks/${uuid}`)).body;
    expect(running.state).toBe("FullyExecuting");
    expect(running.runningInstanceCount).toBe(3);
    expect(running.status.instanceCount).toBe(3);
    expect(running.status.runningInstancesInfo.perRunningInstanceInfo).toHaveLength(3);
    // The processor it runs on, as its hardware model has it (never which radiator).
    const [cpu] = await db.execute<{ cpu_model: string; cores: number; cpu_clock_mhz: number }>(sql`
      select hm.cpu_model, hm.cores, hm.cpu_clock_mhz from instance_attempts a join instances i on i.id = a.instance_id
        join radiators r on r.id = a.radiator_id join hardware_models hm on hm.id = r.hardware_model_id
      where i.task_id = ${uuid} and i.instance_number = 0`);
    expect(cpu!.cpu_model).toMatch(/^AMD /);
    expect(running.status.runningInstancesInfo.perRunningInstanceInfo[0]).toMatchObject({
      phase: "execution",
      instanceId: 0,
      cpuModel: cpu!.cpu_model,
      coreCount: cpu!.cores,
      maxFrequencyGHz: cpu!.cpu_clock_mhz / 1000,
    });

    tick(60);
    const attempts = await db.execute<{ id: string; instance_number: number }>(sql`
      select a.id, i.instance_number from instance_attempts a join instances i on i.id = a.instance_id order by i.instance_number`);
    await fleet.report(
      clock,
      attempts.flatMap((a) => [fleet.output(Number(a.id), clock, "result.txt", "r"), fleet.exit(Number(a.id), clock, "succeeded")]),
    );
    const done = (await lumen.get(`/tasks/${uuid}`)).body;
    expect(done).toMatchObject({
      state: "Success",
      progress: 100,
      status: { executionProgress: 100, succeededRange: "0-2", failedRange: "", executedRange: "0-2", uploadProgress: 100 },
    });
    expect(done.endDate).toMatch(SDK_DATETIME);
    expect(done.completedInstances).toHaveLength(3);
    expect(done.completedInstances[0]).toMatchObject({ instanceId: 0, state: "Success", results: ["result.txt"], executionAttemptCount: 1, exitCode: 0 });
    expect(done.completedInstances[0].wallTimeSec).toBe(60);
    expect(done.completedInstances[0]).toMatchObject({ cpuModel: cpu!.cpu_model, coreCount: cpu!.cores });
    // Nothing names the node that ran it, nor its radiator model.
    const text = JSON.stringify(done);
    for (const id of fleet.radiatorIds) expect(text).not.toContain(id);
    expect(text).not.toMatch(/QRAD|QBOX|radiator|gateway|Q\.rad|boiler/i);
  });

  it("lists more than a page of ended instances in completedInstances", async () => {
    const uuid = await submit(lumen, { instanceCount: 150 });
    await db.execute(sql`update instances set state = 'failed', attempt_count = 1, ended_at = now() where task_id = ${uuid}`);
    const t = (await lumen.get(`/tasks/${uuid}`)).body;
    expect(t.completedInstances).toHaveLength(150);
    expect(t.completedInstances[149]).toMatchObject({ instanceId: 149, state: "Failure" });
  });

  it("reports Failure with the failed range", async () => {
    const uuid = await submit(lumen, { instanceCount: 3, retrySettings: { maxTotalRetries: null, maxPerInstanceRetries: 0 } });
    await runAll({ fail: [1] });
    const t = (await lumen.get(`/tasks/${uuid}`)).body;
    expect(t).toMatchObject({ state: "Failure", status: { succeededRange: "0,2", failedRange: "1", executedRange: "0-2" } });
    expect(t.completedInstances.map((i: { state: string }) => i.state)).toEqual(["Success", "Failure", "Success"]);
  });

  it("serves stdout and stderr as text, whole, per instance, and fresh (only new text)", async () => {
    const uuid = await submit(lumen, { instanceCount: 2 });
    const assignments = await runAll({ finish: false });
    const all = await lumen.get(`/tasks/${uuid}/stdout`);
    expect(all.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(all.text.split("\n").sort()).toEqual(["", "0 out", "1 out"]);
    expect((await lumen.get(`/tasks/${uuid}/stderr/1`)).text).toBe("1 err\n");
    expect((await lumen.get(`/tasks/${uuid}/stdout/0`)).text).toBe("0 out\n");
    expect((await lumen.get(`/tasks/${uuid}/stdout/7`)).status).toBe(404);
    expect((await lumen.get(`/tasks/${uuid}/stdout/abc`)).status).toBe(404);

    // Fresh: what is new since the last fresh read, per task/stream/scope.
    expect((await lumen.post(`/tasks/${uuid}/stdout`)).text.split("\n").sort()).toEqual(["", "0 out", "1 out"]);
    expect((await lumen.post(`/tasks/${uuid}/stdout`)).text).toBe("");
    const first = assignments.find((a) => a.instanceNumber === 0)!;
    tick(10);
    await fleet.report(clock, [fleet.log(first.attemptId, clock, "stdout", 1, "0 more\n")]);
    expect((await lumen.post(`/tasks/${uuid}/stdout`)).text).toBe("0 more\n");
    expect((await lumen.post(`/tasks/${uuid}/stdout`)).text).toBe("");
    // The instance's own fresh read has its own position; stderr too.
    expect((await lumen.post(`/tasks/${uuid}/stdout/0`)).text).toBe("0 out\n0 more\n");
    expect((await lumen.post(`/tasks/${uuid}/stdout/0`)).text).toBe("");
    expect((await lumen.post(`/tasks/${uuid}/stderr`)).text.split("\n").sort()).toEqual(["", "0 err", "1 err"]);
    // The whole stdout is still whole.
    expect((await lumen.get(`/tasks/${uuid}/stdout/0`)).text).toBe("0 out\n0 more\n");
  });

  it("lists and serves the output files", async () => {
    const uuid = await submit(lumen, { instanceCount: 1 });
    await runAll();
    const list = await lumen.get(`/tasks/${uuid}/outputs`);
    expect(list.body).toEqual([expect.objectContaining({ instanceId: 0, name: "result.txt", contentType: "text/plain", sizeBytes: 8 })]);
    const file = await lumen.get(`/tasks/${uuid}/outputs/${list.body[0].id}`);
    expect(file).toMatchObject({ status: 200, text: "result 0" });
    expect(file.headers.get("content-disposition")).toBe('attachment; filename="result.txt"');
    expect(file.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await lumen.get(`/tasks/${uuid}/outputs/999999`)).status).toBe(404);
    const facts = await lumen.get(`/carbon/v1/tasks/${uuid}/carbon-facts`);
    expect(facts.status).toBe(200);
    // The fields the SDK's CarbonFacts.from_json reads, all present, with the methodology named.
    for (const field of ["total_consumed_energy_Wh", "total_energy_it_Wh", "total_reused_energy_Wh", "qarnot_carbon_footprint",
      "equivalent_datacenter_name", "equivalent_DC_carbon_footprint", "saved_carbon_footprint_compute", "saved_carbon_footprint_heat",
      "saved_carbon_footprint_compute_heat", "saved_carbon_footprint_percent", "PUE", "ERE", "ERF", "WUE"]) {
      expect(facts.body).toHaveProperty(field);
    }
    expect(facts.body).toMatchObject({ equivalent_datacenter_name: "average-datacenter", methodology_version: "hearth-carbon-2" });
    const compared = await lumen.get(`/carbon/v1/tasks/${uuid}/carbon-facts?comparisonDatacenter=hyperscale-datacenter`);
    expect(compared.body.equivalent_datacenter_name).toBe("hyperscale-datacenter");
    const unknown = await lumen.get(`/carbon/v1/tasks/${uuid}/carbon-facts?comparisonDatacenter=atlantis-dc`);
    expect(unknown).toMatchObject({ status: 400, body: { field: "comparisonDatacenter", message: expect.stringContaining('"atlantis-dc"') } });
  });

  it("serves an output a browser would run or render (HTML, SVG, script) as bytes to download, never as itself", async () => {
    const uuid = await submit(lumen, { instanceCount: 3 });
    await fleet.wantHeat(clock);
    const assignments = await fleet.dispatch(clock);
    tick(5);
    const hostile = [
      ["page.html", "text/html"],
      ["image.svg", "image/svg+xml"],
      ["app.js", "application/javascript"],
    ] as const;
    await fleet.report(
      clock,
      assignments.flatMap((a, k) => [
        fleet.started(a.attemptId, clock),
        { ...fleet.output(a.attemptId, clock, hostile[k]![0], "<script>alert(document.cookie)</script>"), contentType: hostile[k]![1] },
        fleet.exit(a.attemptId, clock, "succeeded"),
      ]),
    );
    const list = (await lumen.get(`/tasks/${uuid}/outputs`)).body as Array<{ id: number; name: string }>;
    expect(list.map((o) => o.name).sort()).toEqual(["app.js", "image.svg", "page.html"]);
    for (const o of list) {
      const file = await lumen.get(`/tasks/${uuid}/outputs/${o.id}`);
      expect({ name: o.name, status: file.status, type: file.headers.get("content-type") }).toEqual({
        name: o.name,
        status: 200,
        type: "application/octet-stream",
      });
      expect(file.headers.get("x-content-type-options")).toBe("nosniff");
      expect(file.headers.get("content-disposition")).toBe(`attachment; filename="${o.name}"`);
    }
  });
});

describe("abort and delete", () => {
  it("aborts a queued task at once", async () => {
    const uuid = await submit(lumen);
    const res = await lumen.post(`/tasks/${uuid}/abort`);
    expect(res.status).toBe(204);
    expect((await lumen.get(`/tasks/${uuid}`)).body.state).toBe("Cancelled");
    // Once ended, there is nothing to abort: Qarnot's 403.
    const again = await lumen.post(`/tasks/${uuid}/abort`);
    expect(again.status).toBe(403);
    expect(again.body.message).toMatch(/already ended \(Cancelled\)/);
  });

  it("aborts a running task: PendingCancel until the radiators confirm, then Cancelled; delete waits for them", async () => {
    const uuid = await submit(lumen, { instanceCount: 2 });
    const assignments = await runAll({ finish: false });
    expect((await lumen.post(`/tasks/${uuid}/abort`)).status).toBe(204);
    expect((await lumen.get(`/tasks/${uuid}`)).body.state).toBe("PendingCancel");
    expect((await lumen.post(`/tasks/${uuid}/abort`)).status).toBe(204); // still stopping: accepted again

    const early = await lumen.delete(`/tasks/${uuid}`);
    expect(early.status).toBe(403);
    expect(early.body.message).toMatch(/still stopping/);

    tick(30);
    await fleet.report(clock, assignments.map((a) => fleet.exit(a.attemptId, clock, "cancelled", null)));
    expect((await lumen.get(`/tasks/${uuid}`)).body.state).toBe("Cancelled");
    expect((await lumen.delete(`/tasks/${uuid}`)).status).toBe(204);
    expect((await lumen.get(`/tasks/${uuid}`)).status).toBe(404);
    expect((await lumen.delete(`/tasks/${uuid}`)).status).toBe(404);
  });

  it("deletes a finished task with its logs and outputs", async () => {
    const uuid = await submit(lumen, { instanceCount: 1 });
    await runAll();
    expect((await lumen.delete(`/tasks/${uuid}`)).status).toBe(204);
    const [left] = await db.execute<{ logs: number; outputs: number }>(sql`
      select (select count(*) from instance_logs)::int as logs, (select count(*) from instance_outputs)::int as outputs`);
    expect(left).toEqual({ logs: 0, outputs: 0 });
  });
});

describe("updating a task", () => {
  it("changes name, tags and constants from the SDK's whole-task PUT", async () => {
    const uuid = await submit(lumen);
    const res = await lumen.put(`/tasks/${uuid}`, taskBody({ name: "renamed", tags: ["x"], constants: [{ key: "paths", value: "2000" }] }));
    expect(res.status).toBe(204);
    expect((await lumen.get(`/tasks/${uuid}`)).body).toMatchObject({ name: "renamed", tags: ["x"], constants: [{ key: "paths", value: "2000" }] });
    const bad = await lumen.put(`/tasks/${uuid}`, { constants: [{ key: "paths", value: "-1" }] });
    expect(bad).toMatchObject({ status: 400, body: { field: "constants" } });
  });
});

describe("listing and pagination", () => {
  it("lists tasks newest first, by tag", async () => {
    const a = await submit(lumen, { tags: ["blue"] });
    tick(1);
    const b = await submit(lumen, { tags: ["red"] });
    expect((await lumen.get("/tasks")).body.map((t: { uuid: string }) => t.uuid)).toEqual([b, a]);
    expect((await lumen.get("/tasks?tag=blue")).body.map((t: { uuid: string }) => t.uuid)).toEqual([a]);
  });

  it("pages with Qarnot's token and nextToken, and filters", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.unshift(await submit(lumen, { name: `t${i}`, tags: i % 2 === 0 ? ["even"] : ["odd"] }));
      tick(1);
    }
    const seen: string[] = [];
    let token: string | null = null;
    const sizes: number[] = [];
    for (;;) {
      const page: { body: { data: Array<{ uuid: string }>; nextToken: string | null; isTruncated: boolean; token: string | null } } =
        await lumen.post("/tasks/summaries/paginate", { filter: null, token, maximumResults: 2 });
      expect(page.body.token).toBe(token);
      sizes.push(page.body.data.length);
      seen.push(...page.body.data.map((t) => t.uuid));
      expect(page.body.isTruncated).toBe(page.body.nextToken !== null);
      if (!page.body.nextToken) break;
      token = page.body.nextToken;
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(ids);

    const even = await lumen.post("/tasks/summaries/paginate", { filter: { operator: "Equal", field: "Tags", value: "even" }, token: null, maximumResults: null });
    expect(even.body.data).toHaveLength(3);
    const both = await lumen.post("/tasks/paginate", {
      filter: { operator: "And", filters: [{ operator: "Equal", field: "Tags", value: "odd" }, { operator: "Equal", field: "State", value: "Submitted" }] },
      token: null,
      maximumResults: 10,
    });
    expect(both.body.data).toHaveLength(2);
    expect(both.body.data[0].status).toBeDefined(); // whole tasks

    const or = await lumen.post("/tasks/paginate", {
      filter: { operator: "Or", filters: [{ operator: "Equal", field: "Tags", value: "odd" }, { operator: "Equal", field: "Tags", value: "even" }] },
    });
    expect(or).toMatchObject({ status: 400, body: { field: "filter.operator" } });
    expect((await lumen.post("/tasks/paginate", { token: "garbage" })).body.field).toBe("token");
    expect((await lumen.post("/tasks/summaries/paginate", { maximumResults: 1000 })).body.field).toBe("maximumResults");
    // Another account's pages hold none of these.
    expect((await carmin.post("/tasks/summaries/paginate", {})).body).toMatchObject({ data: [], nextToken: null, isTruncated: false });
  });
});

describe("jobs", () => {
  it("creates a job (at /jobs/ too), runs tasks in it, terminates and deletes it", async () => {
    const created = await lumen.post("/jobs/", {
      name: "batch",
      poolUuid: null,
      shortname: "batch-1",
      state: "",
      tags: [],
      useDependencies: true,
      maxWallTime: "1.02:00:00",
      autoDeleteOnCompletion: false,
      completionTimeToLive: "00:00:00",
    });
    expect(created.status).toBe(201);
    const job = created.body.uuid;
    const shown = (await lumen.get(`/jobs/${job}`)).body;
    expect(shown).toMatchObject({ uuid: job, name: "batch", shortname: "batch-1", state: "Active", useDependencies: true, maxWallTime: "1.02:00:00", poolUuid: null });
    expect(shown.creationDate).toMatch(SDK_DATETIME);
    expect((await lumen.get("/jobs/batch-1")).body.uuid).toBe(job);

    const first = await submit(lumen, { jobUuid: job });
    tick(1);
    const second = await submit(lumen, { jobUuid: job, dependencies: { dependsOn: [first] } });
    expect((await lumen.get(`/tasks/${second}`)).body).toMatchObject({ jobUuid: job, dependencies: { dependsOn: [first] }, maxWallTime: "1.02:00:00" });
    expect((await lumen.get(`/jobs/${job}/tasks`)).body.map((t: { uuid: string }) => t.uuid)).toEqual([second, first]);
    expect((await lumen.get("/jobs")).body.map((j: { uuid: string }) => j.uuid)).toEqual([job]);
    const page = await lumen.post("/jobs/paginate", { filter: null, token: null, maximumResults: null });
    expect(page.body).toMatchObject({ data: [expect.objectContaining({ uuid: job })], isTruncated: false });

    expect((await lumen.delete(`/jobs/${job}?force=False`)).status).toBe(403);
    expect((await lumen.post(`/jobs/${job}/terminate`)).status).toBe(204);
    expect((await lumen.get(`/jobs/${job}`)).body.state).toBe("Completed");
    const late = await lumen.post("/tasks", taskBody({ jobUuid: job }));
    expect(late).toMatchObject({ status: 400, body: { field: "jobUuid" } });

    expect((await lumen.delete(`/jobs/${job}?force=False`)).status).toBe(204);
    expect((await lumen.get(`/jobs/${job}`)).status).toBe(404);
    expect((await lumen.get(`/tasks/${first}`)).status).toBe(404);
  });

  it("refuses dependencies outside a job that uses them", async () => {
    const first = await submit(lumen);
    const res = await lumen.post("/tasks", taskBody({ dependencies: { dependsOn: [first] } }));
    expect(res).toMatchObject({ status: 400, body: { field: "dependencies.dependsOn" } });
    const plain = (await lumen.post("/jobs", { name: "plain" })).body.uuid;
    expect((await lumen.post("/tasks", taskBody({ jobUuid: plain, dependencies: { dependsOn: [first] } }))).status).toBe(400);
  });

  it("force-deletes a job with running work once the radiators have stopped it", async () => {
    const job = (await lumen.post("/jobs", { name: "j" })).body.uuid;
    await submit(lumen, { jobUuid: job, instanceCount: 1 });
    const [a] = await runAll({ finish: false });
    const forced = await lumen.delete(`/jobs/${job}?force=True`);
    expect(forced.status).toBe(403); // terminated, but the instance is still stopping
    expect((await lumen.get(`/jobs/${job}`)).body.state).toBe("Terminating");
    tick(30);
    await fleet.report(clock, [fleet.exit(a!.attemptId, clock, "cancelled", null)]);
    expect((await lumen.delete(`/jobs/${job}?force=True`)).status).toBe(204);
  });

  it("answers 404 for another customer's job, and 400 for bad job input", async () => {
    const theirs = (await carmin.post("/jobs", { name: "theirs" })).body.uuid;
    for (const [method, path] of [
      ["GET", `/jobs/${theirs}`],
      ["GET", `/jobs/${theirs}/tasks`],
      ["POST", `/jobs/${theirs}/terminate`],
      ["GET", `/carbon/v1/jobs/${theirs}/carbon-facts`],
      ["DELETE", `/jobs/${theirs}?force=true`],
    ] as const) {
      expect((await lumen.call(method, path)).status).toBe(404);
    }
    expect((await lumen.post("/tasks", taskBody({ jobUuid: theirs }))).body.field).toBe("jobUuid");
    expect((await carmin.get(`/jobs/${theirs}`)).body.state).toBe("Active");
    expect((await lumen.post("/jobs", { name: "" })).body.field).toBe("name");
    expect((await lumen.post("/jobs", { name: "x", maxWallTime: "soon" })).body.field).toBe("maxWallTime");
    expect((await lumen.post("/jobs", { name: "x", tags: ["a"] })).body.field).toBe("tags");
    expect((await lumen.post("/jobs/paginate", { filter: { operator: "Equal", field: "Tags", value: "a" } })).body.field).toBe("filter");
  });
});

describe("database state", () => {
  it("keeps keys hashed", async () => {
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, lumen.keyId));
    const key = lumen.key!;
    expect(row!.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
  });
});
