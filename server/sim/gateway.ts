import { LIMITS, PROTOCOL_VERSION, reportResponseSchema, type DeviceEvent, type Reading, type ReportResponse } from "@/server/device/protocol";
import { hashUnit, seedFromString } from "@/server/domain/random";
import type { GatewaySpec } from "./fleet";
import type { RunContext, SimRadiator } from "./radiator";

/**
 * One simulated gateway (Q.box), speaking the device protocol as firmware would: it collects
 * its radiators' readings and their work's events, sends them in numbered reports through
 * `send`, keeps what was not acknowledged and sends the same report (same seq, same body) again
 * after a failure or an internet outage, splits a backlog into reports the platform accepts,
 * and applies the answers: setpoints, work to start, work to stop.
 */

/** The wire: a report body (JSON) out, the HTTP status and parsed JSON body back. Throws on a network error. */
export type SendFn = (body: string) => Promise<{ status: number; body: unknown }>;

export type ReportBody = {
  protocolVersion: typeof PROTOCOL_VERSION;
  seq: number;
  sentAt: string;
  gatewayEnergyCounterWh: number;
  radiators: Array<{ serial: string; readings: Reading[]; runningAttemptIds: number[] }>;
  events: DeviceEvent[];
};

/** A report body stays well below the 16 MiB limit, counting base64 outputs. */
const REPORT_BUDGET_BYTES = 12 * 1024 * 1024;
/** Readings kept per radiator while the platform cannot be reached (a day at one a minute); older ones are dropped. */
const MAX_BUFFERED_READINGS = 1440 * 2;
/** Reports sent in one go; more waits for the next round (a long backlog drains over a few rounds). */
const MAX_REPORTS_PER_ROUND = 50;

/**
 * The gateway's own meter: a steady draw of 4 to 7 W (the box, its modem), the same for a serial
 * on every run, counted since its first radiator's installation. A function of the clock, so a
 * restarted simulator carries on where the meter was.
 */
export function gatewayMeterWh(spec: GatewaySpec, nowMs: number): number {
  const drawW = 4 + 3 * hashUnit(seedFromString(`gateway-draw|${spec.serial}`), 0, 0);
  const installed = spec.radiators.reduce((min, r) => (r.installedOn < min ? r.installedOn : min), "9999-12-31");
  const sinceMs = Math.max(0, nowMs - Date.parse(`${installed}T00:00:00Z`));
  return Math.floor((drawW * sinceMs) / 3_600_000);
}

/** What one round did; `assigned`: work the answers gave its radiators; `refused`: the credential was refused (401) in this round. */
export type GatewayRound = { reports: number; assigned: number; failed: boolean; refused: boolean };

export class SimGateway {
  readonly serial: string;
  /** The last seq used; the next report gets seq + 1. */
  seq: number;
  /** Built and sent, not acknowledged: sent again as is. */
  private inflight: { seq: number; body: string } | null = null;
  private readonly backlog = new Map<SimRadiator, Reading[]>();
  private events: DeviceEvent[] = [];
  /** Attempts whose exit waits in `events`, by radiator: still running as far as the platform knows. */
  private unsentExits = new Map<number, SimRadiator>();
  /** The platform refused the credential (401): the gateway stops and waits for a new one. */
  refused = false;
  /** Reports the platform refused as a whole (4xx other than 401): their content is dropped. */
  dropped = 0;
  /**
   * Readings the platform refused one by one in an accepted report (a clock gone wrong): they are
   * acknowledged like the rest, so they are logged and not sent again.
   */
  refusedReadings = 0;

  constructor(
    readonly spec: GatewaySpec,
    readonly radiators: readonly SimRadiator[],
    private readonly send: SendFn,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.serial = spec.serial;
    this.seq = spec.lastSeq;
  }

  /** Whether readings or events are waiting to be sent. */
  hasPending(): boolean {
    if (this.inflight || this.events.length > 0) return true;
    for (const r of this.radiators) if (r.readings.length > 0 || r.events.length > 0) return true;
    for (const list of this.backlog.values()) if (list.length > 0) return true;
    return false;
  }

  /** Whether events (or a report carrying some) wait to be sent. */
  hasPendingEvents(): boolean {
    return this.inflight !== null || this.events.length > 0;
  }

  /** Takes what the radiators produced since the last call into the gateway's own buffers. */
  collect(): void {
    const fresh: DeviceEvent[] = [];
    for (const r of this.radiators) {
      if (r.readings.length > 0) {
        let list = this.backlog.get(r);
        if (!list) this.backlog.set(r, (list = []));
        for (const reading of r.readings) list.push(reading);
        r.readings.length = 0;
        if (list.length > MAX_BUFFERED_READINGS) list.splice(0, list.length - MAX_BUFFERED_READINGS);
      }
      if (r.events.length > 0) {
        for (const e of r.events) {
          fresh.push(e);
          if (e.type === "exit") this.unsentExits.set(e.attemptId, r);
        }
        r.events.length = 0;
      }
    }
    // In the order they happened across radiators (ISO times of one format sort as text); stable,
    // so an attempt's log, output and exit of one instant keep their order.
    fresh.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    for (const e of fresh) this.events.push(e);
  }

  /**
   * One reporting round at `nowMs`: the unacknowledged report first, then new ones until
   * nothing is left. Stops at the first failure (network, 5xx): the same report goes again
   * next round.
   */
  async report(nowMs: number, ctx: RunContext): Promise<GatewayRound> {
    const round: GatewayRound = { reports: 0, assigned: 0, failed: false, refused: false };
    if (this.refused) return round;
    this.collect();
    for (let i = 0; i < MAX_REPORTS_PER_ROUND; i++) {
      if (!this.inflight) {
        const body = this.build(nowMs);
        if (!body) break;
        this.inflight = body;
      }
      let reply: { status: number; body: unknown };
      try {
        reply = await this.send(this.inflight.body);
      } catch (error) {
        this.log(`${this.serial}: report ${this.inflight.seq} not sent (${error instanceof Error ? error.message : String(error)}); will retry`);
        round.failed = true;
        break;
      }
      round.reports += 1;
      if (reply.status === 200) {
        const seq = this.inflight.seq;
        this.inflight = null;
        const answer = reportResponseSchema.safeParse(reply.body);
        if (answer.success) {
          this.noteRefusedReadings(seq, answer.data.refusedReadings ?? []);
          this.apply(answer.data, nowMs, ctx);
          round.assigned += answer.data.assignments.length;
        } else this.log(`${this.serial}: the answer to report ${seq} is not a v1 answer (${answer.error.issues[0]?.message}); ignored`);
        continue;
      }
      if (reply.status === 401) {
        // The simulation says so, once for all its gateways.
        this.refused = round.refused = true;
        break;
      }
      if (reply.status >= 500 || reply.status === 429) {
        round.failed = true;
        break;
      }
      // 400, 403, 413, 415: the same body would be refused again. Drop it and say why.
      this.log(`${this.serial}: report ${this.inflight.seq} refused (${reply.status}): ${JSON.stringify(reply.body).slice(0, 500)}; dropped`);
      this.inflight = null;
      this.dropped += 1;
    }
    return round;
  }

  /** The next report from the buffers (oldest readings first, within the protocol's limits), or null when empty. */
  private build(nowMs: number): { seq: number; body: string } | null {
    const radiators: ReportBody["radiators"] = [];
    const chosen: SimRadiator[] = [];
    let bytes = 0;
    for (const [radiator, list] of this.backlog) {
      if (list.length === 0) continue;
      if (radiators.length >= LIMITS.maxRadiatorsPerReport) break;
      const take = Math.min(list.length, LIMITS.maxReadingsPerRadiator);
      if (radiators.length > 0 && bytes + 64 + take * 180 > REPORT_BUDGET_BYTES) break; // the rest goes in the next report
      const readings = list.splice(0, take);
      radiators.push({ serial: radiator.serial, readings, runningAttemptIds: [] });
      chosen.push(radiator);
      bytes += 64 + readings.length * 180;
    }
    let take = 0;
    while (take < this.events.length && take < LIMITS.maxEventsPerReport) {
      const size = eventBytes(this.events[take]!);
      if (take > 0 && bytes + size > REPORT_BUDGET_BYTES) break;
      bytes += size;
      take += 1;
    }
    const events = this.events.splice(0, take);
    if (radiators.length === 0 && events.length === 0) return null;
    for (const e of events) if (e.type === "exit") this.unsentExits.delete(e.attemptId);
    // What runs on each radiator: started and not reported ended, in this report or before.
    radiators.forEach((entry, i) => {
      const radiator = chosen[i]!;
      for (const id of radiator.attempts.keys()) entry.runningAttemptIds.push(id);
      for (const [id, r] of this.unsentExits) if (r === radiator) entry.runningAttemptIds.push(id);
    });
    const seq = ++this.seq;
    const body: ReportBody = {
      protocolVersion: PROTOCOL_VERSION,
      seq,
      sentAt: new Date(nowMs).toISOString(),
      gatewayEnergyCounterWh: gatewayMeterWh(this.spec, nowMs),
      radiators,
      events,
    };
    return { seq, body: JSON.stringify(body) };
  }

  private noteRefusedReadings(seq: number, refused: NonNullable<ReportResponse["refusedReadings"]>) {
    if (refused.length === 0) return;
    this.refusedReadings += refused.length;
    const first = refused[0]!;
    const more = refused.length > 1 ? ` and ${refused.length - 1} more` : "";
    this.log(
      `${this.serial}: report ${seq}: reading of ${first.radiatorSerial} at ${first.at} refused (${first.reason}: ${first.message})${more}; not sent again`,
    );
  }

  /** The answer: the full list of setpoints, work to start, work to stop. */
  private apply(response: ReportResponse, nowMs: number, ctx: RunContext) {
    const setpoints = new Map(response.setpoints.map((s) => [s.radiatorSerial, s.setpointC]));
    for (const r of this.radiators) r.takeSetpoint(setpoints.get(r.serial) ?? null);
    const bySerial = new Map(this.radiators.map((r) => [r.serial, r]));
    for (const a of response.assignments) bySerial.get(a.radiatorSerial)?.assign(a, nowMs, ctx);
    for (const c of response.cancellations) bySerial.get(c.radiatorSerial)?.cancel(c.attemptId, nowMs);
    for (const r of this.radiators) r.decide();
  }
}

function eventBytes(e: DeviceEvent): number {
  if (e.type === "output") return 256 + e.contentBase64.length;
  if (e.type === "log") return 160 + e.content.length * 3;
  return 120;
}
