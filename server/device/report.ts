import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/server/db/client";
import { instanceOutputs } from "@/server/db/schema";
import { jsonb, pgArray } from "@/server/db/sql-params";
import { earliestReadingMs, hourStartMs, meterReading, readingRefusal, type ReadingRefusalReason } from "@/server/domain/metering";
import { wantedEnergyMwh } from "@/server/domain/carbon";
import {
  activeAttemptsOnRadiators,
  assignWork,
  type ActiveAttempt,
  finishAttempt,
  loseVanishedAttempts,
  markAttemptsRunning,
  recordOffers,
} from "@/server/services/scheduler";
import {
  type BaseMode,
  effectiveTarget,
  type HeatingMode,
  type ProgrammeBlock,
  type RoomHeating,
  TARGET_BOUNDS_C,
  TARGET_STEP_C,
  withTarget,
} from "@/server/domain/heating";
import { monthStartMs, nextMonthMs } from "@/server/domain/telemetry-months";
import { lockChargesOf } from "@/server/services/billing";
import { ensureTelemetryPartitions, forgetTelemetryPartitions } from "@/server/services/telemetry-partitions";
import { PROTOCOL_VERSION, type Assignment, type RefusedReading, type Report, type ReportResponse } from "./protocol";

type Cancellation = ReportResponse["cancellations"][number];

/**
 * A report the platform refuses as a whole; nothing of it was written. `field` names the part
 * of the report at fault, in the same dotted form as validation issues ("radiators.3.serial").
 */
export class ReportRejectedError extends Error {
  constructor(
    readonly status: 400 | 403,
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "ReportRejectedError";
  }
}

/** Readings stamped further ahead of the server's clock are refused: they would freeze metering. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
/** Refusals listed in one answer; a report can carry 100,000 readings, and a gateway needs a sample, not all. */
const MAX_REFUSALS_LISTED = 1000;
/** lastSeenAt is for people; rewriting it once a minute is enough. */
const LAST_SEEN_RESOLUTION_S = 60;
/** First key of the two-key advisory lock, so our per-gateway locks share no space with others'. */
const GATEWAY_LOCK_NAMESPACE = 0x6877_0001;

const ACTIVE_ATTEMPT_STATES = new Set(["dispatched", "running"]);

const epochMs = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

type GatewayRadiator = {
  id: string;
  serial: string;
  roomId: string;
  /** The room's heating as the resident set it, with its site's zone; null: the platform sends no target. */
  heating: HeatingJson | null;
  installedOn: string;
  maxPowerW: number;
  /** Its hardware's cores: the ledger's machine time is core-seconds ÷ cores. */
  cores: number;
  /** The target this answer sends (effectiveTarget now), set once the report is checked. */
  targetC: number | null;
};
type HeatingJson = {
  mode: HeatingMode;
  comfortC: number;
  ecoC: number;
  programme: ProgrammeBlock[];
  boostUntilMs: number | null;
  modeBeforeBoost: BaseMode | null;
  overrideTargetC: number | null;
  overrideUntilMs: number | null;
  timeZone: string;
  /** As stored, to write a thermostat's change only over the state it was computed from. */
  updatedAt: string;
};
type AttemptRow = { id: number; instanceId: number; radiatorId: string; state: string };
type StateRow = {
  radiatorId: string;
  lastReadingMs: number | null;
  roomTempC: number | null;
  setpointC: number | null;
  powerW: number | null;
  energyCounterWh: number | null;
  coresActive: number;
  coresWanted: number;
  containerRuntime: boolean;
  targetSentC: number | null;
  targetSentMs: number | null;
  targetAppliedMs: number | null;
};
type Activity = { id: number; radiatorId: string; from: Date; to: Date | null; cores: number };
type Reading = Report["radiators"][number]["readings"][number];
type ParsedReading = Reading & { atMs: number };
type Reported = { radiatorId: string; entry: Report["radiators"][number] };

/**
 * Processes one gateway report and returns the answer: work to run, cancellations and setpoints.
 * One transaction; a gateway's reports run one at a time (advisory lock), and a report whose seq
 * was already processed gets the stored answer and changes nothing.
 *
 * Round trips are few on purpose (a report carries ~1,000 readings and gateways report every
 * minute): one read of everything the report needs, one statement that writes all telemetry and
 * metering, then the scheduler's calls for the answer.
 */
export async function handleReport(db: Db, gatewayId: string, report: Report, now: Date): Promise<ReportResponse> {
  const readings = parseReadings(report, now);
  // Before the report's transaction: making a month's partition locks the table briefly.
  if (readings.count > 0) await ensureTelemetryPartitions(db, readingMonths(readings));
  try {
    return await processReport(db, gatewayId, report, readings, now);
  } catch (error) {
    // Another process's retention dropped a month this one had cached: learn again, once, and
    // process the report again from the start (the failed attempt left nothing behind).
    if (!isMissingPartition(error)) throw error;
    forgetTelemetryPartitions();
    const again = parseReadings(report, now);
    await ensureTelemetryPartitions(db, readingMonths(again));
    return processReport(db, gatewayId, report, again, now);
  }
}

/** The UTC months the readings fall in (each radiator's list is in time order). */
function readingMonths(readings: ReturnType<typeof parseReadings>): number[] {
  const months = new Set<number>();
  let start = Infinity;
  let end = -Infinity;
  for (const list of readings.bySerial.values()) {
    for (const r of list) {
      if (r.atMs >= start && r.atMs < end) continue;
      start = monthStartMs(r.atMs);
      end = nextMonthMs(start);
      months.add(start);
    }
  }
  return [...months];
}

/** PostgreSQL's refusal of a row no partition takes, as it comes or wrapped by drizzle (its cause). */
function isMissingPartition(error: unknown): boolean {
  for (let e = error as { code?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23514" && /no partition of relation/.test(e.message ?? "")) return true;
  }
  return false;
}

async function processReport(db: Db, gatewayId: string, report: Report, readings: ReturnType<typeof parseReadings>, now: Date): Promise<ReportResponse> {
  return db.transaction(async (tx) => {
    // Generic plans up to the writes (the report's read and writes, and the by-key updates of its
    // events): their shape never changes, and planning each afresh for its parameters cost more
    // than running it. The writes restore the setting before the dispatcher's statements.
    const [locked] = await tx.execute<{ planCacheMode: string }>(sql`
      with previous as materialized (select current_setting('plan_cache_mode') as mode)
      select mode as "planCacheMode", set_config('plan_cache_mode', 'force_generic_plan', true),
        pg_advisory_xact_lock(${GATEWAY_LOCK_NAMESPACE}::int, hashtext(${gatewayId}))
      from previous`);
    const planCacheMode = locked!.planCacheMode;
    const loaded = await load(tx, gatewayId, report, readings);
    if (loaded.done) return loaded.done;

    // Everything is checked before anything is written: a refused report leaves no trace.
    const bySerial = new Map(loaded.radiators.map((r) => [r.serial, r]));
    const reported: Reported[] = report.radiators.map((entry, i) => {
      const radiator = bySerial.get(entry.serial);
      if (!radiator) {
        throw new ReportRejectedError(403, `radiator ${entry.serial} is not driven by this gateway`, `radiators.${i}.serial`);
      }
      return { radiatorId: radiator.id, entry };
    });
    const radiatorIds = new Set(loaded.radiators.map((r) => r.id));
    report.events.forEach((event, i) => {
      const attempt = loaded.attempts.get(event.attemptId);
      // Unknown and foreign attempts get the same answer: a gateway learns nothing about others.
      if (!attempt || !radiatorIds.has(attempt.radiatorId)) {
        throw new ReportRejectedError(403, `attempt ${event.attemptId} does not run on this gateway's radiators`, `events.${i}.attemptId`);
      }
    });
    refuseBeforeInstallation(report, readings, bySerial, now);
    const heating = heatingOfReport(reported, readings, loaded, now.getTime());

    // Events first, so that metering sees the start and end times this report brings; then the
    // started attempts a radiator no longer lists have vanished with a reboot.
    const eventsChanged = await applyEvents(tx, report, loaded.attempts);
    const vanished = loaded.anyActive ? await loseVanished(tx, report, reported, loaded.states, now) : 0;
    const attemptsChanged = eventsChanged || vanished > 0;
    const activity = attemptsChanged && readings.count > 0 ? await loadActivity(tx, gatewayId, report, readings) : loaded.activity;
    const stale = staleAttempts(reported, loaded.attempts);

    // With nothing queued and nothing running on its radiators, the answer is known before the
    // writes, so the report's record goes with them, one round trip fewer for an idle fleet.
    const quiet = !loaded.anyQueued && !loaded.anyActive;
    const early = quiet ? responseFor(report.seq, loaded.radiators, [], stale, readings.refused, now) : null;
    const record = (response: ReportResponse) =>
      sql`insert into gateway_reports (gateway_id, seq, received_at, response)
        values (${gatewayId}, ${report.seq}, ${now.toISOString()}, ${jsonb(response)})`;
    await writeTelemetry(tx, gatewayId, reported, readings, loaded.states, activity, bySerial, heating, now, {
      alsoRun: early && record(early),
      gatewayMeter: gatewayMeterHour(report, loaded.gatewayMeter, now),
      planCacheMode,
    });
    if (early) return early;

    const response = await answer(tx, report.seq, loaded, stale, readings.refused, now);
    await tx.execute(record(response));
    return response;
  });
}

/**
 * Each radiator's readings in time order, one per instant (a repeated instant: the first counts),
 * keyed by serial, and the report's earliest and latest reading. Readings whose time cannot be
 * stored or is ahead of the server's clock are refused here, one by one (the rest of the report
 * lands); those before their radiator's installation once the radiators are loaded.
 */
function parseReadings(report: Report, now: Date) {
  const bySerial = new Map<string, ParsedReading[]>();
  const refused: RefusedReading[] = [];
  const window = { earliestMs: -Infinity, latestMs: now.getTime() + MAX_CLOCK_AHEAD_MS };
  let minMs = Infinity;
  let maxMs = -Infinity;
  let count = 0;
  report.radiators.forEach((entry, i) => {
    let list: ParsedReading[] = [];
    entry.readings.forEach((r, j) => {
      const atMs = Date.parse(r.at);
      const refusal = readingRefusal(atMs, window);
      if (refusal !== null) {
        refused.push(refusedReading(entry.serial, r.at, i, j, refusal, refusalMessage(refusal, { now })));
        return;
      }
      list.push({
        at: r.at,
        roomTempC: r.roomTempC,
        setpointC: r.setpointC,
        powerW: r.powerW,
        energyCounterWh: r.energyCounterWh,
        coresActive: r.coresActive,
        coresWanted: r.coresWanted,
        atMs,
      });
    });
    list = inTimeOrder(list);
    count += list.length;
    if (list.length > 0) {
      minMs = Math.min(minMs, list[0]!.atMs);
      maxMs = Math.max(maxMs, list[list.length - 1]!.atMs);
    }
    bySerial.set(entry.serial, list);
  });
  return { bySerial, minMs, maxMs, count, refused };
}

/** Sorted by time, one reading per instant: of equal instants, the first sent stays. */
function inTimeOrder(list: ParsedReading[]): ParsedReading[] {
  let sorted = true;
  for (let i = 1; i < list.length; i++) if (list[i]!.atMs <= list[i - 1]!.atMs) sorted = false;
  if (sorted) return list;
  list.sort((a, b) => a.atMs - b.atMs); // stable
  let kept = 0;
  for (const r of list) if (kept === 0 || r.atMs !== list[kept - 1]!.atMs) list[kept++] = r;
  list.length = kept;
  return list;
}

function refusalMessage(reason: ReadingRefusalReason, context: { now: Date; installedOn?: string }): string {
  switch (reason) {
    case "invalid_time":
      return "not a time the platform can store (years 0001 to 9999, UTC); set the gateway's clock (NTP)";
    case "before_installation":
      return `taken before the radiator was installed (on ${context.installedOn}); set the gateway's clock (NTP)`;
    case "ahead_of_clock":
      return `more than ${MAX_CLOCK_AHEAD_MS / 60_000} minutes ahead of the server's clock (${context.now.toISOString()}); set the gateway's clock (NTP)`;
  }
}

function refusedReading(
  serial: string,
  at: string,
  radiatorIndex: number,
  readingIndex: number,
  reason: ReadingRefusalReason,
  message: string,
): RefusedReading {
  return { radiatorSerial: serial, at, field: `radiators.${radiatorIndex}.readings.${readingIndex}.at`, reason, message };
}

/**
 * Readings from before their radiator was installed are refused (its installation date is known
 * only once the radiators are loaded). Usually none: only a radiator whose earliest reading is
 * too early is looked at again.
 */
function refuseBeforeInstallation(report: Report, readings: Readings, bySerial: Map<string, GatewayRadiator>, now: Date) {
  const window = { earliestMs: 0, latestMs: Infinity };
  let refusedAny = false;
  report.radiators.forEach((entry, i) => {
    const list = readings.bySerial.get(entry.serial);
    if (!list || list.length === 0) return;
    const radiator = bySerial.get(entry.serial)!;
    window.earliestMs = earliestReadingMs(radiator.installedOn);
    if (list[0]!.atMs >= window.earliestMs) return;
    refusedAny = true;
    readings.bySerial.set(entry.serial, list.filter((r) => r.atMs >= window.earliestMs));
    entry.readings.forEach((r, j) => {
      const atMs = Date.parse(r.at);
      if (readingRefusal(atMs, window) === "before_installation") {
        const message = refusalMessage("before_installation", { now, installedOn: radiator.installedOn });
        readings.refused.push(refusedReading(entry.serial, r.at, i, j, "before_installation", message));
      }
    });
  });
  if (!refusedAny) return;
  // In report order, as the refusals of the first pass are.
  readings.refused.sort((a, b) => compareFields(a.field, b.field));
  let count = 0;
  for (const list of readings.bySerial.values()) count += list.length;
  readings.count = count;
}

/** "radiators.I.readings.J.at" by I, then J. */
function compareFields(a: string, b: string): number {
  const [, ai, aj] = a.split(".");
  const [, bi, bj] = b.split(".");
  return Number(ai) - Number(bi) || Number(aj) - Number(bj);
}
type Readings = ReturnType<typeof parseReadings>;

/**
 * Attempts (any state) on the reported radiators that overlap what this report meters: from each
 * radiator's last reading (or the report's first) to the report's last reading.
 */
function activitySql(gatewayId: string, report: Report, readings: Readings) {
  if (readings.count === 0) return sql`'[]'::json`;
  return sql`(
    select coalesce(json_agg(json_build_object('id', a.id, 'radiatorId', a.radiator_id, 'cores', a.cores_assigned,
      'fromMs', ${epochMs("coalesce(a.started_at, a.dispatched_at)")}, 'toMs', ${epochMs("a.ended_at")}) order by a.id), '[]'::json)
    from radiators r
    left join radiator_states rs on rs.radiator_id = r.id
    join instance_attempts a on a.radiator_id = r.id
    where r.gateway_id = ${gatewayId}
      and r.serial in (select jsonb_array_elements_text(${jsonb(report.radiators.map((x) => x.serial))}))
      and coalesce(a.started_at, a.dispatched_at) < ${new Date(readings.maxMs).toISOString()}
      and (a.ended_at is null or a.ended_at > coalesce(rs.last_reading_at, ${new Date(readings.minMs).toISOString()})))`;
}

type ActivityJson = { id: number; radiatorId: string; cores: number; fromMs: number; toMs: number | null };
const toActivity = (rows: ActivityJson[]): Activity[] =>
  rows.map((a) => ({ id: a.id, radiatorId: a.radiatorId, cores: a.cores, from: new Date(a.fromMs), to: a.toMs === null ? null : new Date(a.toMs) }));

/** Everything the report needs, in one round trip. */
async function load(tx: Tx, gatewayId: string, report: Report, readings: Readings) {
  const serials = jsonb(report.radiators.map((r) => r.serial));
  // The attempts events name, and those the radiators say they run.
  const attemptIds = jsonb([...new Set([...report.events.map((e) => e.attemptId), ...report.radiators.flatMap((r) => r.runningAttemptIds ?? [])])]);
  const [row] = await tx.execute<{
    done: ReportResponse | null;
    radiators: GatewayRadiator[];
    states: StateRow[];
    attempts: AttemptRow[];
    activity: ActivityJson[];
    anyQueued: boolean;
    anyActive: boolean;
    gatewayMeter: { atMs: number; energyCounterWh: number } | null;
  }>(sql`
    select
      (select response from gateway_reports where gateway_id = ${gatewayId} and seq = ${report.seq}) as done,
      -- Whether the answer needs the dispatcher, and the list of active attempts, at all.
      exists (select 1 from instances where state = 'queued') as "anyQueued",
      exists (select 1 from radiators r join instance_attempts a on a.radiator_id = r.id
        where r.gateway_id = ${gatewayId} and a.state in ('dispatched', 'running')) as "anyActive",
      -- The room looked up by its key for each radiator, rather than scanning all rooms of a large fleet.
      -- With what readings are checked against: the installation date and the hardware's power.
      (select coalesce(json_agg(json_build_object('id', r.id, 'serial', r.serial,
          'roomId', r.room_id, 'heating', (select json_build_object('mode', h.mode, 'comfortC', h.comfort_c, 'ecoC', h.eco_c,
            'programme', h.programme, 'boostUntilMs', ${epochMs("h.boost_until")}, 'modeBeforeBoost', h.mode_before_boost,
            'overrideTargetC', h.override_target_c, 'overrideUntilMs', ${epochMs("h.override_until")}, 'updatedAt', h.updated_at,
            'timeZone', (select s.time_zone from rooms ro join buildings b on b.id = ro.building_id join sites s on s.id = b.site_id
              where ro.id = r.room_id))
            from room_heating h where h.room_id = r.room_id), 'installedOn', r.installed_on,
          'maxPowerW', hw.max_power_w, 'cores', hw.cores) order by r.serial), '[]'::json)
        from radiators r join hardware_models hw on hw.id = r.hardware_model_id where r.gateway_id = ${gatewayId}) as radiators,
      (select coalesce(json_agg(json_build_object('radiatorId', rs.radiator_id, 'lastReadingMs', ${epochMs("rs.last_reading_at")},
          'roomTempC', rs.room_temp_c, 'setpointC', rs.setpoint_c, 'powerW', rs.power_w, 'energyCounterWh', rs.energy_counter_wh,
          'coresActive', rs.cores_active, 'coresWanted', rs.cores_wanted, 'containerRuntime', rs.container_runtime,
          'targetSentC', rs.target_sent_c, 'targetSentMs', ${epochMs("rs.target_sent_at")},
          'targetAppliedMs', ${epochMs("rs.target_applied_at")})), '[]'::json)
        -- Locked now, in id order: the scheduler's order too (radiator_states before attempts and
        -- instances), so a report and a reclaim of silent radiators cannot deadlock.
        from (select rs.* from radiators r join radiator_states rs on rs.radiator_id = r.id
          where r.gateway_id = ${gatewayId} and r.serial in (select jsonb_array_elements_text(${serials}))
          order by rs.radiator_id for update of rs) rs) as states,
      (select coalesce(json_agg(json_build_object('id', a.id, 'instanceId', a.instance_id, 'radiatorId', a.radiator_id, 'state', a.state)), '[]'::json)
        from instance_attempts a where a.id in (select value::bigint from jsonb_array_elements_text(${attemptIds}))) as attempts,
      ${activitySql(gatewayId, report, readings)} as activity,
      -- The gateway's own meter as last accounted for, when this report brings a reading of it.
      ${
        report.gatewayEnergyCounterWh === undefined
          ? sql`null::json`
          : sql`(select json_build_object('atMs', ${epochMs("g.last_reading_at")}, 'energyCounterWh', g.last_counter_wh)
        from gateway_hourly g where g.gateway_id = ${gatewayId} order by g.hour_start desc limit 1)`
      } as "gatewayMeter"`);
  return {
    done: row!.done,
    radiators: row!.radiators,
    states: new Map(row!.states.map((s) => [s.radiatorId, s])),
    attempts: new Map(row!.attempts.map((a) => [Number(a.id), { ...a, id: Number(a.id), instanceId: Number(a.instanceId) }])),
    activity: toActivity(row!.activity),
    anyQueued: row!.anyQueued,
    anyActive: row!.anyActive,
    gatewayMeter: row!.gatewayMeter,
  };
}
type Loaded = Awaited<ReturnType<typeof load>>;

async function loadActivity(tx: Tx, gatewayId: string, report: Report, readings: Readings): Promise<Activity[]> {
  const [row] = await tx.execute<{ activity: ActivityJson[] }>(sql`select ${activitySql(gatewayId, report, readings)} as activity`);
  return toActivity(row!.activity);
}

/** Started attempts missing from their radiator's `runningAttemptIds` are lost (see loseVanishedAttempts). */
function loseVanished(tx: Tx, report: Report, reported: Reported[], states: Map<string, StateRow>, now: Date) {
  const radiators = reported
    .filter(({ entry }) => entry.runningAttemptIds !== undefined)
    .map(({ radiatorId, entry }) => {
      const lastReadingMs = states.get(radiatorId)?.lastReadingMs ?? null;
      return { radiatorId, keep: entry.runningAttemptIds!, lastReadingAt: lastReadingMs === null ? null : new Date(lastReadingMs) };
    });
  return loseVanishedAttempts(tx, { radiators, listedAt: new Date(report.sentAt), now });
}

/**
 * Instance events, in the order sent. Events about an attempt that has ended (before this report,
 * or by an earlier exit event in it) are ignored: the attempt was lost and re-run elsewhere, or
 * the gateway repeats itself. Returns whether an attempt started or ended.
 */
async function applyEvents(tx: Tx, report: Report, attempts: Map<number, AttemptRow>): Promise<boolean> {
  let changed = false;
  let logs: Array<{ instance_id: number; attempt_id: number; stream: string; chunk_seq: number; content: string }> = [];
  let progress = new Map<number, number>();
  let starts: Array<{ attemptId: number; startedAt: Date }> = [];
  // The attempts this report ends are charged, each under its organization's lock (billing):
  // taken here, all in one order, while the report holds only its radiators' rows, so that two
  // reports ending work of the same customers cannot deadlock.
  await lockChargesOf(
    tx,
    report.events.filter((e) => e.type === "exit" && ACTIVE_ATTEMPT_STATES.has(attempts.get(e.attemptId)!.state)).map((e) => e.attemptId),
  );
  // Starts, logs and progress are batched; an exit flushes them first so the order holds.
  const flush = async () => {
    if (starts.length > 0) {
      await markAttemptsRunning(tx, starts);
      starts = [];
    }
    if (logs.length > 0) {
      await tx.execute(sql`
        insert into instance_logs (instance_id, attempt_id, stream, chunk_seq, content)
        select v.instance_id, v.attempt_id, v.stream::log_stream, v.chunk_seq, v.content
        from jsonb_to_recordset(${jsonb(logs)}) as v(instance_id bigint, attempt_id bigint, stream text, chunk_seq int, content text)
        on conflict (attempt_id, stream, chunk_seq) do nothing`);
      logs = [];
    }
    if (progress.size > 0) {
      await tx.execute(sql`
        update instances i set progress_pct = v.pct
        from jsonb_to_recordset(${jsonb([...progress].map(([id, pct]) => ({ id, pct })))}) as v(id bigint, pct real)
        where i.id = v.id and i.state in ('dispatched', 'running')`);
      progress = new Map();
    }
  };

  for (const event of report.events) {
    const attempt = attempts.get(event.attemptId)!;
    if (!ACTIVE_ATTEMPT_STATES.has(attempt.state)) continue;
    switch (event.type) {
      case "started":
        if (attempt.state !== "dispatched") break;
        starts.push({ attemptId: attempt.id, startedAt: new Date(event.at) });
        attempt.state = "running";
        changed = true;
        break;
      case "progress":
        progress.set(attempt.instanceId, event.progressPct);
        break;
      case "log":
        logs.push({
          instance_id: attempt.instanceId,
          attempt_id: attempt.id,
          stream: event.stream,
          chunk_seq: event.chunkSeq,
          content: event.content,
        });
        break;
      case "output": {
        const content = Buffer.from(event.contentBase64, "base64");
        await tx
          .insert(instanceOutputs)
          .values({
            instanceId: attempt.instanceId,
            attemptId: attempt.id,
            name: event.name,
            contentType: event.contentType,
            content,
            sizeBytes: content.length,
            // When the radiator wrote it, on the clock its exit is stamped with: an output never postdates its attempt.
            createdAt: new Date(event.at),
          })
          .onConflictDoNothing();
        break;
      }
      case "exit":
        await flush();
        await finishAttempt(tx, {
          attemptId: attempt.id,
          outcome: event.outcome,
          exitCode: event.exitCode,
          endedAt: new Date(event.at),
        });
        attempt.state = event.outcome;
        changed = true;
        break;
    }
  }
  await flush();
  return changed;
}

/** Readings as columns, sent as one array parameter each. */
class ReadingColumns {
  radiatorId: string[] = [];
  at: string[] = [];
  roomTempC: number[] = [];
  setpointC: number[] = [];
  powerW: number[] = [];
  energyCounterWh: number[] = [];
  coresActive: number[] = [];
  coresWanted: number[] = [];

  push(radiatorId: string, r: ParsedReading) {
    this.radiatorId.push(radiatorId);
    // In UTC: an offset PostgreSQL refuses (beyond ±15:59) is still a valid instant, and the
    // platform keeps milliseconds, as the radiator's state and the duplicate check do.
    this.at.push(new Date(r.atMs).toISOString());
    this.roomTempC.push(r.roomTempC);
    this.setpointC.push(r.setpointC);
    this.powerW.push(r.powerW);
    this.energyCounterWh.push(r.energyCounterWh);
    this.coresActive.push(r.coresActive);
    this.coresWanted.push(r.coresWanted);
  }

  /** The rows as a set, in telemetry_readings' column order. */
  unnest() {
    return sql`unnest(${pgArray(this.radiatorId)}::uuid[], ${pgArray(this.at)}::timestamptz[],
        ${pgArray(this.roomTempC)}::real[], ${pgArray(this.setpointC)}::real[], ${pgArray(this.powerW)}::int[],
        ${pgArray(this.energyCounterWh)}::bigint[], ${pgArray(this.coresActive)}::smallint[],
        ${pgArray(this.coresWanted)}::smallint[])`;
  }
}

/** Counter deltas held apart (see meterReading), as columns. */
class AnomalyColumns {
  radiatorId: string[] = [];
  periodStart: string[] = [];
  periodEnd: string[] = [];
  counterBeforeWh: number[] = [];
  counterAfterWh: number[] = [];
  deltaWh: number[] = [];
  maxPlausibleWh: number[] = [];
  maxPowerW: number[] = [];
  reason: string[] = [];

  push(
    radiatorId: string,
    previous: { atMs: number; energyCounterWh: number },
    reading: ParsedReading,
    maxPowerW: number,
    anomaly: NonNullable<ReturnType<typeof meterReading>["anomaly"]>,
  ) {
    this.radiatorId.push(radiatorId);
    this.periodStart.push(new Date(previous.atMs).toISOString());
    this.periodEnd.push(new Date(reading.atMs).toISOString());
    this.counterBeforeWh.push(previous.energyCounterWh);
    this.counterAfterWh.push(reading.energyCounterWh);
    this.deltaWh.push(anomaly.counterDeltaWh);
    this.maxPlausibleWh.push(anomaly.plausibleWh);
    this.maxPowerW.push(maxPowerW);
    this.reason.push(anomaly.reason);
  }

  /** The rows as a set, in meter_anomalies' column order up to reason. */
  unnest() {
    return sql`unnest(${pgArray(this.radiatorId)}::uuid[], ${pgArray(this.periodStart)}::timestamptz[],
        ${pgArray(this.periodEnd)}::timestamptz[], ${pgArray(this.counterBeforeWh)}::bigint[], ${pgArray(this.counterAfterWh)}::bigint[],
        ${pgArray(this.deltaWh)}::bigint[], ${pgArray(this.maxPlausibleWh)}::bigint[], ${pgArray(this.maxPowerW)}::int[],
        ${pgArray(this.reason)}::meter_anomaly_reason[]) as u(radiator_id, period_start, period_end, counter_before_wh,
        counter_after_wh, delta_wh, max_plausible_wh, max_power_w, reason)`;
  }
}

/** The most a gateway's own meter may plausibly count: a gateway draws a few watts; this allows for a modem and a switch. */
export const GATEWAY_MAX_POWER_W = 60;

type GatewayMeterHour = { hourStartMs: number; atMs: number; counterWh: number; energyWh: number; restarted: boolean };

/**
 * The gateway's own meter reading of this report (at sentAt), metered against its last one as a
 * radiator's is (a restart at 0 counts what the counter reached since; more than the hardware
 * can draw meters nothing). Null when the report has none, or one no newer than the last.
 */
function gatewayMeterHour(report: Report, previous: { atMs: number; energyCounterWh: number } | null, now: Date): GatewayMeterHour | null {
  const counterWh = report.gatewayEnergyCounterWh;
  if (counterWh === undefined) return null;
  const atMs = Date.parse(report.sentAt);
  if (atMs > now.getTime() + MAX_CLOCK_AHEAD_MS || (previous !== null && atMs <= previous.atMs)) return null;
  const metered = previous === null ? null : meterReading(previous, { atMs, energyCounterWh: counterWh, coresActive: 0 }, [], GATEWAY_MAX_POWER_W);
  return {
    hourStartMs: hourStartMs(atMs),
    atMs,
    counterWh,
    energyWh: metered?.deltaWh ?? 0,
    restarted: previous !== null && counterWh < previous.energyCounterWh,
  };
}

/** One radiator-hour's share of a report, added to its telemetry_hourly row. */
class HourSums {
  count = 0;
  roomTempSumC = 0;
  setpointSumC = 0;
  powerSumW = 0;
  maxPowerW = 0;
  coresActiveSum = 0;
  coresWantedSum = 0;
  energyWh = 0;
  idleWh = 0;
  idleCoreSeconds = 0;
  /** The counter at the hour's first and last metered reading, and its restarts at 0 in between. */
  firstCounterWh: number | null = null;
  lastCounterWh: number | null = null;
  restarts = 0;

  constructor(
    readonly radiatorId: string,
    readonly hourMs: number,
  ) {}

  add(r: Reading) {
    this.count += 1;
    this.firstCounterWh ??= r.energyCounterWh;
    this.lastCounterWh = r.energyCounterWh;
    this.roomTempSumC += r.roomTempC;
    this.setpointSumC += r.setpointC;
    this.powerSumW += r.powerW;
    this.maxPowerW = Math.max(this.maxPowerW, r.powerW);
    this.coresActiveSum += r.coresActive;
    this.coresWantedSum += r.coresWanted;
  }
}

const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** Setpoints travel as float4 in the database and as JSON numbers on the wire: equal within a hundredth. */
const sameC = (a: number, b: number) => Math.abs(a - b) < 0.01;
/**
 * A radiator holds a target when its setpoint is the target once on the platform's step: a
 * thermostat with a finer dial (20.2 °C for 20) is not making a change the room could take.
 */
const holds = (setpointC: number, targetC: number) => sameC(asTarget(setpointC), targetC);

function heatingStateOf(h: HeatingJson): RoomHeating {
  return {
    mode: h.mode,
    comfortC: h.comfortC,
    ecoC: h.ecoC,
    programme: h.programme,
    boostUntilMs: h.boostUntilMs,
    modeBeforeBoost: h.modeBeforeBoost,
    override: h.overrideTargetC === null ? null : { targetC: h.overrideTargetC, untilMs: h.overrideUntilMs },
  };
}

/** A setpoint a radiator's own thermostat took, as a target the platform may send: on the step, within bounds. */
function asTarget(setpointC: number): number {
  const stepped = Math.round(setpointC / TARGET_STEP_C) * TARGET_STEP_C;
  return Math.min(TARGET_BOUNDS_C.max, Math.max(TARGET_BOUNDS_C.min, stepped));
}

type TargetState = { sentC: number | null; sentMs: number | null; appliedMs: number | null };
type RoomChange = {
  row: {
    room_id: string;
    loaded_updated_at: string;
    mode: string;
    comfort_c: number;
    eco_c: number;
    boost_until: string | null;
    mode_before_boost: string | null;
    override_target_c: number | null;
    override_until: string | null;
  };
  details: Record<string, unknown>;
};
type ReportHeating = { targets: Map<string, TargetState>; roomChanges: RoomChange[] };

/**
 * The residents' heating in this report, computed from what load() read (no query of its own):
 *
 * - Each radiator's readings taken after the platform last sent it a target tell whether it
 *   applies it: the first showing that setpoint confirms it (target_applied_at, once). The
 *   newest showing another setpoint is a change made on the radiator's own thermostat: the
 *   room takes it as the resident's (withTarget: an override until the next block in programme
 *   mode, else the mode's temperature), so the latest change wins, wherever it was made. Of
 *   several radiators of a room, the newest change counts.
 * - Then every radiator gets its room's effective target now (in the site's zone), set on the
 *   radiator for the answer; a reported radiator whose target changed records it as sent.
 *   Radiators missing from the report record it when they report.
 */
function heatingOfReport(reported: Reported[], readings: Readings, loaded: Loaded, nowMs: number): ReportHeating {
  const byId = new Map(loaded.radiators.map((r) => [r.id, r]));
  const applied = new Map<string, number>();
  const local = new Map<string, { setpointC: number; atMs: number; serial: string }>();
  for (const { radiatorId, entry } of reported) {
    const radiator = byId.get(radiatorId)!;
    const state = loaded.states.get(radiatorId);
    if (!radiator.heating || state?.targetSentC == null || state.targetSentMs === null) continue;
    const sentC = state.targetSentC;
    const fromMs = Math.max(state.targetSentMs, state.lastReadingMs ?? -Infinity);
    const after = (readings.bySerial.get(entry.serial) ?? []).filter((r) => r.atMs > fromMs);
    if (after.length === 0) continue;
    if (state.targetAppliedMs === null) {
      const first = after.find((r) => holds(r.setpointC, sentC));
      if (first) applied.set(radiatorId, first.atMs);
    }
    const newest = after[after.length - 1]!;
    const previous = local.get(radiator.roomId);
    if (!holds(newest.setpointC, sentC) && (!previous || newest.atMs > previous.atMs)) {
      local.set(radiator.roomId, { setpointC: newest.setpointC, atMs: newest.atMs, serial: entry.serial });
    }
  }

  const roomChanges: RoomChange[] = [];
  for (const [roomId, change] of local) {
    const radiator = loaded.radiators.find((r) => r.roomId === roomId)!;
    const h = radiator.heating!;
    const targetC = asTarget(change.setpointC);
    const next = withTarget(heatingStateOf(h), targetC, nowMs, h.timeZone);
    const json: HeatingJson = {
      ...h,
      mode: next.mode,
      comfortC: next.comfortC,
      ecoC: next.ecoC,
      boostUntilMs: next.boostUntilMs,
      modeBeforeBoost: next.modeBeforeBoost,
      overrideTargetC: next.override?.targetC ?? null,
      overrideUntilMs: next.override?.untilMs ?? null,
    };
    for (const r of loaded.radiators) if (r.roomId === roomId) r.heating = json;
    roomChanges.push({
      row: {
        room_id: roomId,
        loaded_updated_at: h.updatedAt,
        mode: json.mode,
        comfort_c: json.comfortC,
        eco_c: json.ecoC,
        boost_until: isoOf(json.boostUntilMs),
        mode_before_boost: json.modeBeforeBoost,
        override_target_c: json.overrideTargetC,
        override_until: isoOf(json.overrideUntilMs),
      },
      details: { targetC, setpointC: change.setpointC, radiatorSerial: change.serial, readingAt: new Date(change.atMs).toISOString() },
    });
  }

  const byRoom = new Map<string, number | null>();
  for (const r of loaded.radiators) {
    let targetC = byRoom.get(r.roomId);
    if (targetC === undefined) {
      targetC = r.heating ? effectiveTarget(heatingStateOf(r.heating), nowMs, r.heating.timeZone).targetC : null;
      byRoom.set(r.roomId, targetC);
    }
    r.targetC = targetC;
  }

  const targets = new Map<string, TargetState>();
  for (const { radiatorId, entry } of reported) {
    const targetC = byId.get(radiatorId)!.targetC;
    const state = loaded.states.get(radiatorId);
    const sentC = state?.targetSentC ?? null;
    if (targetC === null ? sentC !== null : sentC === null || !sameC(targetC, sentC)) {
      // A radiator already at the new target (its thermostat's own change, taken by the room) applies it now.
      const list = readings.bySerial.get(entry.serial) ?? [];
      const setpointC = list.length > 0 ? list[list.length - 1]!.setpointC : (state?.setpointC ?? null);
      const at = targetC !== null && setpointC !== null && holds(setpointC, targetC) ? nowMs : null;
      targets.set(radiatorId, { sentC: targetC, sentMs: targetC === null ? null : nowMs, appliedMs: at });
    } else if (applied.has(radiatorId)) {
      targets.set(radiatorId, { sentC, sentMs: state!.targetSentMs, appliedMs: applied.get(radiatorId)! });
    }
  }
  return { targets, roomChanges };
}

/**
 * Telemetry and metering, in one statement. Every new reading is stored raw and counted in its
 * hour. Readings newer than the radiator's last one also advance its state and meter: the counter
 * delta since the previous reading is split between the attempts that ran in between (by
 * core-seconds, into the ledger) and idle heat (into the radiator's hour). Older readings (a late
 * report) move nothing: the monotonic counter already carried their energy into the next delta.
 * A delta more than the radiator's hardware can draw in its interval is held apart in
 * meter_anomalies instead: no energy in the hour or the ledger, the core-seconds as usual, and
 * the counter's baseline moves on to it so that the next delta is measured from there.
 */
async function writeTelemetry(
  tx: Tx,
  gatewayId: string,
  reported: Reported[],
  readings: Readings,
  states: Map<string, StateRow>,
  activity: Activity[],
  radiatorsBySerial: Map<string, GatewayRadiator>,
  heating: ReportHeating,
  now: Date,
  after: {
    /** A statement to run with the writes (the report's record, when its answer is already known). */
    alsoRun: SQL | null;
    /** The gateway's own meter reading, when the report brings one to account for. */
    gatewayMeter: GatewayMeterHour | null;
    /** The plan cache mode to restore. */
    planCacheMode: string;
  },
) {
  const activityOf = new Map<string, Activity[]>();
  for (const a of activity) {
    const list = activityOf.get(a.radiatorId);
    if (list) list.push(a);
    else activityOf.set(a.radiatorId, [a]);
  }

  // Readings newer than the radiator's last one cannot be stored yet (only this statement stores
  // readings, and it moves the last one up to the newest), so they go in with a plain insert, and
  // their hours are summed here. Older ones may be stored already (a retry under another seq):
  // they go in with "on conflict do nothing", and only those stored now count in their hour.
  const fresh = new ReadingColumns();
  const late = new ReadingColumns();
  const hours = new Map<string, HourSums>();
  // A report's ledger rows are summed per attempt and hour of the closing reading, as
  // telemetry_hourly is: fewer rows than one per reading, and statements still split exactly at
  // hours. Idle energy goes to the radiator's hour in telemetry_hourly, not to the ledger.
  // With each share, the part the room asked for at the closing reading (see wantedEnergyMwh).
  const allocations = new Map<
    string,
    { radiatorId: string; attemptId: number; startMs: number; endMs: number; coreSeconds: number; energyWh: number; wantedMwh: number; cores: number }
  >();
  const allocate = (radiatorId: string, cores: number, attemptId: number, startMs: number, endMs: number, reading: Reading, hourMs: number, coreSeconds: number, energyWh: number) => {
    const key = `${attemptId}|${hourMs}`;
    const wantedMwh = wantedEnergyMwh(energyWh, reading);
    const row = allocations.get(key);
    if (row) {
      row.endMs = endMs;
      row.coreSeconds += coreSeconds;
      row.energyWh += energyWh;
      row.wantedMwh += wantedMwh;
    } else {
      allocations.set(key, { radiatorId, attemptId, startMs, endMs, coreSeconds, energyWh, wantedMwh, cores });
    }
  };
  // All the energy the report's readings metered, idle heat included: the gateway's own meter is shared by it.
  let meteredWh = 0;
  const attemptTotals = new Map<number, { energyWh: number; coreSeconds: number }>();
  const anomalies = new AnomalyColumns();
  const stateRows: Array<
    Omit<StateRow, "lastReadingMs" | "targetSentMs" | "targetAppliedMs"> & {
      lastReadingAt: string | null;
      targetSentAt: string | null;
      targetAppliedAt: string | null;
    }
  > = [];

  for (const { radiatorId, entry } of reported) {
    const list = readings.bySerial.get(entry.serial) ?? [];
    const state = states.get(radiatorId);
    const lastMs = state?.lastReadingMs ?? null;
    // The last accounted reading, which the next one's delta is taken from.
    let previous: { atMs: number; energyCounterWh: number } | null =
      lastMs !== null && state?.energyCounterWh != null ? { atMs: lastMs, energyCounterWh: state.energyCounterWh } : null;
    const attemptsHere = activityOf.get(radiatorId) ?? [];
    const { maxPowerW, cores } = radiatorsBySerial.get(entry.serial)!;
    let newest: ParsedReading | undefined;
    let hour: HourSums | undefined;
    for (const r of list) {
      if (lastMs !== null && r.atMs <= lastMs) {
        late.push(radiatorId, r); // older than what is accounted for: stored, nothing more
        continue;
      }
      fresh.push(radiatorId, r);
      newest = r;
      // A reading counts in its hour; so does the energy delta it closes (see meterReading).
      const hourMs = hourStartMs(r.atMs);
      if (hour?.hourMs !== hourMs) {
        const key = `${radiatorId}|${hourMs}`;
        hour = hours.get(key);
        if (!hour) hours.set(key, (hour = new HourSums(radiatorId, hourMs)));
      }
      hour.add(r);
      if (previous !== null) {
        const metered = meterReading(previous, r, attemptsHere, maxPowerW);
        if (metered.anomaly !== null) anomalies.push(radiatorId, previous, r, maxPowerW, metered.anomaly);
        for (const a of metered.allocations) {
          allocate(radiatorId, cores, a.attemptId, previous.atMs, r.atMs, r, metered.hourStartMs, a.coreSeconds, a.energyWh);
          const total = attemptTotals.get(a.attemptId) ?? { energyWh: 0, coreSeconds: 0 };
          total.energyWh += a.energyWh;
          total.coreSeconds += a.coreSeconds;
          attemptTotals.set(a.attemptId, total);
        }
        hour.energyWh += metered.deltaWh;
        meteredWh += metered.deltaWh;
        if (r.energyCounterWh < previous.energyCounterWh) hour.restarts += 1;
        hour.idleWh += metered.idleWh;
        hour.idleCoreSeconds += metered.idleCoreSeconds;
      }
      previous = r;
    }

    // Live state: the newest reading, the runtime flag when the gateway sent one, the target sent.
    const target = heating.targets.get(radiatorId);
    if (newest || target || (entry.containerRuntime !== undefined && entry.containerRuntime !== state?.containerRuntime)) {
      stateRows.push({
        radiatorId,
        lastReadingAt: newest ? new Date(newest.atMs).toISOString() : lastMs !== null ? new Date(lastMs).toISOString() : null,
        roomTempC: newest?.roomTempC ?? state?.roomTempC ?? null,
        setpointC: newest?.setpointC ?? state?.setpointC ?? null,
        powerW: newest?.powerW ?? state?.powerW ?? null,
        energyCounterWh: newest?.energyCounterWh ?? state?.energyCounterWh ?? null,
        coresActive: newest?.coresActive ?? state?.coresActive ?? 0,
        coresWanted: newest?.coresWanted ?? state?.coresWanted ?? 0,
        containerRuntime: entry.containerRuntime ?? state?.containerRuntime ?? false,
        targetSentC: target ? target.sentC : (state?.targetSentC ?? null),
        targetSentAt: isoOf(target ? target.sentMs : (state?.targetSentMs ?? null)),
        targetAppliedAt: isoOf(target ? target.appliedMs : (state?.targetAppliedMs ?? null)),
      });
    }
  }

  const hourRows = [...hours.values()];
  const gatewayWh = after.gatewayMeter?.energyWh ?? 0;
  const ledger = [...allocations.values()].map((a) => ({
    ...a,
    gatewayMwh: meteredWh > 0 ? Math.round((gatewayWh * 1000 * a.energyWh) / meteredWh) : 0,
    machineMs: Math.round((a.coreSeconds * 1000) / a.cores),
  }));
  const totals = [...attemptTotals].sort((a, b) => a[0] - b[0]);
  stateRows.sort((a, b) => (a.radiatorId < b.radiatorId ? -1 : 1)); // one lock order for radiator_states
  const nowIso = now.toISOString();
  const seenBefore = new Date(now.getTime() - LAST_SEEN_RESOLUTION_S * 1000).toISOString();

  // Data-modifying CTEs all run, once, whether or not the final select reads them.
  await tx.execute(sql`
    with fresh as (
      insert into telemetry_readings
        (radiator_id, recorded_at, room_temp_c, setpoint_c, power_w, energy_counter_wh, cores_active, cores_wanted)
      select * from ${fresh.unnest()}
    ),
    late as (
      insert into telemetry_readings
        (radiator_id, recorded_at, room_temp_c, setpoint_c, power_w, energy_counter_wh, cores_active, cores_wanted)
      select * from ${late.unnest()}
      on conflict (radiator_id, recorded_at) do nothing
      returning radiator_id, recorded_at, room_temp_c, setpoint_c, power_w, cores_active, cores_wanted
    ),
    hours as (
      select * from unnest(${pgArray(hourRows.map((h) => h.radiatorId))}::uuid[],
        ${pgArray(hourRows.map((h) => new Date(h.hourMs).toISOString()))}::timestamptz[],
        ${pgArray(hourRows.map((h) => h.count))}::bigint[], ${pgArray(hourRows.map((h) => h.roomTempSumC))}::float8[],
        ${pgArray(hourRows.map((h) => h.setpointSumC))}::float8[], ${pgArray(hourRows.map((h) => h.powerSumW))}::bigint[],
        ${pgArray(hourRows.map((h) => h.maxPowerW))}::int[], ${pgArray(hourRows.map((h) => h.coresActiveSum))}::bigint[],
        ${pgArray(hourRows.map((h) => h.coresWantedSum))}::bigint[], ${pgArray(hourRows.map((h) => h.energyWh))}::bigint[],
        ${pgArray(hourRows.map((h) => h.idleWh))}::bigint[], ${pgArray(hourRows.map((h) => h.idleCoreSeconds))}::bigint[],
        ${pgArray(hourRows.map((h) => h.firstCounterWh))}::bigint[], ${pgArray(hourRows.map((h) => h.lastCounterWh))}::bigint[],
        ${pgArray(hourRows.map((h) => h.restarts))}::int[])
        as h(radiator_id, hour_start, n, temp, setpoint, power, max_power, active, wanted, energy_wh, idle_energy_wh, idle_core_seconds,
          first_counter_wh, last_counter_wh, restarts)
      union all
      -- Late readings are stored and counted, but meter nothing: no counter of theirs either.
      select radiator_id, date_trunc('hour', recorded_at, 'UTC'), count(*), sum(room_temp_c), sum(setpoint_c), sum(power_w),
        max(power_w), sum(cores_active), sum(cores_wanted), 0, 0, 0, null::bigint, null::bigint, 0
      from late group by 1, 2
    ),
    hourly as (
      insert into telemetry_hourly (radiator_id, hour_start, reading_count, room_temp_sum_c, setpoint_sum_c, power_sum_w,
        max_power_w, cores_active_sum, cores_wanted_sum, energy_wh, idle_energy_wh, idle_core_seconds, first_counter_wh,
        last_counter_wh, counter_restarts)
      select radiator_id, hour_start, sum(n), sum(temp), sum(setpoint), sum(power), max(max_power), sum(active), sum(wanted),
        sum(energy_wh), sum(idle_energy_wh), sum(idle_core_seconds), max(first_counter_wh), max(last_counter_wh), sum(restarts)
      from hours group by 1, 2
      order by 1, 2
      on conflict (radiator_id, hour_start) do update set
        reading_count = telemetry_hourly.reading_count + excluded.reading_count,
        room_temp_sum_c = telemetry_hourly.room_temp_sum_c + excluded.room_temp_sum_c,
        setpoint_sum_c = telemetry_hourly.setpoint_sum_c + excluded.setpoint_sum_c,
        power_sum_w = telemetry_hourly.power_sum_w + excluded.power_sum_w,
        max_power_w = greatest(telemetry_hourly.max_power_w, excluded.max_power_w),
        cores_active_sum = telemetry_hourly.cores_active_sum + excluded.cores_active_sum,
        cores_wanted_sum = telemetry_hourly.cores_wanted_sum + excluded.cores_wanted_sum,
        energy_wh = telemetry_hourly.energy_wh + excluded.energy_wh,
        idle_energy_wh = telemetry_hourly.idle_energy_wh + excluded.idle_energy_wh,
        idle_core_seconds = telemetry_hourly.idle_core_seconds + excluded.idle_core_seconds,
        -- Metered readings come in time order: an hour already begun keeps its first counter.
        first_counter_wh = coalesce(telemetry_hourly.first_counter_wh, excluded.first_counter_wh),
        last_counter_wh = coalesce(excluded.last_counter_wh, telemetry_hourly.last_counter_wh),
        counter_restarts = telemetry_hourly.counter_restarts + excluded.counter_restarts,
        rolled_up = false
    ),
    ledger as (
      insert into energy_allocations (radiator_id, period_start, period_end, attempt_id, core_seconds, energy_wh, wanted_energy_mwh,
        gateway_energy_mwh, machine_ms, organization_id, site_id)
      select u.*, (select i.organization_id from instance_attempts a join instances i on i.id = a.instance_id where a.id = u.attempt_id),
        (select b.site_id from gateways g join buildings b on b.id = g.building_id where g.id = ${gatewayId})
      from unnest(${pgArray(ledger.map((a) => a.radiatorId))}::uuid[],
        ${pgArray(ledger.map((a) => new Date(a.startMs).toISOString()))}::timestamptz[],
        ${pgArray(ledger.map((a) => new Date(a.endMs).toISOString()))}::timestamptz[], ${pgArray(ledger.map((a) => a.attemptId))}::bigint[],
        ${pgArray(ledger.map((a) => a.coreSeconds))}::bigint[], ${pgArray(ledger.map((a) => a.energyWh))}::bigint[],
        ${pgArray(ledger.map((a) => a.wantedMwh))}::bigint[], ${pgArray(ledger.map((a) => a.gatewayMwh))}::bigint[],
        ${pgArray(ledger.map((a) => a.machineMs))}::bigint[])
        as u(radiator_id, period_start, period_end, attempt_id, core_seconds, energy_wh, wanted_energy_mwh, gateway_energy_mwh, machine_ms)
    ),
    attempt_totals as (
      update instance_attempts a set energy_wh = a.energy_wh + t.energy_wh, core_seconds = a.core_seconds + t.core_seconds
      from unnest(${pgArray(totals.map(([id]) => id))}::bigint[], ${pgArray(totals.map(([, t]) => t.energyWh))}::bigint[],
        ${pgArray(totals.map(([, t]) => t.coreSeconds))}::bigint[]) as t(id, energy_wh, core_seconds)
      where a.id = t.id
    ),
    -- Only the reported columns: cores_assigned and the current customer belong to the scheduler.
    states as (
      insert into radiator_states (radiator_id, last_reading_at, room_temp_c, setpoint_c, power_w, energy_counter_wh,
        cores_active, cores_wanted, container_runtime, target_sent_c, target_sent_at, target_applied_at)
      select * from unnest(${pgArray(stateRows.map((s) => s.radiatorId))}::uuid[],
        ${pgArray(stateRows.map((s) => s.lastReadingAt))}::timestamptz[], ${pgArray(stateRows.map((s) => s.roomTempC))}::real[],
        ${pgArray(stateRows.map((s) => s.setpointC))}::real[], ${pgArray(stateRows.map((s) => s.powerW))}::int[],
        ${pgArray(stateRows.map((s) => s.energyCounterWh))}::bigint[], ${pgArray(stateRows.map((s) => s.coresActive))}::smallint[],
        ${pgArray(stateRows.map((s) => s.coresWanted))}::smallint[],
        ${pgArray(stateRows.map((s) => String(s.containerRuntime)))}::boolean[],
        ${pgArray(stateRows.map((s) => s.targetSentC))}::real[], ${pgArray(stateRows.map((s) => s.targetSentAt))}::timestamptz[],
        ${pgArray(stateRows.map((s) => s.targetAppliedAt))}::timestamptz[])
      on conflict (radiator_id) do update set
        last_reading_at = excluded.last_reading_at, room_temp_c = excluded.room_temp_c, setpoint_c = excluded.setpoint_c,
        power_w = excluded.power_w, energy_counter_wh = excluded.energy_counter_wh, cores_active = excluded.cores_active,
        cores_wanted = excluded.cores_wanted, container_runtime = excluded.container_runtime,
        target_sent_c = excluded.target_sent_c, target_sent_at = excluded.target_sent_at, target_applied_at = excluded.target_applied_at
    ),
    -- A change on a radiator's own thermostat becomes the room's (unless the resident changed it meanwhile), and is logged.
    heating_set as (
      update room_heating h set mode = v.mode::heating_mode, comfort_c = v.comfort_c, eco_c = v.eco_c, boost_until = v.boost_until,
        mode_before_boost = v.mode_before_boost::heating_mode, override_target_c = v.override_target_c,
        override_until = v.override_until, updated_at = ${nowIso}, updated_by_user_id = null
      from jsonb_to_recordset(${jsonb(heating.roomChanges.map((c) => c.row))}) as v(room_id uuid, loaded_updated_at timestamptz,
        mode text, comfort_c real, eco_c real, boost_until timestamptz, mode_before_boost text, override_target_c real,
        override_until timestamptz)
      where h.room_id = v.room_id and h.updated_at = v.loaded_updated_at
      returning h.room_id
    ),
    heating_log as (
      insert into heating_changes (room_id, at, actor, kind, details)
      select v.room_id, ${nowIso}, 'thermostat', 'target', v.details
      from jsonb_to_recordset(${jsonb(heating.roomChanges.map((c) => ({ room_id: c.row.room_id, details: c.details })))})
        as v(room_id uuid, details jsonb)
      where v.room_id in (select room_id from heating_set)
    ),
    seen as (
      update radiators set last_seen_at = ${nowIso}
      where id = any(${pgArray(reported.map((r) => r.radiatorId))}::uuid[]) and (last_seen_at is null or last_seen_at < ${seenBefore})
    ),
    gateway_seen as (
      update gateways set last_seen_at = ${nowIso}
      where id = ${gatewayId} and (last_seen_at is null or last_seen_at < ${seenBefore})
    ),
    anomalies as (
      insert into meter_anomalies (radiator_id, period_start, period_end, counter_before_wh, counter_after_wh, delta_wh,
        max_plausible_wh, max_power_w, reason, detected_at)
      select u.*, ${nowIso}::timestamptz from ${anomalies.unnest()}
      on conflict (radiator_id, period_end) do nothing
    ),
    gateway_meter as (${
      after.gatewayMeter === null
        ? sql`select 1`
        : sql`insert into gateway_hourly (gateway_id, hour_start, reading_count, energy_wh, first_counter_wh, last_counter_wh,
            counter_restarts, last_reading_at)
          values (${gatewayId}, ${new Date(after.gatewayMeter.hourStartMs).toISOString()}, 1, ${after.gatewayMeter.energyWh},
            ${after.gatewayMeter.counterWh}, ${after.gatewayMeter.counterWh}, ${after.gatewayMeter.restarted ? 1 : 0},
            ${new Date(after.gatewayMeter.atMs).toISOString()})
          on conflict (gateway_id, hour_start) do update set reading_count = gateway_hourly.reading_count + 1,
            energy_wh = gateway_hourly.energy_wh + excluded.energy_wh, last_counter_wh = excluded.last_counter_wh,
            counter_restarts = gateway_hourly.counter_restarts + excluded.counter_restarts, last_reading_at = excluded.last_reading_at`
    }),
    also as (${after.alsoRun ?? sql`select 1`})
    select set_config('plan_cache_mode', ${after.planCacheMode}, true)`);
}

/**
 * The answer: work dispatched to this gateway's radiators and not yet reported started (new
 * assignments and any the gateway may have missed; it recognises repeats by attemptId),
 * attempts of cancelled tasks to stop, and the residents' setpoints.
 */
async function answer(tx: Tx, seq: number, loaded: Loaded, stale: Cancellation[], refused: RefusedReading[], now: Date): Promise<ReportResponse> {
  const { radiators } = loaded;
  const radiatorIds = radiators.map((r) => r.id);
  // Most reports of an idle fleet have nothing to dispatch and nothing running: skip both reads.
  const assigned = loaded.anyQueued ? await assignWork(tx, { now, radiatorIds }) : [];
  const active = loaded.anyActive || assigned.length > 0 ? await activeAttemptsOnRadiators(tx, radiatorIds) : [];
  // Work offered again and again and never started is taken back rather than offered once more.
  const givenUp = await recordOffers(tx, active.filter(isOffer).map((a) => a.attemptId), now);
  return responseFor(seq, radiators, givenUp.size > 0 ? active.filter((a) => !givenUp.has(a.attemptId)) : active, stale, refused, now);
}

/**
 * Attempts a radiator says it runs that the platform no longer has there (taken back after a
 * silence, ended, or never its own): the gateway is told to stop them, so their cores are free
 * for the work the platform does count on.
 */
function staleAttempts(reported: Reported[], attempts: Map<number, AttemptRow>): Cancellation[] {
  const stale: Cancellation[] = [];
  for (const { radiatorId, entry } of reported) {
    for (const attemptId of entry.runningAttemptIds ?? []) {
      const attempt = attempts.get(attemptId);
      if (!attempt || attempt.radiatorId !== radiatorId || !ACTIVE_ATTEMPT_STATES.has(attempt.state)) {
        stale.push({ radiatorSerial: entry.serial, attemptId });
      }
    }
  }
  return stale;
}

/** An attempt the answer offers to its gateway: dispatched, not started, not being cancelled. */
const isOffer = (a: ActiveAttempt) => a.startedAt === null && !a.cancelRequested;

function responseFor(
  seq: number,
  radiators: GatewayRadiator[],
  active: ActiveAttempt[],
  stale: Cancellation[],
  refused: RefusedReading[],
  now: Date,
): ReportResponse {
  const serialOf = new Map(radiators.map((r) => [r.id, r.serial]));

  const assignments: Assignment[] = active.filter(isOffer).map((a) => ({
    radiatorSerial: serialOf.get(a.radiatorId)!,
    attemptId: a.attemptId,
    instanceId: a.instanceId,
    taskId: a.taskId,
    instanceNumber: a.instanceNumber,
    profile: a.profileName,
    constants: a.constants,
    cores: a.coresAssigned,
    maxWallTimeS: a.maxWallTimeS,
  }));
  const cancellations = active
    .filter((a) => a.cancelRequested)
    .map((a) => ({ radiatorSerial: serialOf.get(a.radiatorId)!, attemptId: a.attemptId }))
    .concat(stale);
  const setpoints = radiators
    .filter((r) => r.targetC !== null)
    .map((r) => ({ radiatorSerial: r.serial, setpointC: r.targetC! }));

  const response: ReportResponse = { protocolVersion: PROTOCOL_VERSION, seq, serverTime: now.toISOString(), assignments, cancellations, setpoints };
  // Only when there are some: the answer of v1 stays as it was for gateways with sound clocks.
  if (refused.length > 0) response.refusedReadings = refused.slice(0, MAX_REFUSALS_LISTED);
  return response;
}
