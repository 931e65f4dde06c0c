"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useCallback, useId, useState, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { HeatingRoomSummary } from "@/server/services/heating";
import { useHeatingFormat, useRoomChanges } from "./heating-client";
import { BoostControl, ModeControl, OverrideControl } from "./mode-control";
import { historyHref } from "./history-href";
import { TargetControl, useTargetDraft } from "./target-control";

/**
 * A room as the home page shows it. `minutesToTarget` is the predicted time to reach the target:
 * undefined, nothing to predict from (no prediction shown); null, out of reach; 0, reached.
 */
type HomeRoom = HeatingRoomSummary;

/** Whether the radiators follow the room's target, in a sentence (live: it changes as they report). */
function ApplyStatusLine({ room, pending }: { room: HomeRoom; pending: boolean }) {
  const t = useTranslations("heating");
  const f = useHeatingFormat(room.timeZone);
  const { status } = room;
  const [text, tone] = pending
    ? [t("control.sending"), "text-stone-700"]
    : status.kind === "applied"
      ? [t("status.applied", { time: f.time(status.appliedAt) }), "text-green-800"]
      : status.kind === "waiting"
        ? [t("status.waiting"), "text-amber-900"]
        : status.kind === "gateway_offline"
          ? [status.lastSeenAt ? t("status.gatewayOffline", { time: f.dateTime(status.lastSeenAt) }) : t("status.gatewayNeverSeen"), "text-red-800"]
          : [t("status.local"), "text-stone-700"];
  return (
    <p data-testid="apply-status" data-status={pending ? "sending" : status.kind} className={`text-sm font-medium ${tone}`}>
      {text}
    </p>
  );
}

/** The predicted time to reach the target: a duration, not a clock time, so that the server's render and the browser's agree. */
function Prediction({ room }: { room: HomeRoom }) {
  const t = useTranslations("heating.prediction");
  const minutes = room.minutesToTarget;
  if (minutes === undefined || room.target === null) return null;
  if (minutes === null) return <p className="text-sm text-stone-700">{t("out")}</p>;
  if (minutes === 0) return <p className="text-sm text-stone-700">{t("reached")}</p>;
  // Whole minutes under an hour, to the quarter hour beyond: a prediction, not a timetable.
  const rounded = minutes < 60 ? Math.ceil(minutes) : Math.ceil(minutes / 15) * 15;
  return (
    <p className="text-sm text-stone-700">
      {rounded < 60
        ? t("eta", { minutes: rounded })
        : t("etaHours", { hours: Math.floor(rounded / 60), minutes: String(rounded % 60).padStart(2, "0") })}
    </p>
  );
}

export function RoomCard({ room, extra }: { room: HomeRoom; extra?: ReactNode }) {
  const t = useTranslations("heating");
  const f = useHeatingFormat(room.timeZone);
  const headingId = useId();
  const changes = useRoomChanges();
  const draft = useTargetDraft(room.id, room.target?.targetC ?? null, changes.setTarget);
  const [failed, setFailed] = useState(false);
  const onError = useCallback((value: boolean) => setFailed(value), []);
  const heating = room.powerW > 0;
  return (
    <Card aria-labelledby={headingId} className="flex h-full flex-col">
      <header className="flex items-start justify-between gap-2 border-b border-stone-200 px-4 py-3">
        <h2 id={headingId} className="text-base font-semibold text-stone-900">
          {room.name}
        </h2>
        <nav aria-label={t("card.linksOf", { room: room.name })} className="flex flex-col items-end gap-1 text-sm">
          <Link href={`/home/rooms/${room.id}`} className="text-brand-700 underline underline-offset-2">
            {t("card.programmeLink")}
            <span className="sr-only"> {t("card.programmeLinkOf", { room: room.name })}</span>
          </Link>
          <Link href={historyHref(room.id, "day")} className="text-brand-700 underline underline-offset-2">
            {t("card.historyLink")}
            <span className="sr-only"> {t("card.historyLinkOf", { room: room.name })}</span>
          </Link>
        </nav>
      </header>
      <div className="flex flex-1 flex-col gap-4 p-4">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <p className="text-xs font-medium uppercase tracking-wide text-stone-600">{t("card.now")}</p>
            <p className="text-5xl font-semibold tabular-nums text-stone-900">
              {room.roomTempC === null ? <span className="text-2xl text-stone-600">{t("card.noReading")}</span> : f.temp(room.roomTempC)}
            </p>
          </div>
          <TargetControl room={room} draft={draft} />
        </div>
        <div aria-live="polite" className="flex flex-col gap-1">
          <ApplyStatusLine room={room} pending={draft.pending} />
          <Prediction room={room} />
        </div>
        {(draft.refused || failed) && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800">
            {draft.refused === "refused" && room.target
              ? t("control.refused", { target: f.temp(room.target.targetC) })
              : t("control.failed")}
          </p>
        )}
        <p className="flex flex-wrap gap-2">
          <Badge tone={heating ? "warning" : "neutral"}>{heating ? t("card.heating", { power: f.watts(room.powerW) }) : t("card.notHeating")}</Badge>
          <Badge tone={room.computing ? "info" : "neutral"}>{room.computing ? t("card.computing") : t("card.notComputing")}</Badge>
        </p>
        <OverrideControl room={room} changes={changes} onError={onError} />
        <ModeControl room={room} changes={changes} onError={onError} />
        <BoostControl room={room} changes={changes} onError={onError} />
        {extra}
      </div>
    </Card>
  );
}
