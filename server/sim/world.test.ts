import { describe, expect, it } from "vitest";
import type { InstanceRun } from "@/server/profiles/run";
import { useTestDb } from "@/server/test/db";
import { loadFleet } from "./fleet";
import type { ProfileRunner, RunContext } from "./radiator";
import { syntheticFleet } from "./synthetic";
import { OutageSchedule, World } from "./world";

const db = useTestDb();
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Mean cores wanted by each part of the fleet over `days` from `fromIso`, after a day of warm-up. */
function wantedCores(world: World, fromIso: string, days: number) {
  const from = Date.parse(fromIso);
  world.warmUp(from - DAY_MS, DAY_MS);
  const sums = { housing: 0, allYear: 0, steps: 0 };
  for (let t = from; t < from + days * DAY_MS; t += world.stepS * 1000) {
    world.sample(t);
    for (const r of world.radiators) {
      if (r.room.kind === "heat_sink") sums.allYear += r.coresWanted;
      else sums.housing += r.coresWanted;
    }
    sums.steps += 1;
    world.integrate();
  }
  return { housing: sums.housing / sums.steps, allYear: sums.allYear / sums.steps, total: (sums.housing + sums.allYear) / sums.steps };
}

describe("seasons", () => {
  it("the seeded fleet wants at least twice as many cores in January as in July; the pool keeps its cores in summer", async () => {
    const fleet = await loadFleet(db);
    const cores = (filter: (kind: string) => boolean) =>
      fleet.gateways.flatMap((g) => g.radiators).filter((r) => filter(r.room.site.kind)).reduce((n, r) => n + r.hardware.cores, 0);
    const january = wantedCores(new World(fleet, { seed: 1, startMs: Date.parse("2026-01-10T00:00:00Z") }), "2026-01-12T00:00:00Z", 4);
    const july = wantedCores(new World(fleet, { seed: 1, startMs: Date.parse("2026-07-10T00:00:00Z") }), "2026-07-12T00:00:00Z", 4);
    expect(january.total).toBeGreaterThanOrEqual(2 * july.total);
    // Homes want most of their cores in January and little in July.
    expect(january.housing / cores((k) => k === "housing")).toBeGreaterThan(0.4);
    expect(july.housing / cores((k) => k === "housing")).toBeLessThan(0.1);
    // The swimming pool wants heat all year.
    expect(july.allYear / cores((k) => k === "all_year_heat_sink")).toBeGreaterThan(0.6);
  }, 60_000);
});

describe("the world", () => {
  it("is the same for the same seed, and another for another seed", () => {
    const run = (seed: number) => {
      const start = Date.parse("2026-02-01T00:00:00Z");
      const world = new World(syntheticFleet(40), { seed, startMs: start });
      world.warmUp(start - DAY_MS, DAY_MS);
      for (let t = start; t < start + 2 * DAY_MS; t += MINUTE_MS) {
        world.sample(t);
        if (t % (15 * MINUTE_MS) === 0) world.record(t);
        world.integrate();
      }
      return world.radiators.map((r) => JSON.stringify(r.readings));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(6)).not.toEqual(run(5));
  });

  it("keeps each meter monotonic, in whole Wh, except back to 0 when a radiator boots after a trip", () => {
    const start = Date.parse("2026-01-20T00:00:00Z");
    const world = new World(syntheticFleet(8), { seed: 2, startMs: start, outages: null });
    const serial = world.radiators[0]!.serial;
    world.forceBreakerTrip(serial, start + 3 * 60 * MINUTE_MS, start + 5 * 60 * MINUTE_MS);
    for (let t = start; t < start + 12 * 60 * MINUTE_MS; t += MINUTE_MS) {
      world.sample(t);
      world.record(t);
      world.integrate();
    }
    const tripped = world.radiators[0]!.readings;
    expect(tripped.length).toBe(12 * 60 - 120);
    const resets = tripped.filter((r, i) => i > 0 && r.energyCounterWh < tripped[i - 1]!.energyCounterWh);
    expect(resets.length).toBe(1);
    expect(resets[0]!.at).toBe(new Date(start + 5 * 60 * MINUTE_MS).toISOString());
    expect(resets[0]!.energyCounterWh).toBe(0);
    for (const r of world.radiators.slice(1)) {
      for (let i = 1; i < r.readings.length; i++) expect(r.readings[i]!.energyCounterWh).toBeGreaterThanOrEqual(r.readings[i - 1]!.energyCounterWh);
      expect(r.readings.every((x) => Number.isInteger(x.energyCounterWh))).toBe(true);
    }
    // The room cooled while its radiator was off.
    const before = tripped.find((r) => r.at === new Date(start + 3 * 60 * MINUTE_MS - MINUTE_MS).toISOString())!;
    const after = tripped.find((r) => r.at === new Date(start + 5 * 60 * MINUTE_MS).toISOString())!;
    expect(after.roomTempC).toBeLessThan(before.roomTempC);
  });
});

describe("a household's turn of the thermostat", () => {
  it("changes the setpoint of radiators the platform drives, until the platform sends another target", () => {
    const start = Date.parse("2026-01-05T00:00:00Z");
    const world = new World(syntheticFleet(40), { seed: 3, startMs: start });
    for (const r of world.radiators) r.takeSetpoint(20);
    const turned = new Map<string, number>();
    for (let t = start; t < start + 14 * DAY_MS; t += MINUTE_MS) {
      world.sample(t);
      for (const r of world.radiators) {
        if (r.localSetpointC === null || r.off) continue;
        turned.set(r.serial, r.localSetpointC);
        expect(r.setpointC).toBe(r.localSetpointC);
      }
    }
    // About one evening in six, a flat turns it up or down for a few hours, then back.
    expect(turned.size).toBeGreaterThan(0);
    for (const c of turned.values()) expect([19, 20, 20.5, 21, 21.5]).toContain(c);
    const radiator = world.radiators.find((r) => turned.has(r.serial))!;
    radiator.takeSetpoint(20); // the same target again: the change holds
    expect(radiator.localSetpointC).toBe(turned.get(radiator.serial));
    radiator.takeSetpoint(18); // a different one: the platform's wins
    radiator.decide();
    expect(radiator.localSetpointC).toBeNull();
    expect(radiator.setpointC).toBe(18);
  });
});

describe("outage schedule", () => {
  it("is a pure function of its seed, at about the rate asked, asked in any order", () => {
    const a = new OutageSchedule(42, 2, 2 * MINUTE_MS, 4 * 60 * MINUTE_MS);
    const b = new OutageSchedule(42, 2, 2 * MINUTE_MS, 4 * 60 * MINUTE_MS);
    const start = Date.parse("2025-01-01T00:00:00Z");
    let outMinutes = 0;
    let starts = 0;
    let previous = false;
    for (let t = start; t < start + 365 * DAY_MS; t += MINUTE_MS) {
      const out = a.isOut(t);
      if (out) outMinutes += 1;
      if (out && !previous) starts += 1;
      previous = out;
    }
    // About 24 a year (2 a month); a log-uniform 2 min–4 h lasts about 56 min on average.
    expect(starts).toBeGreaterThan(12);
    expect(starts).toBeLessThan(40);
    expect(outMinutes / starts).toBeGreaterThan(20);
    expect(outMinutes / starts).toBeLessThan(120);
    // Random access (backwards too) agrees with the forward scan.
    for (let k = 0; k < 2000; k++) {
      const t = start + Math.floor(((k * 7919) % 2000) / 2000 * 365 * DAY_MS);
      const fresh = new OutageSchedule(42, 2, 2 * MINUTE_MS, 4 * 60 * MINUTE_MS);
      expect(b.isOut(t)).toBe(fresh.isOut(t));
    }
  });
});

describe("a radiator's work", () => {
  const results: Array<(run: InstanceRun) => void> = [];
  const runner: ProfileRunner = { run: () => new Promise<InstanceRun>((resolve) => results.push(resolve)) };
  const ctx: RunContext = { runner, profileCoreSeconds: new Map([["monte-carlo", 120], ["render", 600], ["research", 1800]]) };
  const assignment = { attemptId: 17, instanceNumber: 3, profile: "render", constants: {}, cores: 4, maxWallTimeS: null };

  it("takes the profile's core-seconds over the cores given, streams the log, then outputs and exit", async () => {
    const start = Date.parse("2026-01-20T08:00:00Z");
    const world = new World(syntheticFleet(1), { seed: 1, startMs: start, outages: null });
    const r = world.radiators[0]!;
    r.assign(assignment, start, ctx);
    r.assign(assignment, start + MINUTE_MS, ctx); // a repeated assignment starts nothing
    expect(r.computingCores).toBe(4);
    expect(results.length).toBe(1);
    expect(r.events).toEqual([{ type: "started", attemptId: 17, at: new Date(start).toISOString() }]);
    expect(r.pendingBy(start + 150_000 - 1)).toEqual([]);
    expect(r.pendingBy(start + 150_000).length).toBe(1); // 600 core-seconds on 4 cores
    results[0]!({ outputs: [{ name: "frame-0003.png", contentType: "image/png", content: Buffer.from("png") }], stdout: ["a", "b", "c", "d"], stderr: [], exitCode: 0 });
    await Promise.all(r.pendingBy(start + 150_000));

    r.advanceWork(start + 75_000, true); // half way: progress and half the log
    expect(r.events.slice(1)).toEqual([
      { type: "progress", attemptId: 17, at: new Date(start + 75_000).toISOString(), progressPct: 50 },
      { type: "log", attemptId: 17, at: new Date(start + 75_000).toISOString(), stream: "stdout", chunkSeq: 0, content: "a\nb\n" },
    ]);
    r.advanceWork(start + 180_000, true);
    const end = new Date(start + 150_000).toISOString();
    expect(r.events.slice(3)).toEqual([
      { type: "log", attemptId: 17, at: end, stream: "stdout", chunkSeq: 1, content: "c\nd\n" },
      { type: "output", attemptId: 17, at: end, name: "frame-0003.png", contentType: "image/png", contentBase64: Buffer.from("png").toString("base64") },
      { type: "exit", attemptId: 17, at: end, outcome: "succeeded", exitCode: 0 },
    ]);
    expect(r.computingCores).toBe(0);
    // Work runs its cores even when the room wants none.
    r.assign({ ...assignment, attemptId: 18, profile: "research", cores: 2 }, start + 200_000, ctx);
    r.room.state.airC = 30;
    r.decide();
    expect(r.coresWanted).toBe(0);
    expect(r.coresActive).toBe(2);
  });

  it("fails what it cannot run at once, kills at the wall-time limit, confirms cancellations", () => {
    const start = Date.parse("2026-01-20T08:00:00Z");
    const world = new World(syntheticFleet(1), { seed: 1, startMs: start, outages: null });
    const r = world.radiators[0]!;
    r.assign({ ...assignment, attemptId: 30, profile: "docker-batch" }, start, ctx);
    expect(r.events.map((e) => e.type)).toEqual(["log", "exit"]);
    expect(r.events[1]).toMatchObject({ outcome: "failed", exitCode: null });

    r.events.length = 0;
    r.assign({ ...assignment, attemptId: 31, profile: "research", cores: 1, maxWallTimeS: 600 }, start, ctx);
    r.advanceWork(start + 601_000, false);
    expect(r.events.at(-1)).toEqual({ type: "exit", attemptId: 31, at: new Date(start + 600_000).toISOString(), outcome: "failed", exitCode: null });

    r.events.length = 0;
    r.assign({ ...assignment, attemptId: 32, profile: "research", cores: 1 }, start, ctx);
    r.cancel(32, start + 60_000);
    r.cancel(33, start + 60_000); // never seen here: confirmed all the same
    expect(r.events.filter((e) => e.type === "exit")).toEqual([
      { type: "exit", attemptId: 32, at: new Date(start + 60_000).toISOString(), outcome: "cancelled", exitCode: null },
      { type: "exit", attemptId: 33, at: new Date(start + 60_000).toISOString(), outcome: "cancelled", exitCode: null },
    ]);
    expect(r.attempts.size).toBe(0);
  });
});
