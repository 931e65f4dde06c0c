import { eq, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { gateways, radiators } from "@/server/db/schema";
import type { DeviceEvent, Reading, ReportResponse } from "@/server/device/protocol";
import { handleReport } from "@/server/device/report";

/**
 * For tests that need metered energy made the way production makes it: a seeded gateway whose
 * radiators read their meters and run the work the platform offers, every report going through
 * the protocol's own report handler (readings, started and exit events, the answer's assignments).
 */
export class MeteredGateway {
  private seq = 0;
  private readonly counterWh: number[];
  private offered: ReportResponse["assignments"] = [];
  /** Started attempts, by id: when each started. */
  private readonly running = new Map<number, number>();
  /** Whether the platform has a reading of the meters yet: the first one opens them. */
  private opened = false;
  /** The gateway's own meter, when reports carry it. */
  private gatewayCounterWh = 9_000;

  private constructor(
    private readonly db: Db,
    readonly gatewayId: string,
    /** In serial order. */
    readonly radiators: ReadonlyArray<{ id: string; serial: string }>,
  ) {
    // Meters that have run a while before the first report, each its own.
    this.counterWh = radiators.map((_, i) => 250_000 + 1000 * i);
  }

  static async load(db: Db, gatewaySerial: string): Promise<MeteredGateway> {
    const [gateway] = await db.select({ id: gateways.id }).from(gateways).where(eq(gateways.serial, gatewaySerial));
    if (!gateway) throw new Error(`no seeded gateway ${gatewaySerial}`);
    const rows = await db
      .select({ id: radiators.id, serial: radiators.serial })
      .from(radiators)
      .where(eq(radiators.gatewayId, gateway.id))
      .orderBy(radiators.serial);
    return new MeteredGateway(db, gateway.id, rows);
  }

  /** After resetEngine: reports are numbered from 1 again, and nothing runs. */
  reset() {
    this.seq = 0;
    this.offered = [];
    this.running.clear();
    this.opened = false;
  }

  /** One report, sent at `now`. */
  async report(now: Date, content: { radiators?: Array<{ serial: string; readings: Reading[] }>; events?: DeviceEvent[]; gatewayEnergyCounterWh?: number }) {
    const response = await handleReport(
      this.db,
      this.gatewayId,
      {
        protocolVersion: 1,
        seq: ++this.seq,
        sentAt: now.toISOString(),
        radiators: content.radiators ?? [],
        events: content.events ?? [],
        ...(content.gatewayEnergyCounterWh === undefined ? {} : { gatewayEnergyCounterWh: content.gatewayEnergyCounterWh }),
      },
      now,
    );
    this.offered = response.assignments;
    return response;
  }

  /**
   * Every radiator reads its meter every `stepS` seconds from `from` up to and including `to`,
   * one report an hour (sent at its last reading): radiator i draws `whPerStep(i, atMs)` Wh in
   * the step that ends at `atMs` (the first reading after a reset only opens the meter), with `cores` cores active and wanted
   * (`coresWanted(atMs)` of them wanted, when given). Work offered in an answer starts at the
   * next report's first reading and ends `runS` seconds later as `outcome` (never, without
   * `runS`). With `gatewayWhPerReport`, each report carries the gateway's own meter, that much
   * further each time.
   */
  async run(opts: {
    from: Date;
    to: Date;
    stepS: number;
    cores: number;
    whPerStep: (radiatorIndex: number, atMs: number) => number;
    runS?: number;
    outcome?: "succeeded" | "failed";
    coresWanted?: (atMs: number) => number;
    gatewayWhPerReport?: number;
  }) {
    const stepMs = opts.stepS * 1000;
    let atMs = opts.from.getTime();
    const endMs = opts.to.getTime();
    while (atMs <= endMs) {
      const reportEndMs = Math.min(endMs, atMs + 3_600_000 - stepMs);
      const events: DeviceEvent[] = this.offered.map((a) => {
        this.running.set(a.attemptId, atMs);
        return { type: "started", attemptId: a.attemptId, at: new Date(atMs).toISOString() };
      });
      if (opts.runS !== undefined) {
        for (const [attemptId, startedMs] of this.running) {
          const exitMs = startedMs + opts.runS * 1000;
          if (exitMs > reportEndMs) continue;
          const outcome = opts.outcome ?? "succeeded";
          events.push({ type: "exit", attemptId, at: new Date(exitMs).toISOString(), outcome, exitCode: outcome === "succeeded" ? 0 : 1 });
          this.running.delete(attemptId);
        }
      }
      const readings: Reading[][] = this.radiators.map(() => []);
      for (let t = atMs; t <= reportEndMs; t += stepMs) {
        this.radiators.forEach((_, i) => {
          // The first reading opens the meter; each later one closes a step.
          if (this.opened) this.counterWh[i]! += opts.whPerStep(i, t);
          readings[i]!.push({
            at: new Date(t).toISOString(),
            roomTempC: 19.5,
            setpointC: 20,
            powerW: 450,
            energyCounterWh: this.counterWh[i]!,
            coresActive: opts.cores,
            coresWanted: opts.coresWanted?.(t) ?? opts.cores,
          });
        });
        this.opened = true;
      }
      if (opts.gatewayWhPerReport !== undefined) this.gatewayCounterWh += opts.gatewayWhPerReport;
      await this.report(new Date(reportEndMs), {
        radiators: this.radiators.map((r, i) => ({ serial: r.serial, readings: readings[i]! })),
        events,
        ...(opts.gatewayWhPerReport === undefined ? {} : { gatewayEnergyCounterWh: this.gatewayCounterWh }),
      });
      atMs = reportEndMs + stepMs;
    }
  }

  /** Leaves the seeded fleet as other test files expect it: never seen. */
  async forget() {
    await this.db.execute(sql`update radiators set last_seen_at = null where last_seen_at is not null`);
    await this.db.execute(sql`update gateways set last_seen_at = null where last_seen_at is not null`);
  }
}
