import { beforeEach, describe, expect, it } from "vitest";
import { addLog, radiatorsOf, startAll, wantHeat } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { formatLogCursor, LOG_FETCH_BYTES, LOG_START, MAX_LOG_PAGE_BYTES, parseLogCursor, readFreshLogs, readLogs, readLogTail, type LogCursor, type LogPage } from "./task-logs";
import { createTask } from "./tasks";

const db = useTestDb();
const now = new Date("2026-01-15T10:00:00Z");
let lumen: string;
let carmin: string;

beforeEach(async () => {
  await resetEngine(db);
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
});

/** A task of two running instances, each with some output. */
async function runningTask() {
  await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 2), 1, now);
  const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "logs", instanceRanges: "1-2", now });
  const [one, two] = await startAll(db, task.id, now);
  await addLog(db, one!, "stdout", 0, "one: a\n");
  await addLog(db, two!, "stdout", 0, "two: a\n");
  await addLog(db, one!, "stderr", 0, "one: warning\n");
  await addLog(db, one!, "stdout", 1, "one: b\n");
  return { task, one: one!, two: two! };
}

describe("readLogs", () => {
  it("reads a stream in arrival order, follows from the last chunk, and filters by instance", async () => {
    const { task, one } = await runningTask();
    expect(await readLogs(db, { organizationId: carmin, taskId: task.id, stream: "stdout" })).toBeNull();

    const all = await readLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" });
    expect(all!.chunks.map((c) => [c.instanceNumber, c.content])).toEqual([
      [1, "one: a\n"],
      [2, "two: a\n"],
      [1, "one: b\n"],
    ]);
    expect(all!.cursor.logId).toBe(all!.chunks[2]!.id);

    // Following: nothing new, then only what arrived.
    expect(await readLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout", after: all!.cursor })).toEqual({
      chunks: [],
      cursor: all!.cursor,
      more: false,
      earlier: null,
    });
    await addLog(db, one, "stdout", 2, "one: c\n");
    const next = await readLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout", after: all!.cursor });
    expect(next!.chunks.map((c) => c.content)).toEqual(["one: c\n"]);

    const stderr = await readLogs(db, { organizationId: lumen, taskId: task.id, stream: "stderr" });
    expect(stderr!.chunks.map((c) => c.content)).toEqual(["one: warning\n"]);
    const two = await readLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout", instanceNumber: 2 });
    expect(two!.chunks.map((c) => c.content)).toEqual(["two: a\n"]);
    const limited = await readLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout", after: LOG_START, limit: 2 });
    expect(limited!.chunks).toHaveLength(2);
    expect(limited!.more).toBe(true); // more was there: the reader asks again at once
    expect(all!.more).toBe(false);
    expect(all!.earlier).toBeNull(); // the whole log fitted the first read
  });

  it("never steps over a chunk whose report commits after a later-numbered one", async () => {
    const { task, one, two } = await runningTask();
    const start = await readLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" });

    // Report A takes a chunk id, report B takes a later one and commits first.
    const a = await db.$client.reserve();
    try {
      await a`begin`;
      await a`insert into instance_logs (instance_id, attempt_id, stream, chunk_seq, content)
        values (${one.instanceId}, ${one.attemptId}, 'stdout', 5, 'one: slow report\n')`;
      await addLog(db, two, "stdout", 5, "two: quick report\n");

      // A reader now must not move past A's chunk: it waits for A rather than skip it.
      const during = await readLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout", after: start!.cursor });
      expect(during!.chunks.map((c) => c.content)).toEqual([]);
      expect(await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" })).toEqual({
        text: "one: a\ntwo: a\none: b\n",
      });

      await a`commit`;
      const after = await readLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout", after: during!.cursor });
      expect(after!.chunks.map((c) => c.content)).toEqual(["one: slow report\n", "two: quick report\n"]);
      expect(await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" })).toEqual({
        text: "one: slow report\ntwo: quick report\n",
      });
    } finally {
      await a`rollback`.catch(() => {});
      a.release();
    }
  });
});

describe("readLogs of a long log", () => {
  it("answers pages of at most MAX_LOG_PAGE_BYTES that join into the whole text, and first the end of the log", async () => {
    const { task, one, two } = await runningTask();
    const read = (more: { after?: LogCursor; before?: LogCursor }) => readLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout", ...more });
    // About 7 MB in chunks of up to 64 KiB, some of them two bytes a character.
    for (let i = 0; i < 120; i++) {
      const line = i % 3 ? `two ${i}: ${"x".repeat(50_000 + ((i * 7919) % 10_000))}\n` : `one ${i}: ${"é".repeat(30_000 + ((i * 7919) % 2_000))}\n`;
      await addLog(db, i % 3 ? two : one, "stdout", 10 + i, line);
    }
    const whole = (await db.execute<{ text: string }>(sql`
      select string_agg(content, '' order by xact_id, id) as text from instance_logs where stream = 'stdout'`))[0]!.text;
    expect(Buffer.byteLength(whole)).toBeGreaterThan(5_000_000);
    const bytes = (page: LogPage) => Buffer.byteLength(page.chunks.map((c) => c.content).join(""));

    // Forward from the start: every page within the bound, together the whole log.
    let forward = "";
    let cursor = LOG_START;
    for (let reads = 0; ; reads++) {
      expect(reads).toBeLessThan(100);
      const page = (await read({ after: cursor }))!;
      expect(bytes(page)).toBeLessThanOrEqual(MAX_LOG_PAGE_BYTES);
      expect(page.chunks.length).toBeGreaterThan(0);
      forward += page.chunks.map((c) => c.content).join("");
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(forward).toBe(whole);

    // A first read is the end of the log, within the bound; reading back from it joins into the whole too.
    const first = (await read({}))!;
    expect(bytes(first)).toBeLessThanOrEqual(MAX_LOG_PAGE_BYTES);
    expect(bytes(first)).toBeGreaterThan(MAX_LOG_PAGE_BYTES - 64 * 1024);
    expect(whole.endsWith(first.chunks.map((c) => c.content).join(""))).toBe(true);
    expect(first.earlier).not.toBeNull();
    expect(first.more).toBe(false);
    let backward = first.chunks.map((c) => c.content).join("");
    let earlier = first.earlier;
    for (let reads = 0; earlier; reads++) {
      expect(reads).toBeLessThan(100);
      const page = (await read({ before: earlier }))!;
      expect(bytes(page)).toBeLessThanOrEqual(MAX_LOG_PAGE_BYTES);
      backward = page.chunks.map((c) => c.content).join("") + backward;
      earlier = page.earlier;
    }
    expect(backward).toBe(whole);

    // Following on from the first read: only what arrives after it.
    await addLog(db, one, "stdout", 500, "one: the end\n");
    expect((await read({ after: first.cursor }))!.chunks.map((c) => c.content)).toEqual(["one: the end\n"]);
    // Another organization reads nothing, backward either.
    expect(await readLogs(db, { organizationId: carmin, taskId: task.id, stream: "stdout", before: first.earlier! })).toBeNull();
  });

  it("bounds the Qarnot fresh read by bytes too", async () => {
    const { task, one } = await runningTask();
    for (let i = 0; i < 10; i++) await addLog(db, one, "stdout", 10 + i, `${"y".repeat(60_000)}\n`);
    const first = (await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" }))!;
    expect(Buffer.byteLength(first.text)).toBeLessThanOrEqual(MAX_LOG_PAGE_BYTES);
    const rest = (await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" }))!;
    const last = (await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" }))!;
    expect(first.text + rest.text + last.text).toBe(`one: a\ntwo: a\none: b\n${`${"y".repeat(60_000)}\n`.repeat(10)}`);
  });
});

describe("readLogTail", () => {
  it("gives the end of a stream in commit order, cut at maxChars characters, and nothing of another's task", async () => {
    const { task, one, two } = await runningTask();
    const tail = (maxChars: number, more: { instanceNumber?: number; organizationId?: string } = {}) =>
      readLogTail(db, { organizationId: lumen, taskId: task.id, stream: "stdout", maxChars, ...more });
    const whole = "one: a\ntwo: a\none: b\n";
    expect(await tail(1000)).toEqual({ text: whole, instanceFound: true });
    // Cut inside the second newest chunk and on a chunk's edge: the same text as cutting the whole.
    for (const maxChars of [1, 7, 8, 14, 20, 21, 22]) expect((await tail(maxChars))!.text).toBe(whole.slice(-maxChars));
    // Characters as JavaScript counts them: a pair of UTF-16 units is two.
    await addLog(db, two, "stdout", 1, "é😀\n");
    expect((await tail(3))!.text).toBe("😀\n");
    expect((await tail(5))!.text).toBe("\né😀\n");

    expect(await tail(1000, { instanceNumber: 2 })).toEqual({ text: "two: a\né😀\n", instanceFound: true });
    expect(await tail(1000, { instanceNumber: 7 })).toEqual({ text: "", instanceFound: false });
    expect(await readLogTail(db, { organizationId: lumen, taskId: task.id, stream: "stderr", maxChars: 1000 })).toEqual({
      text: "one: warning\n",
      instanceFound: true,
    });
    await addLog(db, one, "stdout", 2, "");
    expect((await tail(1000))!.text).toBe(whole + "é😀\n");

    expect(await tail(1000, { organizationId: carmin })).toBeNull();
    expect(await tail(1000, { organizationId: carmin, instanceNumber: 1 })).toBeNull();
    expect(await readLogTail(db, { organizationId: lumen, taskId: "not-a-uuid", stream: "stdout", maxChars: 10 })).toBeNull();
  });
});

/** The database, noting the bytes of log text each statement returns. */
function measured(fetched: number[]): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "execute") return Reflect.get(target, prop, receiver);
      return async (query: Parameters<Db["execute"]>[0]) => {
        const rows = await target.execute<Record<string, unknown>>(query);
        const text = rows.flatMap((r) => Object.values(r).filter((v): v is string => typeof v === "string" && v.length > 100));
        fetched.push(text.reduce((n, t) => n + Buffer.byteLength(t), 0));
        return rows;
      };
    },
  });
}

describe("reading the end of a long log", () => {
  it("fetches only the newest text, LOG_FETCH_BYTES at a time, for the tail and for the portal's first page", async () => {
    const { task, one, two } = await runningTask();
    // About 3 MB in chunks of up to 50 kB, some of them two bytes a character.
    for (let i = 0; i < 60; i++) {
      const line = i % 3 ? `two ${i}: ${"x".repeat(40_000 + ((i * 7919) % 10_000))}\n` : `one ${i}: ${"é".repeat(20_000 + ((i * 7919) % 2_000))}\n`;
      await addLog(db, i % 3 ? two : one, "stdout", 10 + i, line);
    }
    const whole = (await db.execute<{ text: string }>(sql`
      select string_agg(content, '' order by xact_id, id) as text from instance_logs where stream = 'stdout'`))[0]!.text;
    const wholeBytes = Buffer.byteLength(whole);

    for (const maxChars of [1, 30_000, 500_000]) {
      const fetched: number[] = [];
      const tail = await readLogTail(measured(fetched), { organizationId: lumen, taskId: task.id, stream: "stdout", maxChars });
      expect(tail!.text).toBe(whole.slice(-maxChars));
      for (const bytes of fetched) expect(bytes).toBeLessThanOrEqual(LOG_FETCH_BYTES);
      // The chunks that hold the tail, and at most one more fetch.
      const total = fetched.reduce((a, b) => a + b, 0);
      expect(total).toBeLessThan(Buffer.byteLength(tail!.text) + 2 * LOG_FETCH_BYTES);
      expect(total).toBeLessThan(wholeBytes / 2);
    }

    const fetched: number[] = [];
    const first = await readLogs(measured(fetched), { organizationId: lumen, taskId: task.id, stream: "stdout" });
    expect(whole.endsWith(first!.chunks.map((c) => c.content).join(""))).toBe(true);
    for (const bytes of fetched) expect(bytes).toBeLessThanOrEqual(LOG_FETCH_BYTES);
    expect(fetched.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(MAX_LOG_PAGE_BYTES);
  });
});

describe("cursors", () => {
  it("round-trip as text and fall back to the start for anything else", () => {
    const cursor = { xactId: "18446744073709551615", logId: 120 };
    expect(parseLogCursor(formatLogCursor(cursor))).toEqual(cursor);
    expect(parseLogCursor("007-3")).toEqual({ xactId: "7", logId: 3 });
    for (const bad of [undefined, "", "12", "a-1", "1-2-3", "-1"]) expect(parseLogCursor(bad)).toEqual(LOG_START);
  });
});

describe("readFreshLogs", () => {
  it("returns only what arrived since the previous fresh read of the same stream and scope", async () => {
    const { task, one, two } = await runningTask();
    expect(await readFreshLogs(db, { organizationId: carmin, taskId: task.id, stream: "stdout" })).toBeNull();

    expect(await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" })).toEqual({ text: "one: a\ntwo: a\none: b\n" });
    expect(await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" })).toEqual({ text: "" });
    await addLog(db, two, "stdout", 1, "two: b\n");
    await addLog(db, one, "stdout", 2, "one: c\n");
    expect(await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" })).toEqual({ text: "two: b\none: c\n" });

    // Each stream and each instance has its own cursor.
    expect(await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stderr" })).toEqual({ text: "one: warning\n" });
    expect(await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout", instanceNumber: 2 })).toEqual({
      text: "two: a\ntwo: b\n",
    });
    expect(await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout", instanceNumber: 2 })).toEqual({ text: "" });
    // The task-wide reads did not move an instance's cursor.
    expect(await readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout", instanceNumber: 1 })).toEqual({
      text: "one: a\none: b\none: c\n",
    });
  });

  it("gives two simultaneous fresh reads disjoint text", async () => {
    const { task } = await runningTask();
    const [a, b] = await Promise.all([
      readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" }),
      readFreshLogs(db, { organizationId: lumen, taskId: task.id, stream: "stdout" }),
    ]);
    expect([a!.text, b!.text].sort()).toEqual(["", "one: a\ntwo: a\none: b\n"]);
  });
});
