import { describe, expect, it } from "vitest";
import type { ReportResponse } from "@/server/device/protocol";
import { SimGateway, type ReportBody } from "./gateway";
import type { RunContext } from "./radiator";
import { syntheticFleet } from "./synthetic";
import { World } from "./world";

const MINUTE_MS = 60_000;
const ctx: RunContext = { runner: { run: () => new Promise(() => {}) }, profileCoreSeconds: new Map() };

describe("the simulated gateway", () => {
  it("logs readings the platform refused in an accepted report, and does not send them again", async () => {
    const start = Date.parse("2026-01-20T08:00:00Z");
    const world = new World(syntheticFleet(2), { seed: 1, startMs: start, outages: null });
    world.sample(start);
    world.record(start);
    const sent: ReportBody[] = [];
    const log: string[] = [];
    const [first] = world.radiators;
    const gateway = new SimGateway(
      { id: "gw", serial: "QBOX-SYN-00000", radiators: world.radiators.map((r) => r.spec), lastSeq: 0 },
      world.radiators,
      async (body) => {
        const report = JSON.parse(body) as ReportBody;
        sent.push(report);
        const answer: ReportResponse = {
          protocolVersion: 1,
          seq: report.seq,
          serverTime: new Date(start).toISOString(),
          assignments: [],
          cancellations: [],
          setpoints: [],
          refusedReadings:
            report.seq === 1
              ? [
                  {
                    radiatorSerial: first!.serial,
                    at: report.radiators[0]!.readings[0]!.at,
                    field: "radiators.0.readings.0.at",
                    reason: "ahead_of_clock",
                    message: "more than 5 minutes ahead of the server's clock",
                  },
                ]
              : undefined,
        };
        // A field of a later protocol revision: ignored.
        return { status: 200, body: { ...answer, somethingNew: { x: 1 } } };
      },
      (line) => log.push(line),
    );

    const round = await gateway.report(start, ctx);
    expect(round).toEqual({ reports: 1, assigned: 0, failed: false, refused: false });
    expect(gateway.refusedReadings).toBe(1);
    expect(log).toEqual([expect.stringMatching(new RegExp(`report 1: reading of ${first!.serial} at .* refused \\(ahead_of_clock: .*\\); not sent again`))]);
    expect(gateway.hasPending()).toBe(false);

    // The next report carries only new readings.
    world.integrate();
    world.sample(start + MINUTE_MS);
    world.record(start + MINUTE_MS);
    await gateway.report(start + MINUTE_MS, ctx);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.radiators.flatMap((r) => r.readings.map((x) => x.at))).toEqual([
      new Date(start + MINUTE_MS).toISOString(),
      new Date(start + MINUTE_MS).toISOString(),
    ]);
    expect(log).toHaveLength(1);
  });
});
