import { and, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { gatewayCredentials } from "@/server/db/schema";
import { issueGatewayCredential } from "@/server/services/gateway-credentials";
import { handleDeviceRequest } from "@/server/device/http";
import { runEngineTick } from "@/server/services/engine-loop";
import { loadFleet, type FleetSpec } from "./fleet";
import { SimGateway, type SendFn } from "./gateway";
import type { ProfileRunner, RunContext } from "./radiator";
import { World, type OutageRates } from "./world";

/**
 * The whole simulated fleet and its clock. Every gateway of the fleet is played through the
 * device protocol only: its reports go to `handleDeviceRequest` in this process (with the
 * handler's clock set to the simulated time) or, given a base URL, over HTTP to a running
 * platform; either way the same request is built, authenticated with the gateway's own
 * credential and validated as any gateway's would be. Nothing here writes to the platform's
 * tables except the credentials issued at start (an installer provisioning gateways).
 *
 * Time moves in physics steps of 60 s. Readings are taken and reports sent on multiples of
 * their cadence; after each reporting round the simulator runs the engine's tick at the
 * simulated time (take work back from silent radiators, dispatch the queue), because the
 * engine's periodic loop in the web process runs on the wall clock and would see a fleet that
 * lives in the past (fast-forward) or the future (acceleration) as silent or never silent.
 */

export type Cadence = Readonly<{
  readingS: number;
  reportS: number;
  /**
   * While no radiator runs work and no event waits, report only this often (a multiple of
   * reportS); as soon as there is work, every reportS again. Omitted: always every reportS.
   */
  quietReportS?: number;
}>;

/** Live: a reading and a report a minute, as real gateways do. */
export const LIVE_CADENCE: Cadence = Object.freeze({ readingS: 60, reportS: 60 });
/**
 * Fast-forward (history): a reading every 15 minutes, the physics still every minute. 15 times
 * fewer rows than live (a month of the demo fleet is 2 million readings, not 30 million), and the
 * hourly rollups and charts are as exact. Every gateway reports once a day (96 readings per
 * radiator, under the protocol's 100 per report), and on the hour after work was submitted or
 * the engine dispatched some; in between, every hour, the gateways whose radiators run work, so
 * work is started and ended within the hour. The platform's cost is largely per report: a month
 * of history for the demo fleet fills in about 80 s on a 2-core machine, instead of about
 * 2 minutes reporting 6-hourly or 10 reporting hourly.
 */
export const HISTORY_CADENCE: Cadence = Object.freeze({ readingS: 900, reportS: 3600, quietReportS: 24 * 3600 });

export type SimulationOptions = {
  db: Db;
  seed?: number;
  /** When the simulated fleet starts; aligned down to the physics step. */
  startMs: number;
  /** The fleet (loaded from the database when omitted), or the gateways to play. */
  fleet?: FleetSpec;
  gatewaySerials?: readonly string[];
  /** Real HTTP to a running platform (e.g. http://localhost:3000) instead of the in-process handler. */
  baseUrl?: string;
  /**
   * Another way to deliver the request (e.g. the Next.js route's exported POST). Default: the
   * in-process handler with the simulated clock, or fetch when `baseUrl` is given.
   */
  transport?: (request: Request) => Promise<Response>;
  runner: ProfileRunner;
  /** Outage rates; null: none (forced outages still work). Default: DEFAULT_OUTAGES. */
  outages?: OutageRates | null;
  /** Run the engine's tick after each reporting round, at the simulated time. Default true. */
  engineTicks?: boolean;
  /** Gateways reporting at once. Default 4. */
  concurrency?: number;
  /** Physics before the start, without readings, for rooms never simulated before (ms). Default 2 days; 0 for none. */
  warmUpMs?: number;
  /** Work customers submit as the clock passes it (the demo customers' past work in the history fill). */
  workload?: Workload;
  log?: (line: string) => void;
  /** Every report sent and its status (tests compare them between runs). */
  onReport?: (gatewaySerial: string, body: string, status: number) => void;
};

/**
 * Tasks submitted at their own times, as a customer would: `submitDue` creates those due by then
 * (through the tasks service) and says how many; `waiting` says whether any of them still has
 * instances in the queue (what the customer sees of its tasks).
 */
export type Workload = { readonly nextAtMs: number; submitDue(nowMs: number): Promise<number>; waiting(): Promise<boolean> };

export type RoundStats = { reports: number; failedGateways: number; offlineGateways: number; reclaimed: number; assigned: number };

const STEP_S = 60;

export class Simulation {
  readonly world: World;
  readonly gateways: SimGateway[];
  private readonly ctx: RunContext;
  private readonly db: Db;
  private readonly engineTicks: boolean;
  private readonly concurrency: number;
  private readonly log: (line: string) => void;
  private readonly workload: Workload | null;
  /** The simulated clock (ms since the epoch): the next step starts here. */
  nowMs: number;
  /** Totals since start. */
  readonly stats = { steps: 0, readings: 0, reports: 0, rounds: 0, reclaimed: 0, assigned: 0, physicsMs: 0, reportMs: 0, engineMs: 0 };

  private constructor(
    opts: SimulationOptions,
    fleet: FleetSpec,
    tokens: Map<string, string>,
  ) {
    this.db = opts.db;
    this.engineTicks = opts.engineTicks ?? true;
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.log = opts.log ?? (() => {});
    this.workload = opts.workload ?? null;
    this.nowMs = Math.floor(opts.startMs / (STEP_S * 1000)) * STEP_S * 1000;
    this.world = new World(fleet, { seed: opts.seed ?? 1, stepS: STEP_S, outages: opts.outages, startMs: this.nowMs });
    this.ctx = { runner: opts.runner, profileCoreSeconds: fleet.profileCoreSeconds };
    const fresh = fleet.gateways.every((g) => g.radiators.every((r) => r.memory.roomTempC === null));
    const warmUpMs = opts.warmUpMs ?? 2 * 86_400_000;
    if (fresh && warmUpMs > 0) this.world.warmUp(this.nowMs - warmUpMs, warmUpMs);

    this.gateways = fleet.gateways.map((g) => {
      const token = tokens.get(g.id)!;
      const send = this.sender(token, opts, g.serial);
      return new SimGateway(
        g,
        g.radiators.map((r) => this.world.bySerial.get(r.serial)!),
        send,
        this.log,
      );
    });
  }

  /**
   * Loads the fleet, provisions a credential per gateway (revoking the ones the simulator issued
   * before: those with no issuing user) and sets the world up at `startMs`.
   */
  static async create(opts: SimulationOptions): Promise<Simulation> {
    const fleet = opts.fleet ?? (await loadFleet(opts.db, { gatewaySerials: opts.gatewaySerials }));
    if (fleet.gateways.length === 0) throw new Error("no gateways to simulate: is the database seeded?");
    const tokens = await provisionCredentials(opts.db, fleet.gateways.map((g) => g.id));
    return new Simulation(opts, fleet, tokens);
  }

  /** The same request whatever the wire: in-process with the simulated clock, HTTP, or a given transport. */
  private sender(token: string, opts: SimulationOptions, gatewaySerial: string): SendFn {
    const url = `${opts.baseUrl?.replace(/\/+$/, "") ?? "http://simulator.invalid"}/api/device/v1/report`;
    const transport =
      opts.transport ??
      (opts.baseUrl
        ? (request: Request) => fetch(request, { signal: AbortSignal.timeout(60_000) })
        : (request: Request) => handleDeviceRequest(request, this.db, { now: () => new Date(this.nowMs) }));
    return async (body) => {
      const request = new Request(url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body,
      });
      const response = await transport(request);
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      opts.onReport?.(gatewaySerial, body, response.status);
      return { status: response.status, body: parsed };
    };
  }

  /** The attempts whose simulated end has come but whose real program is still computing: time waits for them. */
  private async waitForPrograms(t: number) {
    const waits: Promise<void>[] = [];
    for (const r of this.world.radiators) if (r.attempts.size > 0) waits.push(...r.pendingBy(t));
    if (waits.length > 0) await Promise.all(waits);
  }

  /** The last engine tick dispatched work: the gateways learn it at their next report. */
  private dispatched = false;
  /** The workload submitted work that has not all been dispatched yet: the next round hands it out. */
  private submitted = false;

  /**
   * Whether any radiator runs work, any gateway holds events, the engine just dispatched or the
   * workload's work waits in the queue: the fast-forward then reports often.
   */
  busy(): boolean {
    if (this.dispatched || this.submitted) return true;
    for (const r of this.world.radiators) if (r.attempts.size > 0 || r.events.length > 0) return true;
    for (const g of this.gateways) if (g.hasPendingEvents()) return true;
    return false;
  }

  /** Whether a gateway's radiators run work or hold events, or the gateway has events to send. */
  private hasWork(g: SimGateway): boolean {
    if (g.hasPendingEvents()) return true;
    for (const r of g.radiators) if (r.attempts.size > 0 || r.events.length > 0) return true;
    return false;
  }

  /**
   * One physics step at the current time, with readings and a reporting round when their
   * cadence says so (or when forced: the end of a fast-forward flushes everything).
   */
  async step(cadence: Cadence, force: { reading?: boolean; report?: boolean } = {}): Promise<void> {
    const t = this.nowMs;
    if (this.workload && this.workload.nextAtMs <= t && (await this.workload.submitDue(t)) > 0) this.submitted = true;
    const reading = force.reading || t % (cadence.readingS * 1000) === 0;
    // Every gateway reports on the cadence (and after the engine dispatched work: they learn it so);
    // with a quiet cadence, in between, only those with work to tell about or to take (see reportRound).
    const everyone = force.report || !cadence.quietReportS || t % (cadence.quietReportS * 1000) === 0 || this.dispatched;
    const reporting = force.report || (t % (cadence.reportS * 1000) === 0 && (everyone || this.busy()));
    // Power first (a radiator whose breaker trips now loses its work before it could end), then
    // the work that ends by now, then the thermostats with the cores that are left.
    this.world.power(t);
    await this.waitForPrograms(t);
    const p0 = performance.now();
    for (const r of this.world.radiators) if (r.attempts.size > 0) r.advanceWork(t, reading);
    this.world.sample(t);
    if (reading) {
      this.world.record(t);
      for (const r of this.world.radiators) if (!r.off) this.stats.readings += 1;
    }
    this.stats.physicsMs += performance.now() - p0;
    if (reporting) await this.reportRound(t, everyone ? "all" : "work");
    const p1 = performance.now();
    this.world.integrate();
    this.stats.physicsMs += performance.now() - p1;
    this.nowMs = t + STEP_S * 1000;
    this.stats.steps += 1;
  }

  /**
   * A reporting round at `t`, then the engine's tick at the simulated time. "all": every gateway
   * with internet reports, a few at once. "work" (between a quiet cadence's rounds): the gateways
   * whose radiators run work or hold events report; and while the workload's work waits in the
   * queue, the others too, one after another, taking it in the platform's answers, until none is
   * left (the rest stay quiet: the work went to the first ones, as it would to the first gateways
   * reporting after a submission).
   */
  async reportRound(t: number, scope: "all" | "work" = "all"): Promise<RoundStats> {
    const round: RoundStats = { reports: 0, failedGateways: 0, offlineGateways: 0, reclaimed: 0, assigned: 0 };
    const queue = this.gateways.filter((g) => {
      const down = this.world.internetDown(g.serial, t);
      if (down) round.offlineGateways += 1;
      return !down;
    });
    const r0 = performance.now();
    const refused: string[] = [];
    const report = async (gateway: SimGateway) => {
      const result = await gateway.report(t, this.ctx);
      round.reports += result.reports;
      if (result.failed) round.failedGateways += 1;
      if (result.refused) refused.push(gateway.serial);
      return result;
    };
    if (scope === "all") {
      let next = 0;
      const worker = async () => {
        while (next < queue.length) await report(queue[next++]!);
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
      this.submitted = this.submitted && this.workload !== null && (await this.workload.waiting());
    } else {
      let waiting = this.submitted && this.workload !== null && (await this.workload.waiting());
      for (const gateway of queue) {
        if (!waiting && !this.hasWork(gateway)) continue;
        const result = await report(gateway);
        if (waiting && result.assigned > 0) waiting = await this.workload!.waiting();
      }
      this.submitted = waiting;
    }
    if (this.gateways.every((g) => g.refused)) throw new CredentialsRevokedError();
    if (refused.length > 0) {
      this.log(`${refused.length} gateway(s) had their credential refused (401) and stop reporting: ${refused.sort().slice(0, 5).join(", ")}${refused.length > 5 ? ", …" : ""}`);
    }
    const r1 = performance.now();
    this.stats.reportMs += r1 - r0;
    if (this.engineTicks) {
      const tick = await runEngineTick(this.db, new Date(t));
      round.reclaimed = tick.reclaimed;
      round.assigned = tick.assigned;
      this.dispatched = tick.assigned > 0;
      this.stats.engineMs += performance.now() - r1;
    }
    this.stats.rounds += 1;
    this.stats.reports += round.reports;
    this.stats.reclaimed += round.reclaimed;
    this.stats.assigned += round.assigned;
    return round;
  }

  /** Steps until the clock reaches `untilMs`. `onDay` is called as each simulated day completes. */
  async runUntil(untilMs: number, cadence: Cadence, hooks: { onDay?: (dayIndex: number) => void; stop?: () => boolean } = {}) {
    const startMs = this.nowMs;
    let day = 0;
    while (this.nowMs < untilMs && !hooks.stop?.()) {
      await this.step(cadence);
      const done = Math.floor((this.nowMs - startMs) / 86_400_000);
      if (done > day) {
        day = done;
        hooks.onDay?.(day);
      }
    }
  }

  /**
   * Real time × speed from here on: a step whenever its simulated instant has come, as fast as it
   * can while behind. At speed ≥ 1 a clock behind the wall clock first catches up with it (after
   * a fast-forward that ended within the hour), then runs `speed` times faster than it.
   */
  async runLive(opts: { speed: number; cadence?: Cadence; signal?: AbortSignal; onStep?: () => void }) {
    const cadence = opts.cadence ?? LIVE_CADENCE;
    const wall0 = Date.now();
    // At speed 1 a clock ahead of the wall clock (by less than a step, after a fast-forward)
    // waits for it; faster, the simulated clock runs on from where it is.
    const sim0 = opts.speed > 1 ? this.nowMs : Math.min(this.nowMs, wall0);
    const signal = opts.signal;
    while (!signal?.aborted) {
      const wall = Date.now();
      const paced = sim0 + (wall - wall0) * opts.speed;
      const reachable = opts.speed >= 1 ? Math.max(wall, paced) : paced;
      if (this.nowMs <= reachable) {
        await this.step(cadence);
        opts.onStep?.();
        continue;
      }
      const waitMs = Math.min(1000, Math.max(1, (this.nowMs - reachable) / opts.speed));
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        signal?.addEventListener("abort", done, { once: true });
      });
    }
  }

  /** Trips a radiator's breaker for `durationMs` from now (simulated). */
  tripBreaker(serial: string, durationMs: number, fromMs = this.nowMs) {
    this.world.forceBreakerTrip(serial, fromMs, fromMs + durationMs);
  }

  /** Cuts a gateway's internet for `durationMs` from now (simulated). */
  cutInternet(gatewaySerial: string, durationMs: number, fromMs = this.nowMs) {
    this.world.forceInternetLoss(gatewaySerial, fromMs, fromMs + durationMs);
  }
}

/** Every gateway's credential was refused: another simulator (or staff) took the gateways over. */
export class CredentialsRevokedError extends Error {
  constructor() {
    super("the platform refuses every gateway's credential: another simulator started on this fleet, or staff revoked them");
    this.name = "CredentialsRevokedError";
  }
}

/**
 * A fresh credential for each gateway played; the simulator's earlier ones (issued by nobody)
 * are revoked first. Staff-issued credentials (real gateways) are left alone.
 */
export async function provisionCredentials(db: Db, gatewayIds: string[]): Promise<Map<string, string>> {
  return db.transaction(async (tx) => {
    await tx
      .update(gatewayCredentials)
      .set({ revokedAt: sql`now()` })
      .where(and(inArray(gatewayCredentials.gatewayId, gatewayIds), isNull(gatewayCredentials.createdByUserId), isNull(gatewayCredentials.revokedAt)));
    const tokens = new Map<string, string>();
    for (const gatewayId of gatewayIds) {
      const { token } = await issueGatewayCredential(tx, { gatewayId, createdByUserId: null });
      tokens.set(gatewayId, token);
    }
    return tokens;
  });
}
