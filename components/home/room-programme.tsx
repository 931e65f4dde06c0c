"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc/client";
import type { HeatingRoomView } from "@/server/services/heating";
import { HEATING_REFRESH_MS } from "./heating-client";
import { ProgrammeEditor } from "./programme-editor";
import { RoomChanges } from "./room-changes";
import { TemperaturesForm } from "./temperatures-form";

/** A room's programme page below its title: the programme, its temperatures and its last changes, kept fresh. */
export function RoomProgramme({ initial }: { initial: HeatingRoomView }) {
  const t = useTranslations("heating");
  const trpc = useTRPC();
  const { data: room } = useQuery(
    trpc.heating.room.queryOptions({ roomId: initial.id }, { initialData: initial, refetchInterval: HEATING_REFRESH_MS * 3, retry: false }),
  );
  const { mode } = room;
  return (
    <div className="flex flex-col gap-6">
      {mode !== null && mode !== "programme" && (
        <p className="rounded-md border border-sky-300 bg-sky-50 p-3 text-sm text-sky-950">{t("programme.modeNote", { mode: t(`modes.${mode}`) })}</p>
      )}
      <ProgrammeEditor room={room} />
      <TemperaturesForm room={room} />
      <RoomChanges changes={room.changes} timeZone={room.timeZone} />
    </div>
  );
}
