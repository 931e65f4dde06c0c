"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { BOOST_MINUTES, FROST_C, OVERRIDE_HOURS, type BaseMode } from "@/server/domain/heating";
import type { HeatingRoomSummary } from "@/server/services/heating";
import { useHeatingFormat, type RoomChanges } from "./heating-client";
import { TARGET_SEND_DELAY_MS } from "./target-draft";

/** The modes a resident picks, in the order the page offers them (boost has its own buttons). */
const MODES = ["programme", "comfort", "eco", "frost", "off"] as const satisfies readonly BaseMode[];

/**
 * The room's mode as a radio group. Arrow keys move through the modes; the one reached is sent
 * after the same pause as the target, so that walking through them sends one change.
 */
export function ModeControl({ room, changes, onError }: { room: HeatingRoomSummary; changes: RoomChanges; onError: (failed: boolean) => void }) {
  const t = useTranslations("heating");
  const f = useHeatingFormat(room.timeZone);
  const { setMode } = changes;
  const name = useId();
  const serverMode = room.mode === "boost" ? room.modeBeforeBoost : room.mode;
  const [picked, setPicked] = useState<BaseMode | null>(null);
  const send = useRef(setMode.mutateAsync);
  useEffect(() => {
    send.current = setMode.mutateAsync;
  });
  useEffect(() => {
    if (picked === null) return;
    const timer = window.setTimeout(() => {
      send.current({ roomId: room.id, mode: picked }).then(
        () => {
          setPicked(null);
          onError(false);
        },
        () => {
          setPicked(null);
          onError(true);
        },
      );
    }, TARGET_SEND_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [picked, room.id, onError]);

  const hint = (mode: BaseMode) => {
    switch (mode) {
      case "programme":
        return t("modeHints.programme");
      case "comfort":
        return room.comfortC === null ? null : t("modeHints.comfort", { temp: f.temp(room.comfortC) });
      case "eco":
        return room.ecoC === null ? null : t("modeHints.eco", { temp: f.temp(room.ecoC) });
      case "frost":
        return t("modeHints.frost", { temp: f.temp(FROST_C) });
      case "off":
        return t("modeHints.off", { temp: f.temp(FROST_C) });
    }
  };
  const shown = picked ?? serverMode;
  return (
    <fieldset>
      <legend className="text-sm font-medium text-stone-800">{t("modes.legend")}</legend>
      <div className="mt-1 grid grid-cols-2 gap-2 sm:grid-cols-3">
        {MODES.map((mode) => (
          <label
            key={mode}
            className={cn(
              "flex min-h-11 cursor-pointer flex-col justify-center rounded-md border px-3 py-1.5 text-sm has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-700",
              shown === mode ? "border-brand-700 bg-brand-50 text-brand-800" : "border-stone-300 bg-white text-stone-900",
            )}
          >
            <span className="flex items-center gap-2 font-medium">
              <input
                type="radio"
                name={name}
                value={mode}
                checked={shown === mode}
                onChange={() => setPicked(mode)}
                className="size-4 accent-brand-700"
              />
              {t(`modes.${mode}`)}
            </span>
            {hint(mode) && <span className="text-xs text-stone-600">{hint(mode)}</span>}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Boost for a fixed time, and stop it: the room returns to the mode before it. */
export function BoostControl({ room, changes, onError }: { room: HeatingRoomSummary; changes: RoomChanges; onError: (failed: boolean) => void }) {
  const t = useTranslations("heating");
  const f = useHeatingFormat(room.timeZone);
  const { boost, setMode } = changes;
  const busy = boost.isPending || setMode.isPending;
  const report = (p: Promise<unknown>) => p.then(() => onError(false), () => onError(true));
  const duration = (minutes: number) => (minutes < 60 ? t("boost.minutes", { minutes }) : t("boost.hours", { hours: minutes / 60 }));
  return (
    <fieldset>
      <legend className="text-sm font-medium text-stone-800">{t("boost.legend")}</legend>
      {room.boostUntil && (
        <p className="mt-1 text-sm font-medium text-brand-800">{t("boost.active", { time: f.time(room.boostUntil) })}</p>
      )}
      <div className="mt-1 flex flex-wrap gap-2">
        {BOOST_MINUTES.map((minutes) => (
          <Button
            key={minutes}
            variant="secondary"
            className="min-h-11"
            disabled={busy}
            aria-label={t("boost.start", { room: room.name, duration: duration(minutes) })}
            onClick={() => void report(boost.mutateAsync({ roomId: room.id, minutes }))}
          >
            {duration(minutes)}
          </Button>
        ))}
        {room.boostUntil && (
          <Button
            variant="primary"
            className="min-h-11"
            disabled={busy}
            onClick={() => void report(setMode.mutateAsync({ roomId: room.id, mode: room.modeBeforeBoost ?? "programme" }))}
          >
            {t("boost.cancel")}
          </Button>
        )}
      </div>
    </fieldset>
  );
}

/**
 * A running override of the programme: how long it lasts (until the next block, or N hours from
 * now) and cancelling it. Only in programme mode: elsewhere the target is the mode's own.
 */
export function OverrideControl({ room, changes, onError }: { room: HeatingRoomSummary; changes: RoomChanges; onError: (failed: boolean) => void }) {
  const t = useTranslations("heating");
  const f = useHeatingFormat(room.timeZone);
  const { setOverride, cancelOverride } = changes;
  const id = useId();
  const [length, setLength] = useState<"next" | "hours">("next");
  const [hours, setHours] = useState(2);
  if (room.mode !== "programme" || !room.override) return null;
  const { targetC, until } = room.override;
  const busy = setOverride.isPending || cancelOverride.isPending;
  const report = (p: Promise<unknown>) => p.then(() => onError(false), () => onError(true));
  const hourOptions = Array.from({ length: OVERRIDE_HOURS.max - OVERRIDE_HOURS.min + 1 }, (_, i) => OVERRIDE_HOURS.min + i);
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3">
      <p className="text-sm font-medium text-amber-950">
        {until
          ? t("override.active", { target: f.temp(targetC), time: f.time(until) })
          : t("override.activeOpen", { target: f.temp(targetC) })}
      </p>
      <form
        className="mt-2 flex flex-col gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void report(setOverride.mutateAsync({ roomId: room.id, targetC, hours: length === "next" ? null : hours }));
        }}
      >
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="font-medium text-stone-800">{t("override.legend")}</legend>
          <label className="flex min-h-9 items-center gap-2">
            <input type="radio" name={`${id}-length`} checked={length === "next"} onChange={() => setLength("next")} className="size-4 accent-brand-700" />
            {t("override.nextBlock")}
          </label>
          <label className="flex min-h-9 items-center gap-2">
            <input type="radio" name={`${id}-length`} checked={length === "hours"} onChange={() => setLength("hours")} className="size-4 accent-brand-700" />
            {t("override.forHours")}
          </label>
          {length === "hours" && (
            <span className="flex items-center gap-2 pl-6">
              <label htmlFor={`${id}-hours`}>{t("override.hours")}</label>
              <select
                id={`${id}-hours`}
                value={hours}
                onChange={(event) => setHours(Number(event.target.value))}
                className="h-10 rounded-md border border-stone-300 bg-white px-2 text-base"
              >
                {hourOptions.map((h) => (
                  <option key={h} value={h}>
                    {t("override.hoursOption", { hours: h })}
                  </option>
                ))}
              </select>
            </span>
          )}
        </fieldset>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="secondary" className="min-h-11" disabled={busy}>
            {t("override.apply")}
          </Button>
          <Button variant="ghost" className="min-h-11" disabled={busy} onClick={() => void report(cancelOverride.mutateAsync({ roomId: room.id }))}>
            {t("override.cancel")}
          </Button>
        </div>
      </form>
    </div>
  );
}
