import { TRPCError } from "@trpc/server";
import { beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { customerQuotas } from "@/server/db/schema";
import { addLog, finish, radiatorsOf, startAll, wantHeat } from "@/server/test/compute-fixtures";
import { createTask } from "@/server/services/tasks";
import { callerAs, organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { INPUT_LIMITS, parseInput, taskCreateSchema } from "@/server/rest/input";
import { fieldErrorsOf } from "../trpc";

const db = useTestDb();

beforeEach(async () => {
  await resetEngine(db);
  await db.delete(customerQuotas);
});

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return { code: error.code, message: error.message, fieldErrors: error.cause instanceof ZodError ? fieldErrorsOf(error.cause) : null };
}

const task = {
  profile: "monte-carlo",
  name: "pricing",
  instanceCount: 4,
  constants: { paths: "1000" },
  tags: ["q3"],
  schedulingType: "Flex" as const,
};

describe("compute router", () => {
  it("offers the customer profiles, not donated research", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    expect((await api.compute.profiles()).map((p) => p.name)).toEqual(["docker-batch", "monte-carlo", "render"]);
  });

  it("submits a task and shows it to its account only", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const { id } = await api.compute.submitTask(task);
    const detail = await api.compute.task({ taskId: id });
    expect(detail).toMatchObject({ id, name: "pricing", state: "Submitted", instanceCount: 4, standing: { waitingInstances: 4 } });
    expect((await api.compute.tasks({ page: 1, pageSize: 10, tag: "q3" })).total).toBe(1);
    const other = await callerAs(db, "customer2@hearth.test");
    expect(await refusal(other.compute.task({ taskId: id }))).toMatchObject({ code: "NOT_FOUND" });
    expect((await other.compute.tasks({ page: 1, pageSize: 10 })).total).toBe(0);
  });

  it("puts the services' refusals next to their fields, and a quota as FORBIDDEN", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    expect(await refusal(api.compute.submitTask({ ...task, constants: { spot: "0" } }))).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { constants: 'Constant "spot" must be greater than 0 (got "0").' },
    });
    expect(await refusal(api.compute.submitTask({ ...task, instanceRanges: "5-1", instanceCount: undefined }))).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { instanceRanges: 'Range "5-1" is reversed: write "1-5".' },
    });
    expect(await refusal(api.compute.submitTask({ ...task, instanceRanges: "1-4" }))).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { instanceRanges: expect.stringContaining("not both") },
    });
    await db.insert(customerQuotas).values({ organizationId: await organizationIdByName(db, "Lumen Animation Studio"), maxActiveInstances: 3 });
    expect(await refusal(api.compute.submitTask(task))).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("quota of 3") });
  });

  it("answers every problem of a task in one pass: the schema's and the profile's", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const refused = await refusal(
      api.compute.submitTask({ ...task, instanceCount: 0, minCores: 0, maxRetriesPerInstance: 99, constants: { spot: "0", paths: "-3" } }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.fieldErrors).toMatchObject({
      instanceCount: "At least 1 instance.",
      minCores: "At least 1 core.",
      maxRetriesPerInstance: expect.stringMatching(/^At most \d+ retries\.$/),
      constants: expect.stringContaining('Constant "spot" must be greater than 0'),
    });
    expect(refused.fieldErrors!.constants).toContain('Constant "paths"');
    // Bad instance numbers beside a bad constant, and a docker task missing both of its constants.
    expect((await refusal(api.compute.submitTask({ ...task, instanceCount: undefined, instanceRanges: "5-1", constants: { spot: "0" } }))).fieldErrors).toEqual({
      instanceRanges: 'Range "5-1" is reversed: write "1-5".',
      constants: 'Constant "spot" must be greater than 0 (got "0").',
    });
    const docker = await refusal(api.compute.submitTask({ ...task, profile: "docker-batch", name: "", constants: {} }));
    expect(Object.keys(docker.fieldErrors!).sort()).toEqual(["constants", "name"]);
    expect(docker.fieldErrors!.constants).toMatch(/"image".*"command"/s);
  });

  it("answers the database's refusals of a task together too", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    await api.compute.submitTask({ ...task, shortname: "taken" });
    const refused = await refusal(
      api.compute.submitTask({ ...task, shortname: "taken", jobId: "00000000-0000-4000-8000-000000000000", dependsOnTaskIds: ["00000000-0000-4000-8000-000000000001"] }),
    );
    expect(refused.fieldErrors).toEqual({
      shortname: 'Another task of this account is already named "taken".',
      jobId: "No such job in this account.",
      dependsOn: "A task it depends on does not exist.",
    });
  });

  it("says what is wrong with every number of a task in plain words, not the validator's", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const numbers = ["instanceCount", "minCores", "minRamGb", "maxWallTimeS", "maxRetriesPerInstance"] as const;
    for (const field of numbers) {
      for (const value of [-1, 0.5, 1e12, Number.NaN]) {
        const refused = await refusal(api.compute.submitTask({ ...task, [field]: value }));
        const message = refused.fieldErrors?.[field];
        expect(message, `${field} = ${value}`).toMatch(/^(At least|At most|No fewer|Enter a whole number)/);
        expect(message).not.toMatch(/expected|>=|<=|Too (small|big)|Invalid/);
      }
    }
  });

  it("takes the inputs the REST API takes, within the same limits", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    // A tag as long as the REST API allows can be filtered on in the portal.
    const longTag = "t".repeat(INPUT_LIMITS.maxTagChars);
    expect(parseInput(taskCreateSchema, { name: "rest", profile: "monte-carlo", instanceCount: 1, tags: [longTag] }).tags).toEqual([longTag]);
    await api.compute.submitTask({ ...task, tags: [longTag] });
    expect((await api.compute.tasks({ tag: longTag })).total).toBe(1);
    // Constants are bounded in all, as over REST: 5 values of 16 KiB exceed the 64 KiB.
    const bulky = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`k${n}`, "x".repeat(INPUT_LIMITS.maxConstantValueChars)]));
    expect(await refusal(api.compute.submitTask({ ...task, profile: "docker-batch", constants: bulky }))).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { constants: "At most 65,536 characters of constants in all." },
    });
  });

  it("refuses control characters in text inputs with BAD_REQUEST on the field, and writes nothing", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const nul = "a\u0000";
    const refusedOn = async (call: Promise<unknown>) => {
      const r = await refusal(call);
      expect(r.code).toBe("BAD_REQUEST");
      return Object.keys(r.fieldErrors ?? {});
    };
    // Searches and filters reach SQL: refused before they do.
    expect(await refusal(api.compute.tasks({ search: nul }))).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { search: "Must not hold control characters (such as NUL, tab or line breaks)." },
    });
    expect(await refusedOn(api.compute.tasks({ tag: nul }))).toEqual(["tag"]);
    expect(await refusedOn(api.compute.tasks({ profile: "monte\u0001carlo" }))).toEqual(["profile"]);
    // What a task, a job or a key stores.
    expect(await refusedOn(api.compute.submitTask({ ...task, name: nul }))).toEqual(["name"]);
    expect(await refusedOn(api.compute.submitTask({ ...task, name: "two\nlines" }))).toEqual(["name"]);
    expect(await refusedOn(api.compute.submitTask({ ...task, tags: ["ok", nul] }))).toEqual(["tags.1"]);
    expect(await refusedOn(api.compute.submitTask({ ...task, constants: { [nul]: "1" } }))).toEqual(["constants.a\u0000"]);
    expect(await refusedOn(api.compute.submitTask({ ...task, constants: { paths: "1\u0000" } }))).toEqual(["constants.paths"]);
    expect(await refusedOn(api.compute.submitTask({ ...task, instanceCount: undefined, instanceRanges: "1-2\u0000" }))).toEqual(["instanceRanges"]);
    expect(await refusedOn(api.compute.createJob({ name: nul }))).toEqual(["name"]);
    expect(await refusedOn(api.compute.createApiKey({ name: nul }))).toEqual(["name"]);
    expect((await api.compute.tasks({})).total).toBe(0);
    expect((await api.compute.jobs({})).total).toBe(0);
    expect((await api.compute.apiKeys()).some((k) => k.name.includes("\u0000"))).toBe(false);
    // A constant's value may hold tabs and line breaks (a script, a list).
    await api.compute.submitTask({ ...task, profile: "docker-batch", constants: { image: "alpine", command: "echo a\techo b\n" } });
    expect((await api.compute.tasks({})).total).toBe(1);
  });

  it("cancels a task, its instances, and reruns failed ones", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const { id } = await api.compute.submitTask(task);
    expect(await api.compute.cancelInstances({ taskId: id, instanceNumbers: [0, 1] })).toBe(2);
    expect(await api.compute.cancelTask({ taskId: id })).toEqual({ cancelled: true });
    expect(await api.compute.cancelTask({ taskId: id })).toEqual({ cancelled: false });
    expect(await api.compute.rerunFailed({ taskId: id })).toBe(0);
    expect(await api.compute.instanceGrid({ taskId: id })).toMatchObject({ changed: true, total: 4, numbers: "0-3", runs: "G4" });
    const one = await api.compute.instances({ taskId: id, instanceNumber: 2, page: 1, pageSize: 1 });
    expect(one.instances.map((i) => i.instanceNumber)).toEqual([2]);
    expect((await api.compute.instances({ taskId: id, instanceNumber: 9, page: 1, pageSize: 1 })).instances).toEqual([]);
    expect((await api.compute.notifications({})).items[0]).toMatchObject({ taskId: id, kind: "task_cancelled" });
  });

  it("refuses to rerun while a cancellation is under way, as CONFLICT with the reason", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const { id } = await api.compute.submitTask({ ...task, instanceCount: 2, maxRetriesPerInstance: 0 });
    const now = new Date(Date.now() + 1000); // after the task was queued
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 2), 1, now);
    await startAll(db, id, now);
    await finish(db, id, [0], "failed", now);
    await api.compute.cancelTask({ taskId: id }); // instance 1 still runs: PendingCancel
    expect(await refusal(api.compute.rerunFailed({ taskId: id }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("being cancelled"),
    });
  });

  it("creates an API key shown once, lists it without the key, and revokes it", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const { id, key } = await api.compute.createApiKey({ name: "laptop" });
    const listed = await api.compute.apiKeys();
    expect(listed.find((k) => k.id === id)).toMatchObject({ name: "laptop", revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(await refusal(api.compute.createApiKey({ name: "" }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { name: "Name the key." } });
    const other = await callerAs(db, "customer2@hearth.test");
    expect(await refusal(other.compute.revokeApiKey({ id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await api.compute.revokeApiKey({ id })).toEqual({ revoked: true });
    expect((await api.compute.apiKeys()).find((k) => k.id === id)!.revokedAt).toBeInstanceOf(Date);
  });

  it("keeps what a task's page reads small at 100,000 instances, and the grid's refreshes to a version when nothing changed", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const organizationId = await organizationIdByName(db, "Lumen Animation Studio");
    const big = await createTask(db, { organizationId, profileName: "monte-carlo", name: "big", instanceCount: 100_000 });
    // What the page's server components read (the instance table a page of 25) and the grid's first read.
    const reads = await Promise.all([
      api.compute.task({ taskId: big.id }),
      api.compute.instances({ taskId: big.id, page: 1, pageSize: 25 }),
      api.compute.outputs({ taskId: big.id }),
      api.compute.result({ taskId: big.id }),
      api.compute.instanceGrid({ taskId: big.id }),
    ]);
    const bytes = reads.map((r) => Buffer.byteLength(JSON.stringify(r)));
    expect(reads[4]).toMatchObject({ changed: true, total: 100_000, numbers: "0-99999" });
    expect(bytes[4]).toBeLessThan(1024);
    expect(bytes.reduce((a, b) => a + b)).toBeLessThan(20 * 1024);
    const again = await api.compute.instanceGrid({ taskId: big.id, since: reads[4].version });
    expect(again).toEqual({ version: reads[4].version, changed: false });
    const other = await callerAs(db, "customer2@hearth.test");
    expect(await refusal(other.compute.instanceGrid({ taskId: big.id, since: reads[4].version }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("reads a long log from its end, back with the `earlier` cursor, and on with `cursor`", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const organizationId = await organizationIdByName(db, "Lumen Animation Studio");
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 1), 1, new Date());
    const { id } = await createTask(db, { organizationId, profileName: "monte-carlo", name: "chatty", instanceCount: 1 });
    const [attempt] = await startAll(db, id, new Date());
    const line = (i: number) => `${String(i).padStart(4, "0")} ${"z".repeat(50_000)}\n`;
    for (let i = 0; i < 40; i++) await addLog(db, attempt!, "stdout", i, line(i)); // 2 MB
    const first = await api.compute.logs({ taskId: id });
    const text = (page: { chunks: Array<{ content: string }> }) => page.chunks.map((c) => c.content).join("");
    expect(Buffer.byteLength(JSON.stringify(first))).toBeLessThan(300 * 1024);
    expect(text(first).endsWith(line(39))).toBe(true);
    expect(first.earlier).not.toBeNull();
    let whole = text(first);
    for (let earlier = first.earlier; earlier; ) {
      const page = await api.compute.logs({ taskId: id, cursor: earlier, direction: "backward" });
      whole = text(page) + whole;
      earlier = page.earlier;
    }
    expect(whole).toBe(Array.from({ length: 40 }, (_, i) => line(i)).join(""));
    await addLog(db, attempt!, "stdout", 40, "done\n");
    expect(text(await api.compute.logs({ taskId: id, cursor: first.cursor }))).toBe("done\n");
  });
});
