"use client";

import { useTranslations } from "next-intl";
import { HEATING_MODES, type HeatingMode } from "@/server/domain/heating";
import type { HeatingRoomView } from "@/server/services/heating";
import { useHeatingFormat } from "./heating-client";

type Change = HeatingRoomView["changes"][number];

const numberIn = (details: Record<string, unknown>, key: string) => (typeof details[key] === "number" ? (details[key] as number) : null);

/** The room's last changes, newest first: when, who (resident, programme, the radiator's thermostat, staff), what. */
export function RoomChanges({ changes, timeZone }: { changes: Change[]; timeZone: string }) {
  const t = useTranslations("heating");
  const f = useHeatingFormat(timeZone);
  const who = (c: Change) => (c.actor === "resident" ? (c.userName ? t("changes.by.resident", { name: c.userName }) : t("changes.by.residentUnknown")) : t(`changes.by.${c.actor}`));
  const what = (c: Change) => {
    const d = c.details;
    const targetC = numberIn(d, "targetC");
    switch (c.kind) {
      case "target":
        return targetC === null ? t("changes.kind.targetPlain") : t("changes.kind.target", { target: f.temp(targetC) });
      case "override":
        return targetC === null ? t("changes.kind.targetPlain") : t("changes.kind.override", { target: f.temp(targetC) });
      case "mode": {
        const mode = (HEATING_MODES as readonly unknown[]).includes(d.mode) ? (d.mode as HeatingMode) : null;
        return mode ? t("changes.kind.mode", { mode: t(`modes.${mode}`) }) : t("changes.kind.targetPlain");
      }
      case "boost":
        return t("changes.kind.boost", { minutes: numberIn(d, "minutes") ?? 0 });
      case "temperatures":
        return t("changes.kind.temperatures", { comfort: f.temp(numberIn(d, "comfortC") ?? 0), eco: f.temp(numberIn(d, "ecoC") ?? 0) });
      case "cancel_override":
      case "programme":
        return t(`changes.kind.${c.kind}`);
    }
  };
  return (
    <section aria-labelledby="room-changes-title" className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm">
      <h2 id="room-changes-title" className="text-base font-semibold text-stone-900">
        {t("changes.title")}
      </h2>
      {changes.length === 0 ? (
        <p className="mt-2 text-sm text-stone-700">{t("changes.empty")}</p>
      ) : (
        <ol className="mt-2 flex flex-col divide-y divide-stone-200">
          {changes.map((c, i) => (
            <li key={`${c.at.getTime()}-${i}`} className="flex flex-col py-2 text-sm sm:flex-row sm:gap-3">
              <time dateTime={c.at.toISOString()} className="shrink-0 tabular-nums text-stone-600">
                {f.dateTime(c.at)}
              </time>
              <span>
                <span className="font-medium text-stone-900">{who(c)}</span> · {what(c)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
