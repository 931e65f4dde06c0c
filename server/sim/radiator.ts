import type { DeviceEvent, Reading } from "@/server/device/protocol";
import { thermostatStep, type RadiatorHardware } from "@/server/domain/thermostat";
import type { HouseholdState } from "@/server/domain/household";
import type { RoomState, RoomStepper, RoomThermalParams } from "@/server/domain/thermal";
import type { InstanceRun } from "@/server/profiles/run";
import { isRunnableProfile } from "@/server/profiles/run";
import type { ProfileJob } from "@/server/profiles/worker";
import type { RadiatorSpec, RoomSpec } from "./fleet";

/**
 * One simulated Q.rad and the room it heats. The radiator's local thermostat turns the room's
 * temperature and its setpoint into wanted cores and power (server/domain/thermostat.ts); its
 * meter counts the energy it draws in whole Wh (monotonic, back to 0 when it reboots after its
 * breaker tripped); it runs the attempts the platform assigned with the real programs of the
 * built-in profiles, for the time the hardware would take, and says what happened as protocol
 * events.
 *
 * Durations: an instance takes the profile's expected core-seconds (the platform's reference
 * figure for one reference core) divided by the cores it was given. Every model's cores run at
 * the reference speed: the models differ in how many cores and watts they have, not in per-core
 * speed. The real program runs meanwhile in a worker thread, however fast this machine is; the
 * simulated clock waits for it only if it is not done when the simulated run ends.
 */

export type ProfileRunner = { run(job: ProfileJob): Promise<InstanceRun> };

/** What the radiator needs from the rest of the simulation to run work. */
export type RunContext = {
  runner: ProfileRunner;
  /** Expected core-seconds of one instance, per profile (the platform's reference data). */
  profileCoreSeconds: ReadonlyMap<string, number>;
};

/** What an assignment in a report's answer says (a subset of the protocol's Assignment). */
export type AssignmentLike = {
  attemptId: number;
  instanceNumber: number;
  profile: string;
  constants: Record<string, string>;
  cores: number;
  maxWallTimeS: number | null;
};

/** Donated research work units are not a program we can run here: they are played as a stand-in (see below). */
const RESEARCH_PROFILE = "research";
/** Used when the platform names a profile without reference core-seconds. */
const DEFAULT_CORE_SECONDS = 600;
/** Log chunks stay well under the protocol's 64 KiB. */
const MAX_CHUNK_BYTES = 60_000;
/** Attempt ids remembered, to start each at most once even when the platform repeats it. */
const REMEMBERED_ATTEMPTS = 4096;

/** The range of the radiator's own thermostat dial. */
const MIN_LOCAL_SETPOINT_C = 5;
const MAX_LOCAL_SETPOINT_C = 30;
const iso = (ms: number) => new Date(ms).toISOString();

/** A heated space and its lumped thermal state, shared by the radiators in it. */
export class SimRoom {
  readonly radiators: SimRadiator[] = [];
  /** Inputs of the current step, reused: the hot path allocates nothing. */
  readonly inputs: { outdoorTempC: number; radiatorPowerW: number; gainsW: number; windowOpen: boolean } = {
    outdoorTempC: 0,
    radiatorPowerW: 0,
    gainsW: 0,
    windowOpen: false,
  };
  /** The setpoint the room's thermostats follow unless the platform sends one (household habit, fixed for plant rooms). */
  baseSetpointC = 19;
  /** Share of its dwelling's household gains (by floor area). */
  gainsShare = 1;
  /** The flat's household (set by the world), or null for plant rooms and heat sinks. */
  household: { readonly state: HouseholdState; readonly day: number; readonly manualChangeC: number } | null = null;
  /** The household's turn of the thermostat the room's radiators last took. */
  manualChangeC = 0;

  constructor(
    readonly spec: RoomSpec,
    readonly kind: "home" | "heat_sink" | "plant",
    readonly params: RoomThermalParams,
    readonly stepper: RoomStepper,
    readonly state: RoomState,
    /** Seed of this room's own draws (which airings it takes part in). */
    readonly seed: number,
  ) {}
}

type RunningAttempt = {
  id: number;
  profile: string;
  cores: number;
  startMs: number;
  endMs: number;
  timedOut: boolean;
  result: InstanceRun | null;
  /** Resolves when `result` is set. */
  ready: Promise<void>;
  stdoutSent: number;
  stdoutChunk: number;
  stderrChunk: number;
  progressPct: number;
};

/** The events and readings a radiator produced since its gateway last collected them. */
export type RadiatorOutbox = { readings: Reading[]; events: DeviceEvent[] };

export class SimRadiator implements RadiatorOutbox {
  readonly serial: string;
  readonly hardware: RadiatorHardware;
  /** Energy drawn since the last boot, in Wh, exact; the meter shows its integer part. */
  energyWh: number;
  /** The setpoint the platform last sent for this radiator, or null: the local setting applies. */
  platformSetpointC: number | null = null;
  /**
   * A change made on the radiator's own thermostat while the platform sends a target: it holds
   * until the platform sends a different target from the last one (the latest change wins).
   */
  localSetpointC: number | null = null;
  /** Power is off (breaker tripped): no readings, no work, no heat. */
  off = false;

  // The thermostat's decision for the current step.
  setpointC = 19;
  coresWanted = 0;
  coresActive = 0;
  powerW = 0;

  /** Cores taken by the attempts running now. */
  computingCores = 0;
  readonly attempts = new Map<number, RunningAttempt>();
  private readonly seen = new Set<number>();
  /** Attempts that died when the power went: reported failed when the radiator boots again. */
  private diedAtPowerLoss: number[] = [];

  readonly readings: Reading[] = [];
  readonly events: DeviceEvent[] = [];

  constructor(
    readonly spec: RadiatorSpec,
    readonly room: SimRoom,
    initialEnergyWh: number,
  ) {
    this.serial = spec.serial;
    this.hardware = { cores: spec.hardware.cores, maxPowerW: spec.hardware.maxPowerW };
    this.energyWh = initialEnergyWh;
  }

  /** The thermostat, now: setpoint and room temperature to wanted cores, running cores and power. */
  decide(): void {
    if (this.off) {
      this.coresWanted = 0;
      this.coresActive = 0;
      this.powerW = 0;
      return;
    }
    const setpoint = this.platformSetpointC === null ? this.room.baseSetpointC : (this.localSetpointC ?? this.platformSetpointC);
    this.setpointC = setpoint;
    const out = thermostatStep(this.hardware, setpoint, this.room.state.airC, this.computingCores);
    this.coresWanted = out.coresWanted;
    this.coresActive = out.coresActive;
    this.powerW = out.powerW;
  }

  /** The platform's target from an answer (null: none); a different one replaces a local change. */
  takeSetpoint(setpointC: number | null): void {
    if (setpointC !== this.platformSetpointC) this.localSetpointC = null;
    this.platformSetpointC = setpointC;
  }

  /** Someone turns the thermostat by `deltaC`: with a platform target, the radiator holds the new value itself. */
  turnThermostat(deltaC: number): void {
    if (this.platformSetpointC === null) return; // the household's setting already rules
    this.localSetpointC = Math.min(MAX_LOCAL_SETPOINT_C, Math.max(MIN_LOCAL_SETPOINT_C, (this.localSetpointC ?? this.platformSetpointC) + deltaC));
  }

  /** A reading of the current step at `atIso`. */
  record(atIso: string): void {
    if (this.off) return;
    this.readings.push({
      at: atIso,
      roomTempC: Math.round(this.room.state.airC * 100) / 100,
      setpointC: this.setpointC,
      powerW: Math.round(this.powerW),
      energyCounterWh: Math.floor(this.energyWh),
      coresActive: this.coresActive,
      coresWanted: this.coresWanted,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Power

  /** The breaker tripped: RAM-only hardware, so the running work is gone without a word. */
  powerOff(): void {
    this.off = true;
    for (const id of this.attempts.keys()) this.diedAtPowerLoss.push(id);
    this.attempts.clear();
    this.computingCores = 0;
    this.decide();
  }

  /**
   * Power is back: the radiator boots with its meter at 0 and no process. The gateway tells the
   * platform that the work it had there failed (ignored if the platform already gave it up as
   * lost, which it does after 5 minutes of silence).
   */
  boot(atMs: number): void {
    this.off = false;
    this.energyWh = 0;
    const at = iso(atMs);
    for (const attemptId of this.diedAtPowerLoss) {
      this.events.push({ type: "log", attemptId, at, stream: "stderr", chunkSeq: 1_000_000, content: "hearth-gateway: the radiator lost power; the attempt died with it\n" });
      this.events.push({ type: "exit", attemptId, at, outcome: "failed", exitCode: null });
    }
    this.diedAtPowerLoss = [];
  }

  // -------------------------------------------------------------------------------------------
  // Work

  /**
   * An assignment from the platform's answer, at `nowMs`. The platform repeats assignments until
   * it hears `started`: each attempt starts once.
   */
  assign(a: AssignmentLike, nowMs: number, ctx: RunContext): void {
    if (this.seen.has(a.attemptId)) return;
    this.remember(a.attemptId);
    const at = iso(nowMs);
    const cannot = (why: string) => {
      this.events.push({ type: "log", attemptId: a.attemptId, at, stream: "stderr", chunkSeq: 0, content: `hearth-gateway: ${why}\n` });
      this.events.push({ type: "exit", attemptId: a.attemptId, at, outcome: "failed", exitCode: null });
    };
    if (this.off) return cannot(`radiator ${this.serial} is off`);
    if (a.profile !== RESEARCH_PROFILE && !isRunnableProfile(a.profile)) return cannot(`this radiator cannot run profile ${JSON.stringify(a.profile)}`);
    if (!(a.cores > 0)) return cannot(`no cores given`);

    const coreSeconds = ctx.profileCoreSeconds.get(a.profile) ?? DEFAULT_CORE_SECONDS;
    const durationMs = Math.max(1000, Math.round((coreSeconds * 1000) / a.cores));
    const limitMs = a.maxWallTimeS === null ? Infinity : a.maxWallTimeS * 1000;
    const attempt: RunningAttempt = {
      id: a.attemptId,
      profile: a.profile,
      cores: a.cores,
      startMs: nowMs,
      endMs: nowMs + Math.min(durationMs, limitMs),
      timedOut: durationMs > limitMs,
      result: null,
      ready: Promise.resolve(),
      stdoutSent: 0,
      stdoutChunk: 0,
      stderrChunk: 0,
      progressPct: 0,
    };
    if (a.profile === RESEARCH_PROFILE) {
      attempt.result = researchStandIn(a, coreSeconds);
    } else {
      attempt.ready = ctx.runner.run({ profileName: a.profile, constants: a.constants, instanceNumber: a.instanceNumber }).then(
        (result) => {
          attempt.result = result;
        },
        (error: unknown) => {
          attempt.result = { outputs: [], stdout: [], stderr: [`hearth-gateway: ${error instanceof Error ? error.message : String(error)}`], exitCode: 1 };
        },
      );
    }
    this.attempts.set(a.attemptId, attempt);
    this.computingCores += a.cores;
    this.events.push({ type: "started", attemptId: a.attemptId, at });
  }

  /** A cancellation from the platform: stop, send the log so far, confirm with `exit` / cancelled. */
  cancel(attemptId: number, nowMs: number): void {
    const attempt = this.attempts.get(attemptId);
    if (attempt) {
      this.flushLogs(attempt, nowMs, false);
      this.end(attempt, nowMs, "cancelled", null);
    } else if (!this.seen.has(attemptId)) {
      // Never started here (an answer lost on the way): confirm all the same.
      this.remember(attemptId);
      this.events.push({ type: "exit", attemptId, at: iso(nowMs), outcome: "cancelled", exitCode: null });
    }
  }

  /** Attempts whose simulated run ends by `ms` and whose real program has not finished yet. */
  pendingBy(ms: number): Promise<void>[] {
    const waits: Promise<void>[] = [];
    for (const a of this.attempts.values()) if (a.endMs <= ms && a.result === null && !a.timedOut) waits.push(a.ready);
    return waits;
  }

  /**
   * Moves the running attempts to `nowMs`: the ones whose time is up end (log, outputs, exit,
   * stamped at their simulated end); with `report`, the others tell their progress and the log
   * lines due by now.
   */
  advanceWork(nowMs: number, report: boolean): void {
    for (const attempt of this.attempts.values()) {
      if (attempt.endMs <= nowMs) {
        if (attempt.timedOut) {
          this.flushLogs(attempt, attempt.endMs, false);
          this.events.push({
            type: "log",
            attemptId: attempt.id,
            at: iso(attempt.endMs),
            stream: "stderr",
            chunkSeq: attempt.stderrChunk++,
            content: "hearth-gateway: killed: the task's maximum wall time was reached\n",
          });
          this.end(attempt, attempt.endMs, "failed", null);
          continue;
        }
        const result = attempt.result;
        if (result === null) continue; // the simulation waits for it before this step; never here
        this.flushLogs(attempt, attempt.endMs, true);
        if (result.exitCode === 0) {
          for (const output of result.outputs) {
            this.events.push({
              type: "output",
              attemptId: attempt.id,
              at: iso(attempt.endMs),
              name: output.name,
              contentType: output.contentType,
              contentBase64: output.content.toString("base64"),
            });
          }
        }
        this.end(attempt, attempt.endMs, result.exitCode === 0 ? "succeeded" : "failed", result.exitCode);
      } else if (report) {
        const pct = Math.floor(((nowMs - attempt.startMs) / (attempt.endMs - attempt.startMs)) * 100);
        if (pct > attempt.progressPct) {
          attempt.progressPct = pct;
          this.events.push({ type: "progress", attemptId: attempt.id, at: iso(nowMs), progressPct: pct });
        }
        this.flushLogs(attempt, nowMs, false);
      }
    }
  }

  private end(attempt: RunningAttempt, atMs: number, outcome: "succeeded" | "failed" | "cancelled", exitCode: number | null) {
    this.events.push({ type: "exit", attemptId: attempt.id, at: iso(atMs), outcome, exitCode });
    this.attempts.delete(attempt.id);
    this.computingCores -= attempt.cores;
  }

  /**
   * The program's stdout lines are released over its simulated run (line i of n at i/n of it), as
   * a live log tail would show them; at the end, whatever is left and stderr.
   */
  private flushLogs(attempt: RunningAttempt, atMs: number, final: boolean) {
    const result = attempt.result;
    if (!result) return;
    const n = result.stdout.length;
    const due = final ? n : Math.min(n, Math.floor(((atMs - attempt.startMs) / (attempt.endMs - attempt.startMs)) * n));
    if (due > attempt.stdoutSent) {
      for (const content of chunks(result.stdout.slice(attempt.stdoutSent, due))) {
        this.events.push({ type: "log", attemptId: attempt.id, at: iso(atMs), stream: "stdout", chunkSeq: attempt.stdoutChunk++, content });
      }
      attempt.stdoutSent = due;
    }
    if (final && result.stderr.length > 0) {
      for (const content of chunks(result.stderr)) {
        this.events.push({ type: "log", attemptId: attempt.id, at: iso(atMs), stream: "stderr", chunkSeq: attempt.stderrChunk++, content });
      }
    }
  }

  private remember(attemptId: number) {
    this.seen.add(attemptId);
    if (this.seen.size > REMEMBERED_ATTEMPTS) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}

/** Lines joined into chunks of at most MAX_CHUNK_BYTES (a longer line is cut), without NUL. */
function chunks(lines: readonly string[]): string[] {
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  for (const raw of lines) {
    let line = `${raw.replaceAll("\u0000", "")}\n`;
    let size = Buffer.byteLength(line, "utf8");
    if (size > MAX_CHUNK_BYTES) {
      line = `${Buffer.from(line, "utf8").subarray(0, MAX_CHUNK_BYTES - 4).toString("utf8").replace(/\uFFFD$/, "")}…\n`;
      size = Buffer.byteLength(line, "utf8");
    }
    if (bytes + size > MAX_CHUNK_BYTES && current) {
      out.push(current);
      current = "";
      bytes = 0;
    }
    current += line;
    bytes += size;
  }
  if (current) out.push(current);
  return out;
}

/**
 * Donated research work (protein folding work units) is not something this repository can
 * compute. The simulator plays it so that E3 shows up on the demo fleet: the unit takes its
 * expected time and energy, logs that it was simulated, and produces no output file.
 */
function researchStandIn(a: AssignmentLike, coreSeconds: number): InstanceRun {
  return {
    outputs: [],
    stdout: [
      `research: work unit ${a.instanceNumber} on ${a.cores} core(s), ${coreSeconds} core-seconds`,
      "research: simulated work unit (the demo fleet has no research client); no result file",
    ],
    stderr: [],
    exitCode: 0,
  };
}
