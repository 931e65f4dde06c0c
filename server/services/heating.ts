import { and, asc, desc, eq, inArray } from "drizzle-orm";
import {
  buildings,
  dwellings,
  gateways,
  hardwareModels,
  heatingChanges,
  radiators,
  radiatorStates,
  rooms,
  roomHeating,
  sites,
  users,
} from "@/server/db/schema";
import type { Tx } from "@/server/db/client";
import {
  boostRefusal,
  DEFAULT_COMFORT_C,
  DEFAULT_ECO_C,
  effectiveTarget,
  type BaseMode,
  type HeatingMode,
  modeAt,
  modeRefusal,
  overrideAt,
  overrideHoursRefusal,
  programmeRefusal,
  type ProgrammeBlock,
  type Refusal,
  type RoomHeating,
  targetRefusal,
  temperaturesRefusal,
  templateBlocks,
  withBoost,
  withMode,
  withOverride,
  withTarget,
} from "@/server/domain/heating";
import { predictMinutesToTarget } from "@/server/domain/thermal";
import { climateForSite, normalOutdoorTempC } from "@/server/domain/weather";
import { found, InvalidInputError } from "./errors";
import { SILENT_AFTER_S } from "./scheduler";

/**
 * A resident's heating, room by room: what each room is set to, what its radiators are sent
 * and whether they apply it. Every read and write is bounded by the resident's dwelling.
 */

/** Past this silence the gateway is offline: the engine's own rule for silent radiators (gateways report every minute). */
export const GATEWAY_OFFLINE_AFTER_MS = SILENT_AFTER_S * 1000;
const CHANGES_SHOWN = 20;

export type HeatingActor = (typeof heatingChanges.$inferSelect)["actor"];
export type HeatingChangeKind = "target" | "override" | "cancel_override" | "mode" | "boost" | "temperatures" | "programme";

/**
 * Whether the room's radiators follow the platform's target: all confirmed it (applied), not yet
 * (waiting), their gateway is silent (gateway_offline), or the platform sends none (local: the
 * radiators' own thermostats rule).
 */
export type ApplyStatus =
  | { kind: "applied"; appliedAt: Date }
  | { kind: "waiting" }
  | { kind: "gateway_offline"; lastSeenAt: Date | null }
  | { kind: "local" };

type HeatingRow = typeof roomHeating.$inferSelect;

/** A stored row as the domain's state. */
export function heatingStateOf(row: Omit<HeatingRow, "roomId" | "updatedAt" | "updatedByUserId">): RoomHeating {
  return {
    mode: row.mode,
    comfortC: row.comfortC,
    ecoC: row.ecoC,
    programme: row.programme,
    boostUntilMs: row.boostUntil?.getTime() ?? null,
    modeBeforeBoost: row.modeBeforeBoost as BaseMode | null,
    override: row.overrideTargetC === null ? null : { targetC: row.overrideTargetC, untilMs: row.overrideUntil?.getTime() ?? null },
  };
}

/** The domain's state as the columns of a row. */
export function heatingColumnsOf(state: RoomHeating) {
  return {
    mode: state.mode,
    comfortC: state.comfortC,
    ecoC: state.ecoC,
    programme: state.programme,
    boostUntil: state.boostUntilMs === null ? null : new Date(state.boostUntilMs),
    modeBeforeBoost: state.modeBeforeBoost,
    overrideTargetC: state.override?.targetC ?? null,
    overrideUntil: state.override?.untilMs == null ? null : new Date(state.override.untilMs),
  };
}

/** Where a room that had no heating of its own starts from when its resident first sets it. */
const STARTING_HEATING: RoomHeating = {
  mode: "comfort",
  comfortC: DEFAULT_COMFORT_C,
  ecoC: DEFAULT_ECO_C,
  programme: templateBlocks("home_all_day", DEFAULT_COMFORT_C),
  boostUntilMs: null,
  modeBeforeBoost: null,
  override: null,
};

type RoomRow = {
  id: string;
  name: string;
  areaM2: number;
  timeZone: string;
  city: string;
  climateZone: string;
  heating: HeatingRow | null;
};

async function roomsOf(db: Tx, opts: { dwellingId: string; roomId?: string; forUpdate?: boolean }): Promise<RoomRow[]> {
  const query = db
    .select({
      id: rooms.id,
      name: rooms.name,
      areaM2: rooms.areaM2,
      timeZone: sites.timeZone,
      city: sites.city,
      climateZone: sites.climateZone,
      heating: roomHeating,
    })
    .from(rooms)
    .innerJoin(dwellings, eq(dwellings.id, rooms.dwellingId))
    .innerJoin(buildings, eq(buildings.id, dwellings.buildingId))
    .innerJoin(sites, eq(sites.id, buildings.siteId))
    .leftJoin(roomHeating, eq(roomHeating.roomId, rooms.id))
    .where(and(eq(rooms.dwellingId, opts.dwellingId), opts.roomId === undefined ? undefined : eq(rooms.id, opts.roomId)))
    .orderBy(asc(rooms.name));
  // The room row is the lock: two changes of one room's heating apply one after the other.
  return opts.forUpdate ? query.for("update", { of: rooms }) : query;
}

async function radiatorsOf(db: Tx, roomIds: string[]) {
  if (roomIds.length === 0) return [];
  return db
    .select({
      roomId: radiators.roomId,
      serial: radiators.serial,
      roomTempC: radiatorStates.roomTempC,
      setpointC: radiatorStates.setpointC,
      powerW: radiatorStates.powerW,
      coresAssigned: radiatorStates.coresAssigned,
      lastReadingAt: radiatorStates.lastReadingAt,
      targetSentC: radiatorStates.targetSentC,
      targetSentAt: radiatorStates.targetSentAt,
      appliedAt: radiatorStates.targetAppliedAt,
      gatewayLastSeenAt: gateways.lastSeenAt,
      maxPowerW: hardwareModels.maxPowerW,
      cores: hardwareModels.cores,
    })
    .from(radiators)
    .innerJoin(gateways, eq(gateways.id, radiators.gatewayId))
    .innerJoin(hardwareModels, eq(hardwareModels.id, radiators.hardwareModelId))
    .leftJoin(radiatorStates, eq(radiatorStates.radiatorId, radiators.id))
    .where(inArray(radiators.roomId, roomIds))
    .orderBy(asc(radiators.serial));
}
type RadiatorRow = Awaited<ReturnType<typeof radiatorsOf>>[number];

function applyStatus(targetC: number | null, list: RadiatorRow[], nowMs: number): ApplyStatus {
  if (targetC === null) return { kind: "local" };
  const silent = list.find((r) => r.gatewayLastSeenAt === null || nowMs - r.gatewayLastSeenAt.getTime() > GATEWAY_OFFLINE_AFTER_MS);
  if (silent) return { kind: "gateway_offline", lastSeenAt: silent.gatewayLastSeenAt };
  let appliedAt: Date | null = null;
  for (const r of list) {
    if (r.targetSentC !== targetC || r.appliedAt === null) return { kind: "waiting" };
    if (appliedAt === null || r.appliedAt > appliedAt) appliedAt = r.appliedAt;
  }
  return appliedAt === null ? { kind: "waiting" } : { kind: "applied", appliedAt };
}

const dateOf = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * Minutes until the room reaches its target at full heat (0: there; null: out of reach), or
 * undefined when there is nothing to predict from (no target, no reading yet). Outdoors is the
 * site's climate normal for the hour; the room's radiators are taken to be of its first one's model.
 */
function minutesToTarget(room: RoomRow, list: RadiatorRow[], roomTempC: number | null, targetC: number | null, nowMs: number) {
  const model = list[0];
  if (targetC === null || roomTempC === null || model === undefined) return undefined;
  return predictMinutesToTarget({
    areaM2: room.areaM2,
    radiatorCount: list.length,
    maxPowerWPerRadiator: model.maxPowerW,
    coresPerRadiator: model.cores,
    roomTempC,
    targetC,
    outdoorTempC: normalOutdoorTempC(climateForSite(room), nowMs),
    currentPowerW: list.reduce((sum, r) => sum + (r.powerW ?? 0), 0),
  });
}

/** One room as the pages show it (without its programme and history: see heatingRoom). */
function roomView(room: RoomRow, list: RadiatorRow[], now: Date) {
  const nowMs = now.getTime();
  const state = room.heating && heatingStateOf(room.heating);
  const target = state && effectiveTarget(state, nowMs, room.timeZone);
  const temps = list.map((r) => r.roomTempC).filter((t): t is number => t !== null);
  const readings = list.map((r) => r.lastReadingAt).filter((t): t is Date => t !== null);
  const mode = state && modeAt(state, nowMs);
  const override = state && overrideAt(state, nowMs);
  const roomTempC = temps.length === 0 ? null : temps.reduce((a, b) => a + b, 0) / temps.length;
  return {
    id: room.id,
    name: room.name,
    areaM2: room.areaM2,
    timeZone: room.timeZone,
    /** Null: the platform sends no target, the radiators' own thermostats rule (status local). */
    target: target && { targetC: target.targetC, source: target.source, until: dateOf(target.until) },
    mode: mode as HeatingMode | null,
    comfortC: state?.comfortC ?? null,
    ecoC: state?.ecoC ?? null,
    boostUntil: mode === "boost" ? dateOf(state!.boostUntilMs) : null,
    /** What a running boost returns to (the mode its page shows chosen, and "stop the boost" restores). */
    modeBeforeBoost: mode === "boost" ? (state!.modeBeforeBoost ?? "programme") : null,
    override: override ? { targetC: override.targetC, until: dateOf(override.untilMs) } : null,
    roomTempC,
    minutesToTarget: minutesToTarget(room, list, roomTempC, target?.targetC ?? null, nowMs),
    powerW: list.reduce((sum, r) => sum + (r.powerW ?? 0), 0),
    computing: list.some((r) => (r.coresAssigned ?? 0) > 0),
    lastReadingAt: readings.length === 0 ? null : new Date(Math.max(...readings.map((d) => d.getTime()))),
    status: applyStatus(target?.targetC ?? null, list, nowMs),
    radiators: list.map((r) => ({
      serial: r.serial,
      roomTempC: r.roomTempC,
      setpointC: r.setpointC,
      targetSentC: r.targetSentC,
      targetSentAt: r.targetSentAt,
      appliedAt: r.appliedAt,
    })),
  };
}
export type HeatingRoomSummary = ReturnType<typeof roomView>;

/** Every room of the resident's flat, now. */
export async function heatingHome(db: Tx, opts: { dwellingId: string; now?: Date }) {
  const now = opts.now ?? new Date();
  const roomRows = await roomsOf(db, opts);
  const radiatorRows = await radiatorsOf(
    db,
    roomRows.map((r) => r.id),
  );
  return {
    timeZone: roomRows[0]?.timeZone ?? null,
    rooms: roomRows.map((room) => roomView(room, radiatorRows.filter((r) => r.roomId === room.id), now)),
  };
}

/** One room with its programme and its last changes; a room of another flat is not found. */
export async function heatingRoom(db: Tx, opts: { dwellingId: string; roomId: string; now?: Date }) {
  const now = opts.now ?? new Date();
  const room = found((await roomsOf(db, opts))[0], "Room");
  const [radiatorRows, changes] = await Promise.all([
    radiatorsOf(db, [room.id]),
    db
      .select({
        at: heatingChanges.at,
        actor: heatingChanges.actor,
        userName: users.name,
        kind: heatingChanges.kind,
        details: heatingChanges.details,
      })
      .from(heatingChanges)
      .leftJoin(users, eq(users.id, heatingChanges.userId))
      .where(eq(heatingChanges.roomId, room.id))
      .orderBy(desc(heatingChanges.at), desc(heatingChanges.id))
      .limit(CHANGES_SHOWN),
  ]);
  return {
    ...roomView(room, radiatorRows, now),
    programme: room.heating?.programme ?? null,
    changes: changes.map((c) => ({ ...c, kind: c.kind as HeatingChangeKind })),
  };
}
export type HeatingRoomView = Awaited<ReturnType<typeof heatingRoom>>;

type Change = { dwellingId: string; roomId: string; userId: string; now?: Date };

function refuse(refusal: Refusal | null): void {
  if (refusal) throw new InvalidInputError(refusal.message, refusal.field);
}

/**
 * One change of a room's heating by its resident: checked, written with its line in the log,
 * and answered with the room as heatingRoom shows it.
 */
async function change(
  db: Tx,
  opts: Change,
  kind: HeatingChangeKind,
  apply: (state: RoomHeating, nowMs: number, timeZone: string) => { state: RoomHeating; details: Record<string, unknown> },
) {
  const now = opts.now ?? new Date();
  await db.transaction(async (tx) => {
    const room = found((await roomsOf(tx, { ...opts, forUpdate: true }))[0], "Room");
    const before = room.heating ? heatingStateOf(room.heating) : STARTING_HEATING;
    const { state, details } = apply(before, now.getTime(), room.timeZone);
    const values = { ...heatingColumnsOf(state), updatedAt: now, updatedByUserId: opts.userId };
    await tx
      .insert(roomHeating)
      .values({ roomId: room.id, ...values })
      .onConflictDoUpdate({ target: roomHeating.roomId, set: values });
    await tx.insert(heatingChanges).values({ roomId: room.id, at: now, actor: "resident", userId: opts.userId, kind, details });
  });
  return heatingRoom(db, { ...opts, now });
}

/**
 * The resident asks for a temperature (see withTarget): in programme mode an override until
 * the next block; in comfort or eco, that mode's temperature; from off or frost, comfort at it;
 * during a boost, the boost ends into comfort at it.
 */
export async function setHeatingTarget(db: Tx, opts: Change & { targetC: number }) {
  refuse(targetRefusal(opts.targetC));
  return change(db, opts, "target", (state, nowMs, timeZone) => ({
    state: withTarget(state, opts.targetC, nowMs, timeZone),
    details: { targetC: opts.targetC },
  }));
}

/** A temperature for `hours`, or until the next block (hours null, programme mode only). */
export async function setHeatingOverride(db: Tx, opts: Change & { targetC: number; hours: number | null }) {
  refuse(targetRefusal(opts.targetC));
  return change(db, opts, "override", (state, nowMs, timeZone) => {
    const mode = modeAt(state, nowMs);
    refuse(overrideHoursRefusal(opts.hours, mode === "boost" ? (state.modeBeforeBoost ?? "programme") : mode));
    const next = withOverride(state, opts.targetC, opts.hours, nowMs, timeZone);
    return { state: next, details: { targetC: opts.targetC, hours: opts.hours, until: next.override!.untilMs } };
  });
}

export async function cancelHeatingOverride(db: Tx, opts: Change) {
  return change(db, opts, "cancel_override", (state) => ({ state: { ...state, override: null }, details: {} }));
}

/** A mode chosen directly (not boost: see boostHeating); ends any boost and override. */
export async function setHeatingMode(db: Tx, opts: Change & { mode: string }) {
  refuse(modeRefusal(opts.mode));
  const mode = opts.mode as BaseMode;
  return change(db, opts, "mode", (state) => ({ state: withMode(state, mode), details: { mode } }));
}

/** Full heat for `minutes`, then the mode in force now returns. */
export async function boostHeating(db: Tx, opts: Change & { minutes: number }) {
  refuse(boostRefusal(opts.minutes));
  return change(db, opts, "boost", (state, nowMs) => {
    const next = withBoost(state, opts.minutes, nowMs);
    return { state: next, details: { minutes: opts.minutes, until: next.boostUntilMs } };
  });
}

export async function setHeatingTemperatures(db: Tx, opts: Change & { comfortC: number; ecoC: number }) {
  refuse(temperaturesRefusal(opts.comfortC, opts.ecoC));
  return change(db, opts, "temperatures", (state) => ({
    state: { ...state, comfortC: opts.comfortC, ecoC: opts.ecoC },
    details: { comfortC: opts.comfortC, ecoC: opts.ecoC },
  }));
}

/** The weekly programme; blocks are kept in day and time order. */
export async function setHeatingProgramme(db: Tx, opts: Change & { blocks: ProgrammeBlock[] }) {
  refuse(programmeRefusal(opts.blocks));
  const blocks = opts.blocks
    .map(({ day, startMinute, endMinute, targetC }) => ({ day, startMinute, endMinute, targetC }))
    .sort((a, b) => a.day - b.day || a.startMinute - b.startMinute);
  return change(db, opts, "programme", (state) => ({ state: { ...state, programme: blocks }, details: { blocks } }));
}

