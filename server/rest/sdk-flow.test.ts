import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { customerQuotas } from "@/server/db/schema";
import type { Assignment } from "@/server/services/scheduler";
import { useTestDb } from "@/server/test/db";
import { TokenBucketLimiter } from "./rate-limit";
import { SDK_DATETIME, SDK_TIMESPAN, useRestHarness } from "./testing";

/**
 * Replays the HTTP calls of Qarnot's Python SDK (qarnot-sdk-python: connection.py, task.py,
 * job.py, status.py) for: connect, create and submit a task, wait (polling GET /tasks/{uuid}),
 * state, stdout, fresh_stdout, abort, delete; bulk submission, jobs, pagination, profiles and
 * user info. Requests carry what the SDK sends (bare key, its task JSON, bodiless POSTs), and the
 * answers are read the way the SDK reads them: a field it would fail on fails the test.
 */

const db = useTestDb();
let clock = new Date("2026-01-15T10:00:00Z");
let limiter = new TokenBucketLimiter(1e6, 1e6);
let limiterMs = 0;
const tick = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));
const { server, lumen, fleet } = useRestHarness(db, {
  keyName: "sdk",
  options: () => ({ now: () => clock, limiter, nowMs: () => limiterMs }),
  customers: ["lumen"],
});
beforeEach(() => {
  clock = new Date("2026-01-15T10:00:00Z");
  limiter = new TokenBucketLimiter(1e6, 1e6);
});

// ---------------------------------------------------------------------------------------------
// What the SDK does, in TypeScript. Exceptions carry the SDK's class names.

class SdkError extends Error {
  constructor(
    readonly kind: string,
    message = "",
  ) {
    super(`${kind}: ${message}`);
  }
}

// Answers are JSON of many shapes, read loosely as the SDK reads them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Http = { status: number; text: string; json: () => Json };

const RUNNING_DOWNLOADING_STATES = ["Submitted", "PartiallyDispatched", "FullyDispatched", "PartiallyExecuting", "FullyExecuting", "DownloadingResults", "UploadingResults"];
const TRANSIENT = [429, 500, 502, 503, 504];

/** qarnot/_util.py get_error_message_from_http_response */
function errorMessage(res: Http): string {
  try {
    const body = res.json();
    return String(body.message ?? body.error ?? "");
  } catch {
    return res.text;
  }
}

/** qarnot/__init__.py raise_on_error */
function raiseOnError(res: Http) {
  if (res.status === 503) throw new SdkError("QarnotGenericException", "Service Unavailable");
  if (res.status === 403) throw new SdkError("UnauthorizedException", errorMessage(res));
  if (res.status < 200 || res.status >= 300) throw new SdkError("QarnotGenericException", errorMessage(res));
}

/** Python's datetime.strptime with the SDK's two formats (qarnot/_util.py parse_datetime). */
function parseDatetime(value: unknown): Date {
  if (typeof value !== "string") throw new TypeError(`strptime() argument 1 must be str, not ${value === null ? "None" : typeof value}`);
  if (!SDK_DATETIME.test(value)) throw new Error(`time data ${JSON.stringify(value)} does not match format`);
  return new Date(value);
}

/** qarnot/_util.py parse_timedelta: None, or "[d.]hh:mm:ss[.f]". */
function parseTimedelta(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value !== "string" || !SDK_TIMESPAN.test(value)) throw new Error(`parse_timedelta format: ${JSON.stringify(value)}`);
  return 0;
}

/** qarnot/connection.py Connection: the requests session and its retry decorator (_retry.py). */
class Connection {
  requests: Array<{ method: string; path: string; body?: string; contentType?: string }> = [];
  retries = 0;

  private constructor(
    readonly cluster: string,
    readonly token: string,
  ) {}

  /** Connection(client_token=…, cluster_url=…): GET /settings; storage null: no bucket client, done. */
  static async open(clusterUrl: string, token: string) {
    const conn = new Connection(clusterUrl, token);
    const settings = (await conn.get("/settings")).json();
    expect(settings).toHaveProperty("storage", null);
    return conn;
  }

  private async request(method: string, path: string, json?: unknown): Promise<Http> {
    const headers: Record<string, string> = { Authorization: this.token, "User-Agent": "qarnot-sdk-python/2.20.0" };
    let body: string | undefined;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    }
    for (let tries = 0; ; tries++) {
      this.requests.push({ method, path, body, contentType: headers["Content-Type"] });
      const res = await fetch(this.cluster + path, { method, headers, body, redirect: "follow" });
      const text = await res.text();
      const http: Http = { status: res.status, text, json: () => JSON.parse(text) };
      if (res.ok) return http;
      if (res.status === 401) throw new SdkError("UnauthorizedException");
      if (!TRANSIENT.includes(res.status) || tries >= 5) return http;
      this.retries++;
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      limiterMs += 1000 * 2 ** tries; // the SDK sleeps 2**tries * retry_wait seconds
    }
  }

  get = (path: string) => this.request("GET", path);
  post = (path: string, json?: unknown) => this.request("POST", path, json);
  put = (path: string, json: unknown) => this.request("PUT", path, json);
  del = (path: string) => this.request("DELETE", path);

  async userInfo() {
    const res = await this.get("/info");
    raiseOnError(res);
    const info = res.json();
    const quotas = info.computingQuotas as { user: { flex: Record<string, unknown>; onDemand: Record<string, unknown>; reserved: unknown[] } };
    return {
      email: info.email,
      taskCount: info.taskCount,
      runningInstanceCount: info.runningInstanceCount ?? -1,
      maxFlexInstances: quotas.user.flex.maxInstances,
      reserved: quotas.user.reserved.map((r) => r),
      projects: (info.projects as unknown[]).map((p) => p),
    };
  }

  /** profiles(): the names, then each profile's details (404 → skipped). */
  async profiles() {
    const names = await this.get("/profiles");
    raiseOnError(names);
    const out = [];
    for (const name of names.json() as unknown as string[]) {
      const res = await this.get(`/profiles/${name}`);
      if (res.status === 404) continue;
      raiseOnError(res);
      const p = res.json();
      out.push({ name: p.name, constants: (p.constants as Array<{ name: string; value: string }>).map((c) => [c.name, c.value]) });
    }
    return out;
  }

  /**
   * qarnot/carbon_facts.py CarbonClient.get_task_carbon_facts, with CarbonFacts.from_json: the
   * comparison as get_url_with_param writes it (not encoded), a 404 as MissingTaskException.
   */
  async taskCarbonFacts(uuid: string, datacenterName?: string) {
    const res = await this.get(`/carbon/v1/tasks/${uuid}/carbon-facts${datacenterName ? `?comparisonDatacenter=${datacenterName}` : ""}`);
    if (res.status === 404) throw new SdkError("MissingTaskException", errorMessage(res));
    raiseOnError(res);
    const json = res.json();
    const fields = [
      "total_consumed_energy_Wh",
      "total_energy_it_Wh",
      "total_reused_energy_Wh",
      "qarnot_carbon_footprint",
      "equivalent_DC_carbon_footprint",
      "saved_carbon_footprint_compute",
      "saved_carbon_footprint_heat",
      "saved_carbon_footprint_compute_heat",
      "saved_carbon_footprint_percent",
      "PUE",
      "ERE",
      "ERF",
      "WUE",
    ] as const;
    // json.get(...) would give None for a missing field: the SDK's float attributes would be None.
    for (const f of fields) if (typeof json[f] !== "number") throw new Error(`carbon facts: ${f} is ${JSON.stringify(json[f])}`);
    if (typeof json.equivalent_datacenter_name !== "string") throw new Error("carbon facts: equivalent_datacenter_name");
    return { energyConsumptionWh: json.total_consumed_energy_Wh, carbonFootprintGCO2eq: json.qarnot_carbon_footprint, equivalentDatacenterName: json.equivalent_datacenter_name };
  }

  /** qarnot/credits_client.py CreditsClient: a task's consumed credits and the account's, as Credits.from_json reads them. */
  async credits(taskUuid?: string) {
    const res = await this.get(taskUuid ? `/credits/v1/tasks/${taskUuid}/credits` : "/credits/v1/accounts/credits");
    if (res.status === 404) throw new SdkError("MissingTaskException", errorMessage(res));
    raiseOnError(res);
    const euros = res.json().credits;
    if (typeof euros !== "number") throw new Error(`credits: ${JSON.stringify(euros)}`);
    return { amountInEuros: euros, amountInCents: euros * 100 };
  }

  async retrieveTask(uuid: string) {
    const res = await this.get(`/tasks/${uuid}`);
    if (res.status === 404) throw new SdkError("MissingTaskException", errorMessage(res));
    raiseOnError(res);
    return Task.fromJson(this, res.json());
  }

  /** submit_tasks(): POST the list; the answers are in the same order. */
  async submitTasks(tasks: Task[]) {
    const res = await this.post("/tasks", tasks.map((t) => t.toJson()));
    raiseOnError(res);
    const errors: string[] = [];
    for (const [i, r] of (res.json() as Array<{ statusCode: number; uuid: string | null; message: string | null }>).entries()) {
      if (!(r.statusCode >= 200 && r.statusCode < 300 && r.uuid)) errors.push(`[${i}] : ${r.statusCode}, ${r.message}`);
      else {
        tasks[i]!.uuid = r.uuid;
        await tasks[i]!.update();
      }
    }
    if (errors.length > 0) throw new SdkError("QarnotGenericException", errors.join("\n"));
  }

  /** all_tasks(): POST /tasks/summaries/paginate until isTruncated is false or nextToken null. */
  async allTasks() {
    const out: Task[] = [];
    let token: string | null = null;
    for (let truncated = true; truncated; ) {
      const res = await this.post("/tasks/summaries/paginate", { filter: null, token, maximumResults: null });
      raiseOnError(res);
      const page = res.json() as unknown as { data: Array<Record<string, unknown>>; nextToken: string | null; isTruncated: boolean };
      token = page.nextToken;
      truncated = page.isTruncated && token !== null;
      out.push(...page.data.map((t) => Task.fromJson(this, t)));
    }
    return out;
  }
}

/** qarnot/task.py Task: the JSON it posts, and `_update` reading the API's answer. */
class Task {
  uuid: string | null = null;
  state = "UnSubmitted";
  constants: Record<string, string> = {};
  tags: string[] = [];
  jobUuid: string | null = null;
  // Read from answers:
  json: Record<string, unknown> = {};
  status: { executionProgress: number; succeededRange: string; failedRange: string } | null = null;
  completedInstances: Array<{ instanceId: number; state: string; wallTimeSec: number; results: string[] }> = [];
  creationDate: Date | null = null;

  constructor(
    readonly conn: Connection,
    public name: string,
    public profile: string,
    public instanceCount: number | string,
  ) {}

  static fromJson(conn: Connection, json: Record<string, unknown>) {
    const countOrRange = "instanceCount" in json ? (json.instanceCount as number) : (json.advancedRanges as string);
    const task = new Task(conn, json.name as string, json.profile as string, countOrRange);
    task.read(json);
    return task;
  }

  toJson() {
    const ranges = typeof this.instanceCount === "string";
    return {
      name: this.name,
      profile: this.profile,
      poolUuid: null,
      jobUuid: this.jobUuid,
      constants: Object.entries(this.constants).map(([k, value]) => ({ key: k, value })),
      constraints: [],
      forcedConstants: [],
      waitForPoolResourcesSynchronization: null,
      uploadResultsOnCancellation: null,
      labels: {},
      dependencies: { dependsOn: [] },
      advancedResourceBuckets: [],
      ...(ranges ? { advancedRanges: this.instanceCount } : { instanceCount: this.instanceCount }),
      tags: this.tags,
      autoDeleteOnCompletion: false,
      completionTimeToLive: "00:00:00",
      hardwareConstraints: [],
      defaultResourcesCacheTTLSec: null,
      privileges: { exportApiAndStorageCredentialsInEnvironment: false },
      retrySettings: { maxTotalRetries: null, maxPerInstanceRetries: null },
      forcedNetworkRules: [],
    };
  }

  async submit() {
    const res = await this.conn.post("/tasks", this.toJson());
    if (res.status === 404) throw new SdkError("MissingBucketException", errorMessage(res));
    if (res.status === 403) {
      const message = errorMessage(res);
      throw new SdkError(message.toLowerCase().includes("maximum number of tasks reached") ? "MaxTaskException" : "UnauthorizedException", message);
    }
    if (res.status === 402) throw new SdkError("NotEnoughCreditsException", errorMessage(res));
    raiseOnError(res);
    this.uuid = res.json().uuid as string;
    await this.update();
  }

  /** update(flushcache): the replays always find the 5 s cache expired, so every call is a GET. */
  async update() {
    if (this.uuid === null) return;
    const res = await this.conn.get(`/tasks/${this.uuid}`);
    if (res.status === 404) throw new SdkError("MissingTaskException", errorMessage(res));
    raiseOnError(res);
    this.read(res.json());
  }

  /** Task._update: every field the SDK reads, parsed as it parses them. */
  private read(json: Record<string, unknown>) {
    this.json = json;
    this.name = json.name as string;
    if ("status" in json) {
      const s = json.status as Record<string, unknown>;
      // Status(json): these two lists are iterated.
      for (const list of ["executionTimeByCpuModel", "executionTimeGhzByCpuModel"]) expect(Array.isArray(s[list]), list).toBe(true);
      if (s.runningInstancesInfo) {
        const info = s.runningInstancesInfo as { perRunningInstanceInfo?: Array<Record<string, unknown>> };
        for (const r of info.perRunningInstanceInfo ?? []) {
          if ("activeForwards" in r) expect(Array.isArray(r.activeForwards)).toBe(true);
          if ("vpnConnections" in r) expect(Array.isArray(r.vpnConnections)).toBe(true);
        }
      }
      this.status = s as unknown as Task["status"];
    }
    this.creationDate = parseDatetime(json.creationDate);
    if ("errors" in json) for (const e of json.errors as Array<Record<string, unknown>>) expect(typeof e).toBe("object");
    if ("constants" in json) for (const c of json.constants as Array<{ key: string; value: string }>) this.constants[c.key] = c.value;
    this.uuid = json.uuid as string;
    this.state = json.state as string;
    this.tags = (json.tags as string[]) ?? [];
    this.completedInstances = "completedInstances" in json ? (json.completedInstances as Task["completedInstances"]) : [];
    for (const c of (json.hardwareConstraints as Array<{ discriminator: string }> | undefined) ?? []) expect(typeof c.discriminator).toBe("string");
    if ("privileges" in json) expect(json.privileges).toHaveProperty("exportApiAndStorageCredentialsInEnvironment");
    if ("retrySettings" in json) expect(json.retrySettings).toHaveProperty("maxPerInstanceRetries");
    if ("schedulingType" in json) expect(["Flex", "OnDemand", "Reserved", null]).toContain(json.schedulingType);
    for (const r of (json.forcedNetworkRules as unknown[] | undefined) ?? []) expect(r).toBeDefined();
    if ("dependencies" in json && json.dependencies !== null) expect(typeof json.dependencies).toBe("object");
    // A summary the SDK read must not trip `resultsCount` into downloading from a bucket it has not got.
    expect(json).not.toHaveProperty("resultsCount");
  }

  /** wait(): poll GET /tasks/{uuid} while running; `between` stands for the 10 s naps. */
  async wait(between: (round: number) => Promise<void>, maxRounds = 20) {
    if (this.uuid === null) return false;
    await this.update();
    for (let round = 0; RUNNING_DOWNLOADING_STATES.includes(this.state); round++) {
      if (round >= maxRounds) return false;
      await between(round);
      await this.update();
    }
    await this.update();
    return true;
  }

  /** The `state` property: auto_update refreshes (the 5 s cache has always expired here). */
  async getState() {
    await this.update();
    return this.state;
  }

  private async output(method: "GET" | "POST", stream: "stdout" | "stderr", instanceId?: number) {
    if (this.uuid === null) return "";
    const path = instanceId === undefined ? `/tasks/${this.uuid}/${stream}` : `/tasks/${this.uuid}/${stream}/${instanceId}`;
    const res = method === "GET" ? await this.conn.get(path) : await this.conn.post(path);
    if (res.status === 404) throw new SdkError(instanceId === undefined ? "MissingTaskException" : "MissingTaskInstanceException", errorMessage(res));
    raiseOnError(res);
    return res.text;
  }

  stdout = (instanceId?: number) => this.output("GET", "stdout", instanceId);
  freshStdout = (instanceId?: number) => this.output("POST", "stdout", instanceId);
  stderr = (instanceId?: number) => this.output("GET", "stderr", instanceId);
  freshStderr = (instanceId?: number) => this.output("POST", "stderr", instanceId);

  async abort() {
    await this.update();
    const res = await this.conn.post(`/tasks/${this.uuid}/abort`);
    if (res.status === 404) throw new SdkError("MissingTaskException", errorMessage(res));
    if (res.status === 403) throw new SdkError("UnauthorizedException", errorMessage(res));
    raiseOnError(res);
    await this.update();
  }

  async delete() {
    if (this.uuid === null) return;
    const res = await this.conn.del(`/tasks/${this.uuid}`);
    if (res.status === 404) throw new SdkError("MissingTaskException", errorMessage(res));
    raiseOnError(res);
    this.state = "Deleted";
    this.uuid = null;
  }
}

/** qarnot/job.py Job */
class Job {
  uuid: string | null = null;
  state = "";
  constructor(
    readonly conn: Connection,
    readonly name: string,
    readonly shortname: string | null = null,
    readonly useDependencies = false,
  ) {}

  async submit() {
    const res = await this.conn.post("/jobs/", {
      name: this.name,
      poolUuid: null,
      shortname: this.shortname,
      state: this.state,
      tags: [],
      useDependencies: this.useDependencies,
      maxWallTime: null,
      autoDeleteOnCompletion: false,
      completionTimeToLive: "00:00:00",
    });
    if (res.status === 404) throw new SdkError("MissingJobException", errorMessage(res));
    if (res.status === 403) throw new SdkError("UnauthorizedException", errorMessage(res));
    if (res.status === 402) throw new SdkError("NotEnoughCreditsException", errorMessage(res));
    raiseOnError(res);
    this.uuid = res.json().uuid as string;
    await this.update();
  }

  async update() {
    const res = await this.conn.get(`/jobs/${this.uuid}`);
    if (res.status === 404) throw new SdkError("MissingJobException", errorMessage(res));
    raiseOnError(res);
    const json = res.json();
    parseDatetime(json.creationDate);
    parseTimedelta(json.maxWallTime);
    this.state = json.state as string;
  }

  async tasks() {
    const res = await this.conn.get(`/jobs/${this.uuid}/tasks`);
    if (res.status === 404) throw new SdkError("MissingJobException", errorMessage(res));
    raiseOnError(res);
    return (res.json() as unknown as Array<Record<string, unknown>>).map((t) => Task.fromJson(this.conn, t));
  }

  async terminate() {
    const res = await this.conn.post(`/jobs/${this.uuid}/terminate`);
    if (res.status === 404) throw new SdkError("MissingJobException", errorMessage(res));
    raiseOnError(res);
    this.state = "Terminating";
  }

  async delete(forceAbort = false) {
    // Python formats the bool: "True" / "False".
    const res = await this.conn.del(`/jobs/${this.uuid}?force=${forceAbort ? "True" : "False"}`);
    if (res.status === 404) throw new SdkError("MissingJobException", errorMessage(res));
    if (res.status === 403) throw new SdkError("UnauthorizedException", errorMessage(res));
    raiseOnError(res);
    this.state = "Deleting";
    this.uuid = null;
  }
}

// ---------------------------------------------------------------------------------------------
// A radiator's side of the story, between the SDK's polls.

let running: Assignment[] = [];

async function radiatorsPickUp() {
  await fleet.wantHeat(clock);
  running = await fleet.dispatch(clock);
  tick(5);
  await fleet.report(
    clock,
    running.flatMap((a) => [fleet.started(a.attemptId, clock), fleet.log(a.attemptId, clock, "stdout", 0, `instance ${a.instanceNumber} starts\n`)]),
  );
}

async function radiatorsFinish() {
  tick(60);
  await fleet.report(
    clock,
    running.flatMap((a) => [
      fleet.log(a.attemptId, clock, "stdout", 1, `instance ${a.instanceNumber} done\n`),
      fleet.output(a.attemptId, clock, "result.json", "{}"),
      fleet.exit(a.attemptId, clock, "succeeded"),
    ]),
  );
}

// ---------------------------------------------------------------------------------------------

describe("Qarnot's Python SDK, call for call", () => {
  it("connects, submits, waits, reads state and stdout, fresh stdout, and deletes", async () => {
    const conn = await Connection.open(server.baseUrl, lumen.key);
    expect(conn.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /settings"]);

    const task = new Task(conn, "sdk-demo", "monte-carlo", 3);
    task.constants = { paths: "1000", seed: "7" };
    task.tags = ["sdk"];
    await task.submit();
    expect(task.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(task.state).toBe("Submitted");
    expect(task.constants).toEqual({ paths: "1000", seed: "7" });
    expect(task.creationDate?.getTime()).toBe(clock.getTime());

    const done = await task.wait(async (round) => {
      if (round === 0) await radiatorsPickUp();
      else await radiatorsFinish();
    });
    expect(done).toBe(true);
    expect(await task.getState()).toBe("Success");
    expect(task.status).toMatchObject({ executionProgress: 100, succeededRange: "0-2", failedRange: "" });
    expect(task.completedInstances.map((c) => [c.instanceId, c.state, c.results])).toEqual([
      [0, "Success", ["result.json"]],
      [1, "Success", ["result.json"]],
      [2, "Success", ["result.json"]],
    ]);

    const stdout = await task.stdout();
    // The task's stdout interleaves its instances' lines in the order they arrived.
    expect(stdout.split("\n").filter(Boolean).sort()).toEqual([0, 1, 2].flatMap((n) => [`instance ${n} done`, `instance ${n} starts`]).sort());
    expect(stdout.indexOf("instance 0 starts")).toBeLessThan(stdout.indexOf("instance 0 done"));
    expect(await task.stdout(1)).toBe("instance 1 starts\ninstance 1 done\n");
    expect((await task.freshStdout()).length).toBe(stdout.length);
    expect(await task.freshStdout()).toBe("");
    expect(await task.freshStderr()).toBe("");
    expect(await task.stderr()).toBe("");
    // Bodiless POSTs, as the SDK sends them.
    const fresh = conn.requests.filter((r) => r.method === "POST" && r.path.endsWith("/stdout"));
    expect(fresh.every((r) => r.body === undefined && r.contentType === undefined)).toBe(true);

    const uuid = task.uuid!;
    await task.delete();
    await expect(conn.retrieveTask(uuid)).rejects.toThrow(/^MissingTaskException/);
  });

  it("reads a task's carbon facts and consumed credits, and the account's credits", async () => {
    const conn = await Connection.open(server.baseUrl, lumen.key);
    const task = new Task(conn, "sdk-carbon", "monte-carlo", 2);
    await task.submit();
    // Before it has run: zeros, not an error.
    expect(await conn.taskCarbonFacts(task.uuid!)).toEqual({ energyConsumptionWh: 0, carbonFootprintGCO2eq: 0, equivalentDatacenterName: "average-datacenter" });
    expect(await conn.credits(task.uuid!)).toEqual({ amountInEuros: 0, amountInCents: 0 });
    await task.wait(async (round) => {
      if (round === 0) await radiatorsPickUp();
      else await radiatorsFinish();
    });
    expect((await conn.taskCarbonFacts(task.uuid!, "hyperscale-datacenter")).equivalentDatacenterName).toBe("hyperscale-datacenter");
    // Two one-core instances for a minute each at 25 c/h: 0.83 c, a cent for the task; what its charges hold, in euros.
    const [charged] = await db.execute<{ cents: string; charges: number }>(
      sql`select coalesce(sum(amount_cents), 0) as cents, count(*)::int as charges from task_charges where task_id = ${task.uuid!}`,
    );
    expect(charged!.charges).toBe(2);
    expect(Number(charged!.cents)).toBe(1);
    expect((await conn.credits(task.uuid!)).amountInEuros).toBe(0.01);
    expect(typeof (await conn.credits()).amountInEuros).toBe("number");
    await expect(conn.taskCarbonFacts("00000000-0000-4000-8000-000000000000")).rejects.toThrow(/^MissingTaskException/);
    await expect(conn.credits("00000000-0000-4000-8000-000000000000")).rejects.toThrow(/^MissingTaskException/);
    // An unknown comparison is the API's 400, which raise_on_error turns into QarnotGenericException.
    await expect(conn.taskCarbonFacts(task.uuid!, "mars-1")).rejects.toThrow(/mars-1/);
  });

  it("follows fresh_stdout while the task runs (wait(follow_stdout=True))", async () => {
    const conn = await Connection.open(server.baseUrl, lumen.key);
    const task = new Task(conn, "follow", "monte-carlo", 1);
    await task.submit();
    await radiatorsPickUp();
    expect(await task.freshStdout()).toBe("instance 0 starts\n");
    expect(await task.freshStdout()).toBe("");
    await radiatorsFinish();
    expect(await task.freshStdout()).toBe("instance 0 done\n");
  });

  it("aborts a running task, then deletes it once it has stopped", async () => {
    const conn = await Connection.open(server.baseUrl, lumen.key);
    const task = new Task(conn, "to abort", "monte-carlo", "0-1");
    await task.submit();
    await radiatorsPickUp();
    expect(await task.getState()).toBe("FullyExecuting");
    await task.abort();
    expect(task.state).toBe("PendingCancel");
    // wait() stops polling at PendingCancel: it is not a running state for the SDK.
    expect(await task.wait(async () => {})).toBe(true);

    await expect(task.delete()).rejects.toThrow(/^UnauthorizedException: .*still stopping/);
    tick(30);
    await fleet.report(clock, running.map((a) => fleet.exit(a.attemptId, clock, "cancelled", null)));
    expect(await task.getState()).toBe("Cancelled");
    await expect(task.abort()).rejects.toThrow(/^UnauthorizedException: .*already ended/);
    await task.delete();
    expect(task.state).toBe("Deleted");
  });

  it("submits in bulk with submit_tasks and lists with all_tasks", async () => {
    const conn = await Connection.open(server.baseUrl, lumen.key);
    const tasks = [new Task(conn, "a", "monte-carlo", 1), new Task(conn, "b", "render", "1-4"), new Task(conn, "c", "monte-carlo", 2)];
    await conn.submitTasks(tasks);
    expect(tasks.map((t) => t.state)).toEqual(["Submitted", "Submitted", "Submitted"]);
    expect(tasks[1]!.json).toMatchObject({ instanceCount: 4, advancedRanges: "1-4" });

    const broken = [new Task(conn, "ok", "monte-carlo", 1), new Task(conn, "bad", "no-such-profile", 1)];
    await expect(conn.submitTasks(broken)).rejects.toThrow(/\[1\] : 400, profile: unknown profile/);
    expect(broken[0]!.uuid).not.toBeNull();

    const listed = await conn.allTasks();
    expect(listed.map((t) => t.name).sort()).toEqual(["a", "b", "c", "ok"]);
  });

  it("creates a job, submits tasks in it, lists, terminates and deletes it", async () => {
    const conn = await Connection.open(server.baseUrl, lumen.key);
    const job = new Job(conn, "sdk job", "sdk-job");
    await job.submit();
    expect(job.state).toBe("Active");
    // The SDK posts to /jobs/, with the slash (behind Next.js, a 308 to /jobs that requests follows with the body).
    expect(conn.requests.some((r) => r.path === "/jobs/" && r.method === "POST")).toBe(true);

    const task = new Task(conn, "in job", "monte-carlo", 1);
    task.jobUuid = job.uuid;
    await task.submit();
    expect(task.json.jobUuid).toBe(job.uuid);
    expect((await job.tasks()).map((t) => t.uuid)).toEqual([task.uuid]);

    await expect(job.delete(false)).rejects.toThrow(/^UnauthorizedException: .*unfinished/);
    await job.terminate();
    await job.update();
    expect(job.state).toBe("Completed");
    await job.delete(false);
    await expect(conn.retrieveTask(task.uuid!)).rejects.toThrow(/^MissingTaskException/);
  });

  it("reads user info and profiles as the SDK parses them", async () => {
    const conn = await Connection.open(server.baseUrl, lumen.key);
    const info = await conn.userInfo();
    expect(info).toMatchObject({ email: "customer@hearth.test", taskCount: 0, runningInstanceCount: 0, maxFlexInstances: 200_000, reserved: [], projects: [] });
    const profiles = await conn.profiles();
    const mc = profiles.find((p) => p.name === "monte-carlo")!;
    expect(mc.constants).toContainEqual(["paths", "100000"]);
    expect(profiles.map((p) => p.name)).not.toContain("research");
  });

  it("raises the SDK's exceptions: bad key, missing task, quota, and retries 429", async () => {
    await expect(Connection.open(server.baseUrl, "hk_wrong")).rejects.toThrow(/^UnauthorizedException/);

    const conn = await Connection.open(server.baseUrl, lumen.key);
    await expect(conn.retrieveTask("6f1c2e8a-2b7d-4c55-9b1e-0d3f5a7c9e21")).rejects.toThrow(/^MissingTaskException: No task/);

    await db.insert(customerQuotas).values({ organizationId: lumen.organizationId, maxActiveInstances: 2 });
    const big = new Task(conn, "too big", "monte-carlo", 3);
    await expect(big.submit()).rejects.toThrow(/^UnauthorizedException: .*quota of 2/);
    const bad = new Task(conn, "bad", "monte-carlo", 1);
    bad.constants = { paths: "lots" };
    await expect(bad.submit()).rejects.toThrow(/^QarnotGenericException: constants: Constant "paths"/);

    // Rate-limited: the SDK backs off and retries; the answer comes through.
    limiter = new TokenBucketLimiter(1, 1);
    limiterMs = 0;
    const task = new Task(conn, "small", "monte-carlo", 1);
    await task.submit(); // POST takes the one token; the GET that follows is retried
    expect(conn.retries).toBeGreaterThan(0);
    expect(task.state).toBe("Submitted");
    const [count] = await db.execute<{ n: number }>(sql`select count(*)::int as n from tasks`);
    expect(count!.n).toBe(1);
  });
});
