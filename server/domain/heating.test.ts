import { describe, expect, it } from "vitest";
import {
  blockAt,
  BOOST_C,
  boostRefusal,
  copyDay,
  effectiveTarget,
  FROST_C,
  initialHeating,
  localDayMinute,
  modeRefusal,
  nextBlockBoundary,
  overrideHoursRefusal,
  programmeRefusal,
  PROGRAMME_TEMPLATES,
  type ProgrammeBlock,
  type RoomHeating,
  targetRefusal,
  temperaturesRefusal,
  templateBlocks,
  withBoost,
  withMode,
  withOverride,
  withTarget,
} from "./heating";

const PARIS = "Europe/Paris";
const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const SUNDAY = 6;

const state = (patch: Partial<RoomHeating> = {}): RoomHeating => ({
  mode: "programme",
  comfortC: 20,
  ecoC: 17,
  programme: [],
  boostUntilMs: null,
  modeBeforeBoost: null,
  override: null,
  ...patch,
});
const block = (day: number, start: string, end: string, targetC = 21): ProgrammeBlock => {
  const minute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return { day, startMinute: minute(start), endMinute: minute(end), targetC };
};

describe("the site's wall clock", () => {
  it("reads days from Monday and minutes in the site's zone, across the spring change", () => {
    // Sunday 29 March 2026: Paris goes from 02:00 CET straight to 03:00 CEST (01:00 UTC).
    expect(localDayMinute(at("2026-03-29T00:30:00Z"), PARIS)).toEqual({ day: SUNDAY, minute: 90 });
    expect(localDayMinute(at("2026-03-29T01:00:00Z"), PARIS)).toEqual({ day: SUNDAY, minute: 180 });
    expect(localDayMinute(at("2026-03-30T05:00:00Z"), PARIS)).toEqual({ day: 0, minute: 7 * 60 });
  });
});

describe("a programme on daylight-saving days (Europe/Paris)", () => {
  it("skips a block 02:00–03:00 on the spring day: the clock never shows those minutes", () => {
    const programme = [block(SUNDAY, "02:00", "03:00", 22)];
    for (let t = at("2026-03-28T23:00:00Z"); t < at("2026-03-29T22:00:00Z"); t += 15 * 60_000) {
      expect(blockAt(programme, t, PARIS)).toBeNull();
    }
    // So nothing changes that day: the next boundary is the block's start a week later (CEST: 00:00 UTC).
    expect(nextBlockBoundary(programme, at("2026-03-29T00:00:00Z"), PARIS)).toBe(at("2026-04-05T00:00:00Z"));
  });

  it("runs a block 01:00–04:00 for two real hours on the spring day", () => {
    const programme = [block(SUNDAY, "01:00", "04:00")];
    const start = nextBlockBoundary(programme, at("2026-03-28T23:00:00Z"), PARIS);
    expect(start).toBe(at("2026-03-29T00:00:00Z")); // 01:00 CET
    expect(nextBlockBoundary(programme, start!, PARIS)).toBe(at("2026-03-29T02:00:00Z")); // 04:00 CEST
  });

  it("runs a block 02:00–03:00 through both passes of the autumn day's repeated hour", () => {
    // Sunday 25 October 2026: 03:00 CEST (01:00 UTC) goes back to 02:00 CET.
    const programme = [block(SUNDAY, "02:00", "03:00", 22)];
    const start = nextBlockBoundary(programme, at("2026-10-24T22:00:00Z"), PARIS);
    expect(start).toBe(at("2026-10-25T00:00:00Z")); // 02:00 CEST
    expect(blockAt(programme, at("2026-10-25T01:30:00Z"), PARIS)).toEqual(programme[0]); // 02:30 CET
    expect(nextBlockBoundary(programme, start!, PARIS)).toBe(at("2026-10-25T02:00:00Z")); // 03:00 CET
    const target = effectiveTarget(state({ programme }), at("2026-10-25T00:45:00Z"), PARIS);
    expect(target).toEqual({ targetC: 22, source: "programme", until: at("2026-10-25T02:00:00Z") });
  });
});

describe("effectiveTarget", () => {
  // Monday 7 December 2026, Paris in winter (UTC+1).
  const programme = [block(0, "07:00", "09:00", 21), block(0, "18:00", "22:00", 20.5)];

  it("is eco in the programme's gaps, until the next block starts", () => {
    expect(effectiveTarget(state({ programme }), at("2026-12-07T10:00:00Z"), PARIS)).toEqual({
      targetC: 17,
      source: "programme",
      until: at("2026-12-07T17:00:00Z"),
    });
    expect(effectiveTarget(state({ programme }), at("2026-12-07T06:00:00Z"), PARIS)).toMatchObject({ targetC: 21, until: at("2026-12-07T08:00:00Z") });
  });

  it("sends frost protection when off, and when in frost mode", () => {
    expect(effectiveTarget(state({ mode: "off" }), 0, PARIS)).toEqual({ targetC: FROST_C, source: "off", until: null });
    expect(effectiveTarget(state({ mode: "frost" }), 0, PARIS)).toEqual({ targetC: FROST_C, source: "frost", until: null });
    expect(effectiveTarget(state({ mode: "comfort" }), 0, PARIS)).toEqual({ targetC: 20, source: "comfort", until: null });
    expect(effectiveTarget(state({ mode: "eco" }), 0, PARIS)).toEqual({ targetC: 17, source: "eco", until: null });
  });

  it("ends a boost exactly at its instant, back to the mode before it", () => {
    const now = at("2026-12-07T12:00:00Z");
    const boosted = withBoost(state({ mode: "comfort" }), 30, now);
    const end = now + 30 * 60_000;
    expect(effectiveTarget(boosted, end - 1, PARIS)).toEqual({ targetC: BOOST_C, source: "boost", until: end });
    expect(effectiveTarget(boosted, end, PARIS)).toEqual({ targetC: 20, source: "comfort", until: null });
  });

  it("keeps the mode before the first boost when boosted again", () => {
    const now = at("2026-12-07T12:00:00Z");
    const twice = withBoost(withBoost(state({ mode: "eco" }), 30, now), 60, now + 60_000);
    expect(twice.modeBeforeBoost).toBe("eco");
  });

  it("makes a temperature asked in programme mode an override until the next block", () => {
    const now = at("2026-12-07T05:00:00Z"); // 06:00, before the 07:00 block
    const next = withTarget(state({ programme }), 22.5, now, PARIS);
    expect(next.override).toEqual({ targetC: 22.5, untilMs: at("2026-12-07T06:00:00Z") });
    expect(effectiveTarget(next, now + HOUR / 2, PARIS)).toEqual({ targetC: 22.5, source: "override", until: at("2026-12-07T06:00:00Z") });
    expect(effectiveTarget(next, at("2026-12-07T06:00:00Z"), PARIS)).toMatchObject({ targetC: 21, source: "programme" });
  });

  it("takes a temperature asked in other modes as that mode's, or comfort's", () => {
    const now = 0;
    expect(withTarget(state({ mode: "comfort" }), 22, now, PARIS)).toMatchObject({ mode: "comfort", comfortC: 22, override: null });
    expect(withTarget(state({ mode: "eco" }), 16, now, PARIS)).toMatchObject({ mode: "eco", ecoC: 16, comfortC: 20 });
    // Eco never above comfort.
    expect(withTarget(state({ mode: "eco" }), 21, now, PARIS)).toMatchObject({ ecoC: 21, comfortC: 21 });
    expect(withTarget(state({ mode: "off" }), 19, now, PARIS)).toMatchObject({ mode: "comfort", comfortC: 19 });
    const boosted = withBoost(state({ mode: "programme", programme }), 60, now);
    expect(withTarget(boosted, 19, now + 1, PARIS)).toMatchObject({ mode: "comfort", comfortC: 19, boostUntilMs: null, modeBeforeBoost: null });
  });

  it("holds an override for N hours in any mode, and an open one with no programme to end it", () => {
    const now = at("2026-12-07T12:00:00Z");
    expect(withOverride(state({ mode: "comfort" }), 23, 2, now, PARIS).override).toEqual({ targetC: 23, untilMs: now + 2 * HOUR });
    const open = withTarget(state(), 22, now, PARIS);
    expect(open.override).toEqual({ targetC: 22, untilMs: null });
    expect(effectiveTarget(open, now + 1000 * HOUR, PARIS)).toEqual({ targetC: 22, source: "override", until: null });
    expect(withMode(open, "programme").override).toBeNull();
  });
});

describe("validators", () => {
  it("refuse temperatures off the 0.5 °C step or outside 7–28 °C", () => {
    expect(targetRefusal(20.5)).toBeNull();
    expect(targetRefusal(7)).toBeNull();
    expect(targetRefusal(28)).toBeNull();
    expect(targetRefusal(7.3)).toMatchObject({ field: "targetC" });
    expect(targetRefusal(30)).toMatchObject({ field: "targetC" });
    expect(targetRefusal(Number.NaN)).toMatchObject({ field: "targetC" });
    expect(temperaturesRefusal(20, 21)).toMatchObject({ field: "ecoC" });
    expect(temperaturesRefusal(20.2, 17)).toMatchObject({ field: "comfortC" });
  });

  it("refuse overlaps, times off the 15-minute grid, out of the day and blocks that end before they start", () => {
    expect(programmeRefusal([block(0, "07:00", "09:00"), block(1, "07:00", "09:00")])).toBeNull();
    expect(programmeRefusal([block(0, "07:00", "09:00"), block(0, "08:45", "10:00")])).toMatchObject({ field: "blocks.1" });
    expect(programmeRefusal([block(0, "07:10", "09:00")])).toMatchObject({ field: "blocks.0.startMinute" });
    expect(programmeRefusal([{ day: 0, startMinute: 1380, endMinute: 1500, targetC: 20 }])).toMatchObject({ field: "blocks.0.endMinute" });
    expect(programmeRefusal([{ day: 7, startMinute: 0, endMinute: 60, targetC: 20 }])).toMatchObject({ field: "blocks.0.day" });
    expect(programmeRefusal([block(2, "09:00", "09:00")])).toMatchObject({ field: "blocks.0.endMinute" });
    expect(programmeRefusal([block(2, "09:00", "10:00", 29)])).toMatchObject({ field: "blocks.0.targetC" });
    expect(programmeRefusal("no")).toMatchObject({ field: "blocks" });
  });

  it("refuse unknown boosts, modes and override lengths", () => {
    expect(boostRefusal(60)).toBeNull();
    expect(boostRefusal(45)).toMatchObject({ field: "minutes" });
    expect(modeRefusal("comfort")).toBeNull();
    expect(modeRefusal("turbo")).toMatchObject({ field: "mode" });
    expect(modeRefusal("boost")).toMatchObject({ field: "mode" });
    expect(overrideHoursRefusal(null, "programme")).toBeNull();
    expect(overrideHoursRefusal(null, "comfort")).toMatchObject({ field: "hours" });
    expect(overrideHoursRefusal(25, "programme")).toMatchObject({ field: "hours" });
    expect(overrideHoursRefusal(1.5, "programme")).toMatchObject({ field: "hours" });
  });
});

describe("programmes", () => {
  it("has valid templates, at the room's comfort temperature", () => {
    expect(PROGRAMME_TEMPLATES.map((t) => t.id)).toEqual(["home_all_day", "out_at_work", "night_eco"]);
    for (const t of PROGRAMME_TEMPLATES) expect(programmeRefusal(t.blocks), t.id).toBeNull();
    expect(templateBlocks("out_at_work", 21.5).every((b) => b.targetC === 21.5)).toBe(true);
    expect(initialHeating("night_eco")).toMatchObject({ mode: "programme", programme: templateBlocks("night_eco", 20) });
  });

  it("copies a day onto others, replacing their blocks", () => {
    const blocks = [block(0, "07:00", "09:00", 21), block(0, "18:00", "22:00"), block(2, "10:00", "11:00")];
    const copied = copyDay(blocks, 0, [1, 2]);
    expect(copied).toEqual([
      block(0, "07:00", "09:00", 21),
      block(0, "18:00", "22:00"),
      block(1, "07:00", "09:00", 21),
      block(1, "18:00", "22:00"),
      block(2, "07:00", "09:00", 21),
      block(2, "18:00", "22:00"),
    ]);
    expect(programmeRefusal(copied)).toBeNull();
  });
});
