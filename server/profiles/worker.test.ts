import { afterEach, describe, expect, it } from "vitest";
import { decodePng } from "./png";
import { runInstance } from "./run";
import { canUseWorkerThreads, createProfilePool, type ProfileJob, type ProfilePool } from "./worker";

const pools: ProfilePool[] = [];
function pool(...args: Parameters<typeof createProfilePool>): ProfilePool {
  const p = createProfilePool(...args);
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

const jobs: ProfileJob[] = [
  { profileName: "monte-carlo", constants: { paths: "2000" }, instanceNumber: 1 },
  { profileName: "render", constants: { width: "32", height: "24", samples: "1" }, instanceNumber: 2 },
  { profileName: "monte-carlo", constants: { paths: "2000" }, instanceNumber: 3 },
  { profileName: "nope", constants: {}, instanceNumber: 4 },
];

/** What the pool returns, minus timings in stdout, to compare with a direct run. */
function comparable(run: ReturnType<typeof runInstance>) {
  return { ...run, stdout: run.stdout.filter((l) => !/ ms/.test(l)), outputs: run.outputs.map((o) => ({ ...o, content: o.content.toString("base64") })) };
}

describe("createProfilePool", () => {
  it("under vitest, runs the sources in worker threads", () => {
    expect(canUseWorkerThreads()).toBe(true);
  });

  it.each(["threads", "in-process"] as const)("%s: gives the same results as running in this thread", async (mode) => {
    const p = pool(2, { mode });
    const runs = await Promise.all(jobs.map((job) => p.run(job)));
    expect(p.mode).toBe(mode);
    for (const [i, run] of runs.entries()) {
      const job = jobs[i]!;
      expect(comparable(run)).toEqual(comparable(runInstance(job.profileName, job.constants, job.instanceNumber)));
    }
    expect(Buffer.isBuffer(runs[1]!.outputs[0]!.content)).toBe(true);
    expect(decodePng(runs[1]!.outputs[0]!.content).widthPx).toBe(32);
    expect(runs[3]!.exitCode).toBe(1);
  });

  it("falls back to in-process when workers cannot start", async () => {
    const p = pool(2, { mode: "threads", entryUrl: new URL("./no-such-entry.mjs", import.meta.url) });
    const run = await p.run(jobs[0]!);
    expect(run.exitCode).toBe(0);
    expect(p.mode).toBe("in-process");
  });

  it("in-process: yields to the event loop between instances", async () => {
    const p = pool(1, { mode: "in-process" });
    const order: string[] = [];
    let tick: Promise<void> = Promise.resolve();
    const a = p.run(jobs[0]!).then(() => {
      order.push("a");
      // Scheduled after the first instance: it must get its turn before the second one runs.
      tick = new Promise<void>((resolve) => setImmediate(() => (order.push("tick"), resolve())));
    });
    const b = p.run(jobs[2]!).then(() => order.push("b"));
    await Promise.all([a, b]);
    await tick;
    expect(order).toEqual(["a", "tick", "b"]);
  });

  it("rejects work after close", async () => {
    const p = pool(1, { mode: "in-process" });
    await p.close();
    await expect(p.run(jobs[0]!)).rejects.toThrow(/closed/);
  });

  it("refuses a nonsense size", () => {
    expect(() => createProfilePool(0)).toThrow(/size/);
  });
});
